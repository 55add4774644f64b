// The AWS site with a DNS round-robin front, an account guard, looked-up zones, one NAT gateway
// and Consul WAN peers: the paths the us stack file does not take.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Fleet } from "../../components/aws/fleet";
import { AwsSite } from "../../components/aws/site";
import { networkLayout } from "../../components/spec/layout";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { installMocks, resolveOutput } from "../support/mocks";
import { named, runProgram, T, usSpec } from "./harness";

const rec = installMocks("us");
const spec = usSpec((raw) => {
  (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
  // Multivalue records cannot also be failover records.
  delete (raw.front as Record<string, unknown>).failover;
  const awsBlock = raw.aws as Record<string, unknown>;
  delete awsBlock.zones;
  awsBlock.natGateways = "single";
  awsBlock.accountId = "210987654321";
  awsBlock.rds = [];
  (raw.consul as Record<string, unknown>).wanJoin = ["10.30.68.16"];
  // WAN peers are reached over a link.
  raw.links = [
    ...(raw.links as unknown[]),
    { name: "wan", kind: "external", remote: ["10.30.0.0/16"] },
  ];
});
let site: AwsSite | undefined;
const userData = {
  nginx: "#cloud-config\n",
  app: "#cloud-config\n",
  mysql: "#cloud-config\n",
  memcached: "#cloud-config\n",
  util: "#cloud-config\n",
  chocon: "#cloud-config\n",
};

describe("AwsSite (round-robin front)", () => {
  before(async () => {
    await runProgram(() => {
      site = new AwsSite("rr", {
        spec,
        publicZoneId: "Zexamplecom",
        dnsProvider: new aws.Provider("dns", { region: "us-east-1" }),
        userData,
        hostSecrets: Object.fromEntries(
          hostSecretIds.map((id) => [id, pulumi.secret(`${id}-value`)]),
        ) as Record<HostSecretId, pulumi.Output<string>>,
      });
    });
  });

  it("refuses any account but the spec's", () => {
    const provider = rec.get(T.provider, "rr-aws").inputs;
    assert.equal(provider.allowedAccountIds, JSON.stringify(["210987654321"]));
  });

  it("runs no load balancer and gives each nginx host an Elastic IP and health-checked records", () => {
    assert.equal(rec.ofType(T.lb).length, 0);
    assert.equal(rec.ofType(T.certificate).length, 0);
    assert.equal(rec.ofType(T.asg).length, 1, "app only");
    const nginx = rec.ofType(T.instance).filter((i) => /nginx/.test(i.name));
    assert.equal(nginx.length, 3);
    const eips = named(rec, T.eip, "rr-front-");
    assert.deepEqual(
      eips.map((e) => e.inputs.instance).sort(),
      nginx.map((n) => `${n.name}-id`).sort(),
    );
    const records = rec.ofType(T.record).filter((r) => r.inputs.zoneId === "Zexamplecom");
    assert.equal(records.length, 2 * 3);
    assert.ok(
      records.every(
        (r) => r.inputs.multivalueAnswerRoutingPolicy === true && r.inputs.healthCheckId,
      ),
    );
    assert.equal(rec.ofType(T.healthCheck).length, 3);
  });

  it("looks up the zones, uses one NAT gateway and reserves the front's public block", () => {
    assert.deepEqual(
      named(rec, T.subnet, "rr-network-public-").map((s) => s.inputs.availabilityZone),
      ["us-west-2a", "us-west-2b", "us-west-2c"],
    );
    assert.equal(rec.ofType(T.nat).length, 1);
    const publicReservations = rec.ofType(T.reservation).filter((r) => /-public-/.test(r.name));
    assert.deepEqual(
      publicReservations.map((r) => r.inputs.cidrBlock),
      ["10.20.1.0/24", "10.20.17.0/24", "10.20.33.0/24"],
    );
  });

  it("admits the Consul WAN peer on the servers only", () => {
    const peer = [...rec.ofType(T.ingress), ...rec.ofType(T.egress)].filter(
      (r) => r.inputs.cidrIpv4 === "10.30.68.16/32",
    );
    assert.equal(peer.length, 6);
    assert.ok(peer.every((r) => r.inputs.securityGroupId === "rr-sg-util-id"));
  });

  it("has no databases and names the nginx hosts in the internal zone", async () => {
    const s = site;
    assert.ok(s);
    assert.equal(rec.ofType(T.rds).length, 0);
    assert.deepEqual(Object.keys(s.databases), []);
    assert.deepEqual(Object.keys(s.frontAddresses).sort(), ["nginx-1", "nginx-2", "nginx-3"]);
    const names = rec
      .ofType(T.record)
      .filter((r) => r.inputs.zoneId === "ZRRINTERNALZONE")
      .map((r) => r.inputs.name);
    assert.ok(names.includes("nginx-2.local") && names.includes("nginx.local"));
    assert.equal(await resolveOutput(s.zoneNames[2] ?? pulumi.output("")), "us-west-2c");
  });

  it("refuses to build hosts without their user data", () => {
    const { util: _util, ...withoutUtil } = userData;
    assert.throws(
      () =>
        new Fleet("bad", {
          spec,
          provider: new aws.Provider("bad-aws", { region: "us-west-2" }),
          layout: networkLayout(spec),
          zoneNames: [],
          privateSubnetIds: [],
          publicSubnetIds: [],
          securityGroupIds: () => [],
          instanceRole: () => {
            throw new Error("not reached");
          },
          userData: withoutUtil,
        }),
      /no user data for the util hosts of region us/,
    );
  });
});
