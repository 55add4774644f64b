// dr.restore.rds.<db>.pointInTime.fromStack: a stack whose drBackups output names the replicated
// backups, instead of their ARN or the instance's resource id (exactly one of the three).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec } from "../../components/spec/load";
import { rawRegion } from "../support/stacks";

const ARN = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-l2ijcexjp7xq7hoj4siexample";

/** Stack us rebuilt as us-dr, the accounts database restored from the given point in time. */
function rebuild(pointInTime: Record<string, unknown>): Record<string, unknown> {
  const raw = rawRegion("us") as Record<string, Record<string, unknown>>;
  return {
    ...raw,
    name: "usdr",
    aws: { ...raw.aws, region: "us-east-1", zones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
    dns: { existingZone: true },
    dr: {
      backupLocation: "us-west-2",
      replaces: "us",
      restore: { rds: { accounts: { pointInTime } } },
    },
  };
}

function problem(pointInTime: Record<string, unknown>): string {
  try {
    parseRegionSpec(rebuild(pointInTime), "Pulumi.x.yaml");
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    const lines = error.message.split("\n");
    assert.equal(lines.length, 1, error.message);
    return lines[0] ?? "";
  }
  assert.fail("accepted");
}

describe("a point in time from a stack's outputs", () => {
  it("takes a bare stack name or org/project/stack", () => {
    for (const fromStack of ["us", "acme/multicloud/us"]) {
      const spec = parseRegionSpec(
        rebuild({ fromStack, useLatestRestorableTime: true }),
        "Pulumi.x.yaml",
      );
      assert.deepEqual(spec.dr.restore?.rds.accounts?.pointInTime, {
        fromStack,
        useLatestRestorableTime: true,
      });
    }
  });

  it("one line for each mistake", () => {
    assert.match(
      problem({ fromStack: "multicloud/us", useLatestRestorableTime: true }),
      /pointInTime\.fromStack = "multicloud\/us": expected a stack name such as us, or org\/project\/us$/,
    );
    assert.match(
      problem({
        fromStack: "us",
        sourceDbInstanceAutomatedBackupsArn: ARN,
        restoreTime: "2025-06-10T03:00:00Z",
      }),
      /expected fromStack or sourceDbInstanceAutomatedBackupsArn\/sourceDbiResourceId, not both$/,
    );
    assert.match(
      problem({ useLatestRestorableTime: true }),
      /expected exactly one of fromStack, sourceDbInstanceAutomatedBackupsArn or sourceDbiResourceId$/,
    );
    assert.match(
      problem({ fromStack: "us" }),
      /expected exactly one of restoreTime or useLatestRestorableTime: true$/,
    );
  });
});
