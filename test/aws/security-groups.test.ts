// Security groups and their separate rules, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { SecurityGroups } from "../../components/aws/security-groups";
import { installMocks, type RecordedResource, resolveOutput } from "../support/mocks";
import { named, runProgram, T, testProvider, usSpec } from "./harness";

const rec = installMocks("us");
let groups: SecurityGroups | undefined;

const rules = (prefix: string): RecordedResource[] => [
  ...named(rec, T.ingress, prefix),
  ...named(rec, T.egress, prefix),
];

describe("SecurityGroups", () => {
  before(async () => {
    await runProgram(() => {
      const provider = testProvider();
      groups = new SecurityGroups("lb", { spec: usSpec(), provider, vpcId: "vpc-1" }, {});
      const rr = usSpec((raw) => {
        (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
        // Multivalue records cannot also be failover records.
        delete (raw.front as Record<string, unknown>).failover;
        (raw.aws as Record<string, unknown>).rds = [];
      });
      new SecurityGroups("rr", { spec: rr, provider, vpcId: "vpc-2" }, {});
    });
  });

  it("makes a group per role plus the shared, load balancer and database groups", () => {
    assert.deepEqual(
      named(rec, T.sg, "lb-")
        .map((g) => g.name)
        .sort(),
      [
        "lb-alb",
        "lb-app",
        "lb-chocon",
        "lb-database",
        "lb-host",
        "lb-memcached",
        "lb-mysql",
        "lb-nginx",
        "lb-util",
      ],
    );
    for (const group of named(rec, T.sg, "lb-")) {
      assert.equal(group.inputs.vpcId, "vpc-1");
      assert.equal(group.inputs.ingress, undefined, `${group.name} has inline ingress`);
      assert.equal(group.inputs.egress, undefined, `${group.name} has inline egress`);
    }
    assert.ok(
      !named(rec, T.sg, "rr-").some((g) => g.name === "rr-alb" || g.name === "rr-database"),
    );
  });

  it("lets the internet reach only the load balancer, on 80 and 443", () => {
    const open = rules("lb-").filter(
      (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" && r.type === T.ingress,
    );
    assert.deepEqual(open.map((r) => `${r.inputs.securityGroupId}:${r.inputs.fromPort}`).sort(), [
      "lb-alb-id:443",
      "lb-alb-id:80",
    ]);
    assert.ok(rules("lb-").every((r) => r.inputs.fromPort !== 22 && r.inputs.toPort !== 22));
  });

  it("admits RDS traffic only from the app group", () => {
    const db = named(rec, T.ingress, "lb-database-");
    assert.equal(db.length, 1);
    assert.equal(db[0]?.inputs.referencedSecurityGroupId, "lb-app-id");
    assert.equal(db[0]?.inputs.fromPort, 3306);
    const out = rec.get(T.egress, "lb-app-out-tcp3306-database").inputs;
    assert.equal(out.referencedSecurityGroupId, "lb-database-id");
  });

  it("limits egress to the internet to HTTP(S) from the shared group", () => {
    const toInternet = named(rec, T.egress, "lb-").filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
    assert.deepEqual(
      toInternet
        .map((r) => `${r.inputs.securityGroupId}:${r.inputs.ipProtocol}${r.inputs.fromPort}`)
        .sort(),
      ["lb-host-id:tcp443", "lb-host-id:tcp80"],
    );
  });

  it("opens nginx itself to the internet with a DNS round-robin front", () => {
    const open = rules("rr-").filter(
      (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" && r.type === T.ingress,
    );
    assert.deepEqual(open.map((r) => `${r.inputs.securityGroupId}:${r.inputs.fromPort}`).sort(), [
      "rr-nginx-id:443",
      "rr-nginx-id:80",
    ]);
  });

  it("gives a host the shared group and its role's", async () => {
    assert.ok(groups);
    const ids = await Promise.all(groups.forRole("app").map((id) => resolveOutput(id)));
    assert.deepEqual(ids, ["lb-host-id", "lb-app-id"]);
  });
});
