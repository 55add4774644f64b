import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { GcpNetwork } from "../../components/gcp/network";
import { field, type Program, region, runProgram } from "./harness";

describe("GcpNetwork", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpNetwork("net", { ...context, region, cidr: "10.30.64.0/18" });
    });
  });

  it("creates a custom-mode regional VPC without Google's default routes", () => {
    const vpc = program.recorder.get("gcp:compute/network:Network", "net-vpc");
    assert.equal(vpc.inputs.autoCreateSubnetworks, false);
    assert.equal(vpc.inputs.routingMode, "REGIONAL");
    assert.equal(vpc.inputs.deleteDefaultRoutesOnCreate, true);
  });

  it("declares the one egress route itself", () => {
    const routes = program.recorder.ofType("gcp:compute/route:Route");
    assert.equal(routes.length, 1);
    assert.equal(routes[0]?.inputs.destRange, "0.0.0.0/0");
    assert.equal(routes[0]?.inputs.nextHopGateway, "default-internet-gateway");
    assert.equal(routes[0]?.inputs.network, "net-vpc-id");
  });

  it("puts every host in one regional subnet with flow logs and Private Google Access", () => {
    const subnet = program.recorder.get("gcp:compute/subnetwork:Subnetwork", "net-hosts");
    assert.equal(subnet.inputs.ipCidrRange, "10.30.64.0/18");
    assert.equal(subnet.inputs.region, region);
    assert.equal(subnet.inputs.privateIpGoogleAccess, true);
    assert.equal(field(subnet.inputs, "logConfig", "flowSampling"), 0.5);
    assert.equal(field(subnet.inputs, "logConfig", "metadata"), "INCLUDE_ALL_METADATA");
    assert.match(String(field(subnet.inputs, "logConfig", "aggregationInterval")), /^INTERVAL_/);
  });

  it("sends the subnet out through Cloud NAT, logging errors only", () => {
    const nat = program.recorder.get("gcp:compute/routerNat:RouterNat", "net-nat");
    assert.equal(nat.inputs.sourceSubnetworkIpRangesToNat, "LIST_OF_SUBNETWORKS");
    assert.deepEqual(field(nat.inputs, "subnetworks", 0, "name"), "net-hosts-id");
    assert.deepEqual(nat.inputs.logConfig, { enable: true, filter: "ERRORS_ONLY" });
    assert.equal(nat.inputs.enableEndpointIndependentMapping, false);
    const router = program.recorder.get("gcp:compute/router:Router", "net-router");
    assert.equal(router.inputs.network, "net-vpc-id");
  });

  it("names the site's provider on every resource", () => {
    assert.equal(program.custom.length, 5);
    for (const resource of program.custom) {
      assert.match(String(resource.provider), /pulumi:providers:gcp::test-gcp::/, resource.name);
    }
  });
});
