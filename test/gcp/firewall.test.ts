import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { GcpFirewall } from "../../components/gcp/firewall";
import {
  DENY_ALL_PRIORITY,
  firewallRules,
  GOOGLE_FRONT_END_RANGES,
} from "../../components/gcp/firewall-rules";
import { roles } from "../../components/spec/hosts";
import { field, type Program, runProgram } from "./harness";

const allRoles = [...roles];
const rangesOf = (rule: ReturnType<typeof firewallRules>[number]) =>
  rule.source.kind === "ranges" ? rule.source.ranges : [];

describe("firewallRules", () => {
  it("allows nothing from the whole internet; only the catch-all deny names 0.0.0.0/0", () => {
    const rules = firewallRules({ roles: allRoles, consulWan: true, wanPeers: ["10.10.1.5"] });
    for (const rule of rules.filter((r) => r.action === "allow")) {
      assert.ok(!rangesOf(rule).includes("0.0.0.0/0"), rule.key);
    }
    const deny = rules.filter((r) => r.action === "deny");
    assert.equal(deny.length, 1);
    assert.equal(deny[0]?.priority, DENY_ALL_PRIORITY);
    assert.equal(deny[0]?.targets, undefined);
    assert.deepEqual(deny[0]?.ports, [{ protocol: "all" }]);
    assert.ok(rules.every((r) => r.action === "deny" || r.priority < DENY_ALL_PRIORITY));
  });

  it("lets the load balancer's ranges reach nginx on 80 and the app only for health checks", () => {
    const rules = firewallRules({ roles: allRoles, consulWan: false, wanPeers: [] });
    const fromFrontEnds = rules.filter((r) =>
      rangesOf(r).some((range) => GOOGLE_FRONT_END_RANGES.includes(range)),
    );
    assert.deepEqual(
      fromFrontEnds.map((r) => [r.targets, r.ports]),
      [
        [["nginx"], [{ protocol: "tcp", ports: ["80"] }]],
        [["app"], [{ protocol: "tcp", ports: ["8080"] }]],
      ],
    );
  });

  it("lets SSH in only from Identity-Aware Proxy", () => {
    const rules = firewallRules({ roles: allRoles, consulWan: false, wanPeers: [] });
    const ssh = rules.filter((r) => r.ports.some((p) => p.ports?.includes("22")));
    assert.equal(ssh.length, 1);
    // Google's published range for IAP TCP forwarding, and nothing wider.
    assert.deepEqual(ssh[0]?.source, { kind: "ranges", ranges: ["35.235.240.0/20"] });
  });

  it("opens the data tier only to its clients", () => {
    const rules = firewallRules({ roles: allRoles, consulWan: false, wanPeers: [] });
    const to = (role: string) =>
      rules.filter((r) => r.targets?.length === 1 && r.targets[0] === role && r.action === "allow");
    assert.deepEqual(
      to("mysql").map((r) => [r.source, r.ports]),
      [
        [
          { kind: "roles", roles: ["app", "util", "mysql"] },
          [{ protocol: "tcp", ports: ["3306"] }],
        ],
      ],
    );
    assert.deepEqual(
      to("memcached").map((r) => [r.source, r.ports]),
      [[{ kind: "roles", roles: ["app", "util"] }, [{ protocol: "tcp", ports: ["11211"] }]]],
    );
    assert.deepEqual(
      to("app")
        .filter((r) => r.source.kind === "roles")
        .map((r) => r.source),
      [{ kind: "roles", roles: ["nginx"] }],
    );
  });

  it("opens Consul's WAN port only when the region federates", () => {
    const has8302 = (rules: ReturnType<typeof firewallRules>) =>
      rules.some((r) => r.ports.some((p) => p.ports?.includes("8302")));
    assert.equal(
      has8302(firewallRules({ roles: allRoles, consulWan: false, wanPeers: [] })),
      false,
    );
    const wan = firewallRules({ roles: allRoles, consulWan: true, wanPeers: ["10.10.1.5"] });
    assert.equal(has8302(wan), true);
    const peers = wan.find((r) => r.key === "consul-wan-peers");
    assert.deepEqual(peers?.source, { kind: "ranges", ranges: ["10.10.1.5/32"] });
    assert.deepEqual(peers?.targets, ["util"]);
  });

  it("leaves out rules for roles without hosts and never names an absent role", () => {
    const present = ["nginx", "app", "util", "chocon"] as const;
    const rules = firewallRules({ roles: [...present], consulWan: false, wanPeers: [] });
    assert.ok(!rules.some((r) => r.key === "mysql-clients" || r.key === "memcached-clients"));
    for (const rule of rules) {
      for (const role of [
        ...(rule.targets ?? []),
        ...(rule.source.kind === "roles" ? rule.source.roles : []),
      ]) {
        assert.ok((present as readonly string[]).includes(role), `${rule.key} names ${role}`);
      }
    }
  });
});

describe("GcpFirewall", () => {
  let program: Program;
  const email = (role: string) => `uk-${role}-host@example-test-proj.iam.gserviceaccount.com`;
  before(async () => {
    program = await runProgram((context) => {
      new GcpFirewall("fw", {
        ...context,
        network: "projects/p/global/networks/vpc",
        serviceAccounts: Object.fromEntries(allRoles.map((role) => [role, email(role)])),
      });
    });
  });

  it("logs every rule and attaches it to the network", () => {
    const rules = program.recorder.ofType("gcp:compute/firewall:Firewall");
    assert.equal(
      rules.length,
      firewallRules({ roles: allRoles, consulWan: false, wanPeers: [] }).length,
    );
    for (const rule of rules) {
      assert.deepEqual(rule.inputs.logConfig, { metadata: "INCLUDE_ALL_METADATA" }, rule.name);
      assert.equal(rule.inputs.network, "projects/p/global/networks/vpc");
      assert.equal(rule.inputs.direction, "INGRESS");
      assert.ok(rule.provider, rule.name);
    }
  });

  it("names hosts by their service accounts", () => {
    const app = program.recorder.get("gcp:compute/firewall:Firewall", "fw-nginx-to-app");
    assert.deepEqual(app.inputs.sourceServiceAccounts, [email("nginx")]);
    assert.deepEqual(app.inputs.targetServiceAccounts, [email("app")]);
    assert.deepEqual(app.inputs.allows, [{ protocol: "tcp", ports: ["8080"] }]);
    assert.equal(app.inputs.sourceTags, undefined);
  });

  it("denies the rest with a rule that applies to every instance", () => {
    const deny = program.recorder.get("gcp:compute/firewall:Firewall", "fw-deny-all-ingress");
    assert.deepEqual(deny.inputs.denies, [{ protocol: "all" }]);
    assert.equal(deny.inputs.allows, undefined);
    assert.equal(deny.inputs.targetServiceAccounts, undefined);
    assert.equal(field(deny.inputs, "priority"), DENY_ALL_PRIORITY);
  });
});
