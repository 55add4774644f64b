// The region wires a GCP rebuild's read of the lost region's dumps: the grant goes to the MySQL
// hosts' service account, on the bucket the spec names, and the hosts learn that bucket.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TEST_CHOCON_RELEASE } from "../support/chocon-release";
import { installMocks, runInStack } from "../support/mocks";
import { ukRebuildLoadingDumps } from "../support/stacks";

const recorder = installMocks("uk");
const MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";

describe("Region: a GCP rebuild that loads the lost region's dumps", () => {
  it("grants the MySQL service account objectViewer on the lost bucket, and tells the MySQL hosts", async () => {
    const { Region } = await import("../../components/region");
    await runInStack(
      () =>
        new Region("ukdr", { spec: ukRebuildLoadingDumps(), chocon: TEST_CHOCON_RELEASE }).ready,
    );
    const accounts = recorder
      .ofType("gcp:serviceaccount/account:Account")
      .filter((a) => String(a.inputs.accountId).includes("mysql"));
    assert.equal(accounts.length, 1);
    const grant = recorder.get(MEMBER, "ukdr-dump-reader-reads").inputs;
    assert.equal(grant.bucket, "example-uk-prod-uk-backups");
    assert.equal(grant.role, "roles/storage.objectViewer");
    assert.match(String(grant.member), /^serviceAccount:[^@]*mysql[^@]*@/);
    const mysql = recorder
      .ofType("gcp:compute/instance:Instance")
      .filter((i) => /mysql-\d+$/.test(i.name));
    assert.ok(mysql.length > 0);
    for (const instance of mysql) {
      const metadata = instance.inputs.metadata as Record<string, string>;
      assert.equal(metadata["multicloud-restore-bucket"], "example-uk-prod-uk-backups");
    }
  });
});
