// The whole program for the jp stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commonProgramTests, planOf } from "./run-stack";

describe("program: jp", () => {
  commonProgramTests("jp");

  it("ships host backups out of Sakura: an S3 bucket in AWS, its write-only key pushed as secrets", async () => {
    const plan = await planOf("jp");
    assert.deepEqual(plan.outputs.drBackups, {
      cloud: "sakura",
      offsite: { region: "ap-northeast-3", bucket: "jp-offsite-store-bucket-id" },
    });
    const pushes = plan.resources.filter(
      (r) => r.type === "command:remote:Command" && r.name.endsWith("-secrets"),
    );
    assert.ok(pushes.length > 0);
    for (const push of pushes) {
      assert.equal(push.inputs.stdin, "[secret]", `${push.name}: the key never shows in clear`);
      for (const source of ["AccessKey::jp-offsite-uploader", "Bucket::jp-offsite-store-bucket"]) {
        assert.ok(
          push.dependencies.some((urn) => urn.endsWith(source)),
          `${push.name} carries ${source}`,
        );
      }
    }
  });
});
