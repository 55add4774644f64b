// The whole program for the us stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commonProgramTests, planOf, waitsFor } from "./run-stack";

describe("program: us", () => {
  commonProgramTests("us");

  it("starts a host only once the secret values its own role reads are stored", async () => {
    const plan = await planOf("us");
    const values = (name: string) => waitsFor(plan, name, "aws:secretsmanager/secretVersion:");
    // A MySQL host reads the gossip key, its role's Consul token and certificate, and the
    // replication password.
    assert.deepEqual(values("us-aws-fleet-mysql-1-instance"), [
      "us-aws-secrets-consul-gossip-key-value SecretVersion",
      "us-aws-secrets-consul-tls-mysql-value SecretVersion",
      "us-aws-secrets-consul-token-mysql-value SecretVersion",
      "us-aws-secrets-mysql-replication-password-value SecretVersion",
    ]);
    assert.deepEqual(values("us-aws-fleet-nginx-asg"), [
      "us-aws-secrets-consul-gossip-key-value SecretVersion",
      "us-aws-secrets-consul-tls-nginx-value SecretVersion",
      "us-aws-secrets-consul-token-nginx-value SecretVersion",
    ]);
  });

  it("exports where its backups are: the off-site bucket and each database's replicated backups", async () => {
    const plan = await planOf("us");
    assert.deepEqual(plan.outputs.drBackups, {
      cloud: "aws",
      // The key a rebuild's readers decrypt the dumps with comes along with the bucket.
      offsite: {
        region: "us-east-1",
        bucket: "us-aws-offsite-bucket-id",
        keyArn: "arn:aws:mock:::aws:kms/key:Key/us-aws-backups-key-key",
      },
      rds: {
        accounts: {
          identifier: "us-accounts",
          region: "us-east-1",
          replicatedBackupsArn: "us-aws-db-accounts-backups-replication-id",
        },
        notifications: {
          identifier: "us-notifications",
          region: "us-east-1",
          replicatedBackupsArn: "us-aws-db-notifications-backups-replication-id",
        },
      },
    });
  });
});
