// The uk site's first up in a new project, where none of its APIs is on yet: what is created
// through an API waits for that API's wait after enabling it, and for nothing else.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { SITE_APIS } from "../../components/gcp/apis";
import { GcpSite } from "../../components/gcp/site";
import { type Program, runProgram } from "./harness";
import { ukSiteArgs, ukSpec } from "./uk-site";

const WAIT = "pulumi-nodejs:dynamic/multicloud:GoogleApiWait";

describe("GcpSite (uk) in a new project", () => {
  const spec = ukSpec();
  let program: Program;
  before(async () => {
    program = await runProgram(
      () => {
        new GcpSite("uk", ukSiteArgs(spec));
      },
      { newGcpProjects: true },
    );
  });

  it("waits a minute after enabling each API, as the stack file sets no googleApiWaitSeconds", () => {
    const waits = program.recorder.ofType(WAIT);
    assert.deepEqual(
      waits.map((wait) => wait.name).sort(),
      SITE_APIS.map((api) => `uk-api-${api.split(".")[0]}-wait`).sort(),
    );
    for (const wait of waits) {
      assert.equal(wait.inputs.seconds, 60, wait.name);
      assert.equal(wait.inputs.enabledBefore, false, wait.name);
      assert.equal(wait.inputs.project, spec.gcp.project, wait.name);
    }
  });

  it("creates nothing through an API before its wait after enabling it has passed", () => {
    const services = new Set(
      program.recorder.ofType("gcp:projects/service:Service").map((service) => service.name),
    );
    const early = [...program.options.values()].filter((options) =>
      options.dependsOn.some((name) => services.has(name)),
    );
    assert.deepEqual(
      early.map((options) => `${options.type} ${options.name}`),
      [],
      "resources that wait for an API's enablement and not for its wait",
    );
    assert.deepEqual(program.options.get("gcp:compute/network:Network uk-network-vpc")?.dependsOn, [
      "uk-api-compute-wait",
    ]);
    assert.deepEqual(
      program.options.get("gcp:secretmanager/secret:Secret uk-secrets-consul-gossip-key")
        ?.dependsOn,
      ["uk-api-secretmanager-wait"],
    );
  });
});
