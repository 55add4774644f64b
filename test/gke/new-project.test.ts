// jp's microservices in a new GKE project, where none of the APIs they enable is on yet: what is
// created through those APIs waits a minute after enabling them, and the gateway's alerts wait for
// Cloud Monitoring's.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { buildMicroservices, type MockedProgram } from "./support";

const API_WAIT = "pulumi-nodejs:dynamic/multicloud:GoogleApiWait";

describe("Microservices (jp) in a new project", () => {
  let program: MockedProgram;
  before(async () => {
    program = await buildMicroservices("jp", undefined, { newGcpProjects: true });
  });

  it("creates through a provider that waits for the Compute API's wait, not its enabling", () => {
    const provider = program.options.get(`pulumi:providers:gcp::${program.name}-gcp`);
    assert.ok(
      provider?.dependsOnKeys.includes(`${API_WAIT}::${program.name}-api-compute-wait`),
      "the provider depends on the wait after enabling compute.googleapis.com",
    );
    assert.ok(
      !provider?.dependsOnKeys.some((key) => key.startsWith("gcp:projects/service:Service::")),
      "the provider waits for an API's enablement alone",
    );
    const wait = program.recorder.get(API_WAIT, `${program.name}-api-compute-wait`);
    assert.equal(wait.inputs.seconds, 60);
    assert.equal(wait.inputs.enabledBefore, false);
  });

  it("hands the alerts a gate that holds Cloud Monitoring's wait", async () => {
    const gate = (await program.component.apis).map((resource) => pulumi.resourceName(resource));
    assert.ok(gate.includes(`${program.name}-api-monitoring-wait`), gate.join(", "));
  });
});
