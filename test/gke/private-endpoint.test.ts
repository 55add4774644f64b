// A spec whose authorized networks are all private (reached over VPN or interconnect): the
// control plane must then answer on its private endpoint only.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { at, buildMicroservices, type MockedProgram } from "./support";

describe("Microservices (jp, every authorized network private)", () => {
  let program: MockedProgram | undefined;
  before(async () => {
    program = await buildMicroservices("jp", (raw) => {
      // Operations run over the office VPN; every control plane admits operations.cidrs first.
      raw.operations = { cidrs: ["10.200.0.0/16"] };
      const gke = raw.gke as Record<string, unknown>;
      gke.authorizedNetworks = [{ name: "interconnect", cidr: "172.20.0.0/16" }];
    });
  });

  it("turns the public endpoint off and still enforces the networks on the private one", () => {
    if (!program) throw new Error("the program was not built");
    const [cluster] = program.recorder.ofType("gcp:container/cluster:Cluster");
    assert.ok(cluster);
    assert.equal(at(cluster.inputs, "privateClusterConfig", "enablePrivateEndpoint"), true);
    assert.equal(at(cluster.inputs, "privateClusterConfig", "enablePrivateNodes"), true);
    assert.deepEqual(at(cluster.inputs, "masterAuthorizedNetworksConfig"), {
      cidrBlocks: [
        { cidrBlock: "10.200.0.0/16", displayName: "operations-1" },
        { cidrBlock: "172.20.0.0/16", displayName: "interconnect" },
      ],
      gcpPublicCidrsAccessEnabled: false,
      privateEndpointEnforcementEnabled: true,
    });
  });
});
