// The whole program for the uk stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadSpec } from "../support/stacks";
import { assertCommonShape, ofType, planOf } from "./run-stack";

describe("program: uk", () => {
  it("builds the region with explicit providers and known parents", async () => {
    const plan = await planOf("uk");
    assertCommonShape(plan);
    const [region] = ofType(plan, "multicloud:index:Region");
    assert.equal(region?.name, "uk");
  });

  it("creates the public zone, protected, with CAA at the apex", async () => {
    const plan = await planOf("uk");
    const spec = loadSpec("uk");
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
