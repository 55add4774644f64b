// --restore-window: the restore windows RDS reports, in the shape botocore's RDS model gives the
// output of DescribeDBInstanceAutomatedBackups; a restore time outside its database's window is
// refused before anything is written.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { REGION_CONFIG_KEY } from "../../components/spec/load";
import { DrInputError } from "../../tools/dr/errors";
import { makeDrStackFile } from "../../tools/dr/make-dr-spec";
import { parseRestoreWindows } from "../../tools/dr/restore-window";
import { botocoreModel } from "../limits/references";
import { projectDir } from "../support/stacks";

const NOW = new Date("2025-06-10T06:00:00Z");

/** What `aws rds describe-db-instance-automated-backups --region us-east-1` prints for us's databases. */
const described = {
  DBInstanceAutomatedBackups: [
    {
      DBInstanceArn: "arn:aws:rds:us-west-2:123456789012:db:us-accounts",
      DBInstanceIdentifier: "us-accounts",
      DBInstanceAutomatedBackupsArn:
        "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-accounts000000000000000000",
      RestoreWindow: { EarliestTime: "2025-05-28T00:00:00Z", LatestTime: "2025-06-10T05:40:00Z" },
    },
    {
      DBInstanceIdentifier: "us-notifications",
      RestoreWindow: { EarliestTime: "2025-06-01T00:00:00Z", LatestTime: "2025-06-10T05:35:00Z" },
    },
  ],
};

function usConfig(): Record<string, unknown> {
  return (
    parse(readFileSync(join(projectDir, "Pulumi.us.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config;
}

function rebuildAt(restoreTime: string) {
  return makeDrStackFile({
    stack: "us",
    config: usConfig(),
    to: "us-east-1",
    now: NOW,
    restoreTime,
    restoreWindows: { file: "windows.json", document: described },
  });
}

describe("--restore-window", () => {
  it("reads the fields botocore's RDS model names for DescribeDBInstanceAutomatedBackups", () => {
    const rds = botocoreModel("rds");
    const output = rds.operations.DescribeDBInstanceAutomatedBackups.output.shape;
    const list = rds.shapes[output].members.DBInstanceAutomatedBackups.shape;
    const backup = rds.shapes[rds.shapes[list].member.shape];
    for (const member of [
      "DBInstanceIdentifier",
      "DBInstanceAutomatedBackupsArn",
      "RestoreWindow",
    ]) {
      assert.ok(backup.members[member], `DBInstanceAutomatedBackup has ${member}`);
    }
    const window = rds.shapes[backup.members.RestoreWindow.shape];
    assert.deepEqual(Object.keys(window.members).sort(), ["EarliestTime", "LatestTime"]);
  });

  it("a time inside both databases' windows is written", () => {
    const file = rebuildAt("2025-06-10T05:30:00Z");
    const region = file.config[REGION_CONFIG_KEY] as {
      dr: { restore: { rds: Record<string, unknown> } };
    };
    assert.deepEqual(region.dr.restore.rds.accounts, {
      pointInTime: { fromStack: "us", restoreTime: "2025-06-10T05:30:00Z" },
    });
  });

  it("a time after a database's latest restorable time, or before its earliest, is refused", () => {
    assert.throws(
      () => rebuildAt("2025-06-10T05:38:00Z"),
      (error: unknown) =>
        error instanceof DrInputError &&
        error.message ===
          "--restore-time 2025-06-10T05:38:00Z: outside the restore window of notifications, 2025-06-01T00:00:00Z to 2025-06-10T05:35:00Z (its latest restorable time)",
    );
    assert.throws(
      () => rebuildAt("2025-05-30T00:00:00Z"),
      /outside the restore window of notifications/,
    );
    assert.throws(
      () => rebuildAt("2025-06-10T05:45:00Z"),
      /outside the restore window of accounts/,
    );
  });

  it("a file of another shape, or without a database, is one clear line", () => {
    assert.throws(
      () => parseRestoreWindows({ DBInstances: [] }, "x.json"),
      /expected the output of `aws rds describe-db-instance-automated-backups/,
    );
    assert.throws(
      () =>
        parseRestoreWindows(
          { DBInstanceAutomatedBackups: [{ RestoreWindow: { EarliestTime: "soon" } }] },
          "x.json",
        ),
      /x\.json: DBInstanceAutomatedBackups\[0\]\.RestoreWindow\.EarliestTime is not a time/,
    );
    assert.throws(
      () =>
        makeDrStackFile({
          stack: "us",
          config: usConfig(),
          to: "us-east-1",
          now: NOW,
          restoreTime: "2025-06-10T05:30:00Z",
          restoreWindows: {
            file: "w.json",
            document: { DBInstanceAutomatedBackups: [described.DBInstanceAutomatedBackups[0]] },
          },
        }),
      /no restore window of database notifications \(us-notifications\) in the file/,
    );
  });
});
