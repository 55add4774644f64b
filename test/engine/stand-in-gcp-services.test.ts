// The stand-in gcp plugin's projects start new: the data source finds an API only once a Service
// create has enabled it, and answers as the provider does (the id "<project>/<service>", or `{}`).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { projectServiceAnswer, recordEnabled } from "../../tools/engine/stand-in-gcp-services";

const dir = mkdtempSync(join(tmpdir(), "stand-in-gcp-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the stand-in's enabled Google APIs", () => {
  it("answers {} before the create and the provider's id after it, per project", () => {
    const file = join(dir, "services");
    const compute = { project: "example-uk-prod", service: "compute.googleapis.com" };
    assert.deepEqual(projectServiceAnswer(file, compute), {});
    recordEnabled(file, compute);
    assert.deepEqual(projectServiceAnswer(file, compute), {
      id: "example-uk-prod/compute.googleapis.com",
      project: "example-uk-prod",
      service: "compute.googleapis.com",
    });
    assert.deepEqual(projectServiceAnswer(file, { ...compute, project: "example-jp-gke" }), {});
    assert.deepEqual(projectServiceAnswer(file, { ...compute, service: "dns.googleapis.com" }), {});
  });
});
