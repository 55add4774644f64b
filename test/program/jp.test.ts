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
      // The key a rebuild's readers decrypt the dumps with comes along with the bucket.
      offsite: {
        region: "ap-northeast-3",
        bucket: "jp-offsite-store-bucket-id",
        keyArn: "arn:aws:mock:::aws:kms/key:Key/jp-offsite-region-key-key",
      },
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

  it("makes the front's ACME key: may write its names' challenge TXT records in the zone, reaches the nginx hosts only", async () => {
    const plan = await planOf("jp");
    const [user, ...moreUsers] = plan.resources.filter(
      (r) => r.type === "aws:iam/user:User" && r.name === "jp-acme-user",
    );
    assert.ok(user && moreUsers.length === 0);
    assert.deepEqual(user.inputs.tags, { Name: "multicloud-jp-acme-dns" });
    const policies = plan.resources.filter(
      (r) => r.type === "aws:iam/userPolicy:UserPolicy" && r.dependencies.includes(user.urn),
    );
    assert.equal(policies.length, 1);
    const statement = JSON.parse(String(policies[0]?.inputs.policy)).Statement.find(
      (s: { Sid: string }) => s.Sid === "ChallengeRecordsOnly",
    );
    // The zone's id as the mocks give it: the policy names the region's own public zone.
    assert.deepEqual(statement, {
      Sid: "ChallengeRecordsOnly",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: "arn:aws:route53:::hostedzone/ZJPPUBLICZONE",
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
            "_acme-challenge.example.jp",
            "_acme-challenge.www.example.jp",
            "_acme-challenge.nginx-1.example.jp",
            "_acme-challenge.nginx-2.example.jp",
            "_acme-challenge.nginx-3.example.jp",
          ],
          "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
          "route53:ChangeResourceRecordSetsActions": ["UPSERT", "DELETE"],
        },
      },
    });
    const [key] = plan.resources.filter(
      (r) => r.type === "aws:iam/accessKey:AccessKey" && r.dependencies.includes(user.urn),
    );
    assert.ok(key);
    const carriers = plan.resources
      .filter((r) => r.type === "command:remote:Command" && r.dependencies.includes(key.urn))
      .map((r) => r.name)
      .sort();
    assert.deepEqual(carriers, [
      "jp-sakura-nginx-1-secrets",
      "jp-sakura-nginx-2-secrets",
      "jp-sakura-nginx-3-secrets",
    ]);
  });
});
