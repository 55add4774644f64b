// The whole program for the uk stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commonProgramTests, planOf } from "./run-stack";

describe("program: uk", () => {
  commonProgramTests("uk");

  it("exports where its backups are: the off-site bucket, the data disks and their snapshots", async () => {
    const plan = await planOf("uk");
    assert.deepEqual(plan.outputs.drBackups, {
      cloud: "gcp",
      offsite: { location: "europe-west1", bucket: "example-uk-prod-uk-backups" },
      dataDisks: { "mysql-1": "uk-mysql-1-data", "mysql-2": "uk-mysql-2-data" },
      snapshotLocation: "europe-west1",
    });
  });
});
