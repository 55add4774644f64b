// The whole program for the us stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commonProgramTests, planOf } from "./run-stack";

describe("program: us", () => {
  commonProgramTests("us");

  it("exports where its backups are: the off-site bucket and each database's replicated backups", async () => {
    const plan = await planOf("us");
    assert.deepEqual(plan.outputs.drBackups, {
      cloud: "aws",
      offsite: { region: "us-east-1", bucket: "us-aws-offsite-bucket-id" },
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
