// The VPC, subnets, NAT, routes, endpoints and flow logs, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Network } from "../../components/aws/network";
import { installMocks } from "../support/mocks";
import { named, policyOf, runProgram, T, testProvider, usSpec } from "./harness";

const rec = installMocks("us");
const account = { id: "123456789012", partition: "aws" };

describe("Network", () => {
  before(async () => {
    await runProgram(() => {
      const provider = testProvider();
      new Network("full", { spec: usSpec(), provider, account }, {});
      // No zones in the spec (the region's first three are looked up), one NAT, no interface endpoints.
      const lean = usSpec((raw) => {
        const aws = raw.aws as Record<string, unknown>;
        delete aws.zones;
        aws.natGateways = "single";
      });
      new Network("lean", { spec: lean, provider, account, interfaceEndpoints: [] }, {});
    });
  });

  it("cuts public, private and data subnets per zone from the layout", () => {
    const subnets = named(rec, T.subnet, "full-");
    const byName = Object.fromEntries(subnets.map((s) => [s.name, s.inputs]));
    const expected: Record<string, [string, string]> = {
      "full-public-a": ["10.20.0.0/20", "us-west-2a"],
      "full-public-b": ["10.20.16.0/20", "us-west-2b"],
      "full-public-c": ["10.20.32.0/20", "us-west-2c"],
      "full-private-a": ["10.20.64.0/20", "us-west-2a"],
      "full-private-b": ["10.20.80.0/20", "us-west-2b"],
      "full-private-c": ["10.20.96.0/20", "us-west-2c"],
      "full-data-a": ["10.20.128.0/20", "us-west-2a"],
      "full-data-b": ["10.20.144.0/20", "us-west-2b"],
      "full-data-c": ["10.20.160.0/20", "us-west-2c"],
    };
    assert.deepEqual(Object.keys(byName).sort(), Object.keys(expected).sort());
    for (const [name, [cidr, zone]] of Object.entries(expected)) {
      assert.equal(byName[name]?.cidrBlock, cidr, name);
      assert.equal(byName[name]?.availabilityZone, zone, name);
      assert.equal(byName[name]?.mapPublicIpOnLaunch, false, name);
    }
  });

  it("turns on DNS and locks the default security group", () => {
    const vpc = rec.get(T.vpc, "full-vpc").inputs;
    assert.equal(vpc.cidrBlock, "10.20.0.0/16");
    assert.equal(vpc.enableDnsSupport, true);
    assert.equal(vpc.enableDnsHostnames, true);
    const sg = rec.get(T.defaultSg, "full-default-sg").inputs;
    assert.equal(sg.ingress, undefined);
    assert.equal(sg.egress, undefined);
  });

  it("runs a NAT gateway per zone, each private zone routed to its own", () => {
    const nats = named(rec, T.nat, "full-");
    assert.equal(nats.length, 3);
    assert.deepEqual(nats.map((n) => n.inputs.subnetId).sort(), [
      "full-public-a-id",
      "full-public-b-id",
      "full-public-c-id",
    ]);
    for (const zone of ["a", "b", "c"]) {
      const route = rec.get(T.route, `full-private-${zone}-default`).inputs;
      assert.equal(route.natGatewayId, `full-nat-${zone}-id`);
      assert.equal(route.destinationCidrBlock, "0.0.0.0/0");
    }
    assert.equal(rec.get(T.route, "full-public-default").inputs.gatewayId, "full-igw-id");
    assert.equal(named(rec, T.eip, "full-").length, 3);
  });

  it("gives data subnets no route out", () => {
    const dataRoutes = named(rec, T.route, "full-data");
    assert.equal(dataRoutes.length, 0);
    const associations = named(rec, T.rta, "full-data-").map((a) => a.inputs.routeTableId);
    assert.deepEqual(associations, ["full-data-rt-id", "full-data-rt-id", "full-data-rt-id"]);
  });

  it("reserves the fixed roles' addresses in the private subnets", () => {
    const reservations = named(rec, T.reservation, "full-");
    assert.equal(reservations.length, 12);
    const a = reservations.filter((r) => r.inputs.subnetId === "full-private-a-id");
    assert.deepEqual(a.map((r) => r.inputs.cidrBlock).sort(), [
      "10.20.66.0/24",
      "10.20.67.0/24",
      "10.20.68.0/24",
      "10.20.69.0/24",
    ]);
    assert.ok(reservations.every((r) => r.inputs.reservationType === "explicit"));
  });

  it("adds gateway endpoints for S3 and DynamoDB and Session Manager interface endpoints", () => {
    const s3 = rec.get(T.endpoint, "full-s3").inputs;
    assert.equal(s3.serviceName, "com.amazonaws.us-west-2.s3");
    assert.equal(s3.vpcEndpointType, "Gateway");
    assert.deepEqual(s3.routeTableIds, [
      "full-public-rt-id",
      "full-private-a-rt-id",
      "full-private-b-rt-id",
      "full-private-c-rt-id",
    ]);
    for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
      const endpoint = rec.get(T.endpoint, `full-${service}`).inputs;
      assert.equal(endpoint.vpcEndpointType, "Interface");
      assert.equal(endpoint.privateDnsEnabled, true);
      assert.equal((endpoint.subnetIds as string[]).length, 3);
    }
    const https = rec.get(T.ingress, "full-endpoints-in-https").inputs;
    assert.equal(https.cidrIpv4, "10.20.0.0/16");
    assert.equal(https.fromPort, 443);
  });

  it("logs every flow to an encrypted, bounded log group", () => {
    const flow = rec.get(T.flowLog, "full-flow-logs-vpc").inputs;
    assert.equal(flow.trafficType, "ALL");
    assert.equal(flow.logDestinationType, "cloud-watch-logs");
    assert.equal(flow.vpcId, "full-vpc-id");
    const group = rec.get(T.logGroup, "full-flow-logs-group").inputs;
    assert.equal(group.retentionInDays, 365);
    assert.match(String(group.kmsKeyId), /full-flow-logs-key-key/);
    const key = rec.get(T.key, "full-flow-logs-key-key").inputs;
    assert.equal(key.enableKeyRotation, true);
    const statements = policyOf(key.policy).Statement;
    const logs = statements.find((s) => s.Sid === "CloudWatchLogsUseKey");
    assert.deepEqual(logs?.Principal, { Service: "logs.us-west-2.amazonaws.com" });
    assert.deepEqual(logs?.Condition, {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn":
          "arn:aws:logs:us-west-2:123456789012:log-group:/multicloud/us/vpc-flow-logs",
      },
    });
    const trust = policyOf(rec.get(T.role, "full-flow-logs-role").inputs.assumeRolePolicy);
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
  });

  it("takes the region's first three zones when the spec lists none", () => {
    const subnets = named(rec, T.subnet, "lean-private-");
    assert.deepEqual(
      subnets.map((s) => s.inputs.availabilityZone),
      ["us-west-2a", "us-west-2b", "us-west-2c"],
    );
  });

  it("can run a single NAT gateway and no interface endpoints", () => {
    assert.equal(named(rec, T.nat, "lean-").length, 1);
    for (const zone of ["a", "b", "c"]) {
      assert.equal(
        rec.get(T.route, `lean-private-${zone}-default`).inputs.natGatewayId,
        "lean-nat-a-id",
      );
    }
    assert.deepEqual(
      named(rec, T.endpoint, "lean-")
        .map((e) => e.name)
        .sort(),
      ["lean-dynamodb", "lean-s3"],
    );
    assert.equal(named(rec, T.sg, "lean-").length, 0);
  });
});
