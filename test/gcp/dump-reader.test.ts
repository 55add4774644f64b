// A GCP rebuild's MySQL hosts read the lost region's dumps, under the mocks: their service account
// gets roles/storage.objectViewer on the lost bucket alone (bucket-level IAM, no project grant),
// and the MySQL hosts, and no others, are told the bucket by the metadata key the tool reads. The
// calls the tool makes are checked against Google's discovery document of Cloud Storage.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { GcpDumpReadGrant } from "../../components/gcp/offsite-bucket";
import { GcpSite } from "../../components/gcp/site";
import { roles } from "../../components/spec/hosts";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { discoveryDocument } from "../limits/references";
import { UK_DUMP_BUCKET, ukRebuildLoadingDumps } from "../support/stacks";
import { dnsProvider, field, type Program, runProgram } from "./harness";

const MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const INSTANCE = "gcp:compute/instance:Instance";
const MYSQL_ACCOUNT = "ukdr-mysql-host@example-uk-prod.iam.gserviceaccount.com";

/** uk rebuilt in europe-west1, loading uk's dumps. */
function ukRebuild() {
  const spec = ukRebuildLoadingDumps();
  if (spec.cloud !== "gcp") throw new Error("not a gcp spec");
  return spec;
}

const hostSecrets = Object.fromEntries(
  hostSecretIds.map((id) => [id, `fake-${id}-value`]),
) as Record<HostSecretId, string>;

describe("a GCP rebuild's MySQL hosts read the lost bucket", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpSite("ukdr", {
        spec: ukRebuild(),
        publicZoneId: "ZUKPUBLIC",
        dnsProvider: dnsProvider(),
        userData: Object.fromEntries(roles.map((role) => [role, "#cloud-config\n"])),
        hostSecrets,
        mysqlDumpBucket: UK_DUMP_BUCKET,
      });
      new GcpDumpReadGrant("ukdr-dump-reader", {
        ...context,
        bucket: UK_DUMP_BUCKET,
        serviceAccountEmail: MYSQL_ACCOUNT,
      });
    });
  });

  it("objectViewer on the lost bucket, for the MySQL service account, at bucket level", () => {
    const grant = program.recorder.get(MEMBER, "ukdr-dump-reader-reads").inputs;
    assert.equal(grant.bucket, "example-uk-prod-uk-backups");
    assert.equal(grant.role, "roles/storage.objectViewer");
    assert.equal(
      grant.member,
      "serviceAccount:ukdr-mysql-host@example-uk-prod.iam.gserviceaccount.com",
    );
    const readers = program.recorder
      .ofType(MEMBER)
      .filter((m) => m.inputs.role === "roles/storage.objectViewer");
    assert.deepEqual(
      readers.map((m) => m.name),
      ["ukdr-dump-reader-reads"],
    );
    // Nothing of it at project level.
    const projectGrants = program.custom.filter(
      (r) =>
        r.type.startsWith("gcp:projects/") &&
        JSON.stringify(r.inputs).includes("roles/storage.objectViewer"),
    );
    assert.deepEqual(projectGrants, []);
  });

  it("tells the MySQL hosts, and no other host, the lost bucket by metadata", () => {
    const instances = program.recorder.ofType(INSTANCE);
    assert.ok(instances.some((i) => /-mysql-\d+$/.test(i.name)));
    for (const instance of instances) {
      const bucket = field(instance.inputs, "metadata", "multicloud-restore-bucket");
      const mysql = /-mysql-\d+$/.test(instance.name);
      assert.equal(bucket, mysql ? "example-uk-prod-uk-backups" : undefined, instance.name);
    }
  });
});

describe("the tool's Cloud Storage calls, against Google's discovery document", () => {
  const storage = discoveryDocument("storage.v1");
  it("objects.list takes prefix and delimiter and answers with prefixes; objects.get serves media", () => {
    const list = storage.resources.objects.methods.list;
    assert.equal(list.path, "b/{bucket}/o");
    assert.ok(list.parameters.prefix);
    assert.ok(list.parameters.delimiter);
    assert.ok(storage.schemas.Objects.properties.prefixes);
    const get = storage.resources.objects.methods.get;
    assert.equal(get.path, "b/{bucket}/o/{object}");
    assert.equal(get.supportsMediaDownload, true);
  });

  it("bucket-level IAM is a bucket's own policy (buckets.setIamPolicy)", () => {
    assert.equal(storage.resources.buckets.methods.setIamPolicy.path, "b/{bucket}/iam");
  });
});
