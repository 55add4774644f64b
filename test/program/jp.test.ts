// The whole program for the jp stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadSpec } from "../support/stacks";
import { assertCommonShape, ofType, planOf } from "./run-stack";

describe("program: jp", () => {
  it("builds the region with explicit providers and known parents", async () => {
    const plan = await planOf("jp");
    assertCommonShape(plan);
    const [region] = ofType(plan, "multicloud:index:Region");
    assert.equal(region?.name, "jp");
  });

  it("creates the public zone, protected, with CAA at the apex", async () => {
    const plan = await planOf("jp");
    const spec = loadSpec("jp");
    const [zone] = ofType(plan, "aws:route53/zone:Zone").filter(
      (z) => z.inputs.name === spec.domain,
    );
    assert.ok(zone, "public zone for the domain");
    assert.equal(zone.protect, true);
    assert.equal(zone.inputs.forceDestroy, false);
    assert.equal((zone.inputs.tags as Record<string, string>).owner, spec.tags.owner);
    const caa = ofType(plan, "aws:route53/record:Record").find((r) => r.inputs.type === "CAA");
    assert.ok(caa?.dependencies.includes(zone.urn), "the CAA record waits for the zone");
    assert.deepEqual(caa?.inputs.records, [
      '0 issue "amazon.com"',
      '0 issue "pki.goog"',
      '0 issuewild ";"',
      `0 iodef "mailto:hostmaster@${spec.domain}"`,
    ]);
    assert.equal(plan.outputs.domain, spec.domain);
    assert.ok(Array.isArray(plan.outputs.nameServers));
  });

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
