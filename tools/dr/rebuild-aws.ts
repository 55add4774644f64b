// An AWS region moved to another AWS region: the region and its zones (AWS names the zones at
// deploy time unless --zones names them), and what its databases are restored from: RDS from the
// replicated automated backups or named snapshots, MySQL hosts from EBS snapshots or, by default,
// the primary from the lost region's nightly dumps. Pure.
import type { AwsRegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import { mysqlDumps } from "./host-dumps";
import { checkLocation, checkZones, describeLocation } from "./locations";
import type { Note, Raw, RestoreRaw } from "./rebuild-context";
import { awsRestore, type SnapshotChoice } from "./restore-choices";
import type { RestoreWindows } from "./restore-window";

export interface AwsMove {
  readonly stack: string;
  readonly to: string;
  readonly zones?: readonly string[];
  readonly backups?: unknown;
  readonly restoreTime?: string;
  readonly snapshots: SnapshotChoice;
  readonly windows?: RestoreWindows;
}

/** Edits `region` (the raw spec) in place; returns what the rebuild restores from. */
export function moveAws(region: Raw, spec: AwsRegionSpec, move: AwsMove, note: Note): RestoreRaw {
  checkLocation("--to", "aws", move.to, [
    { location: spec.aws.region, why: `${spec.aws.region}, where ${spec.name} was` },
  ]);
  const aws: Raw = { ...(region.aws as Raw), region: move.to };
  note(["aws", "region"], `Was ${describeLocation("aws", spec.aws.region)}.`);
  const lostZones = spec.aws.zones?.length ?? 3;
  if (move.zones !== undefined) {
    checkZones("aws", move.to, move.zones);
    aws.zones = [...move.zones];
    // No offline table knows an account's zones: say who checks them, and when.
    note(
      ["aws", "zones"],
      `As --zones named them. In AWS's oldest regions the letters are the account's own, so only AWS can check them, at \`pulumi up\`: aws ec2 describe-availability-zones --region ${move.to} lists this account's.`,
    );
  } else if (lostZones === 3) {
    // AWS maps zone letters per account in its oldest regions: the account's own list is the
    // only true one, and the program takes its first three at deploy time.
    delete aws.zones;
    note(
      ["aws", "region"],
      `Zones: the first three ${move.to} offers this account, as AWS lists them at \`pulumi up\` (three, as ${spec.name} had: hosts keep their addresses). Name them with --zones to choose.`,
    );
  } else {
    throw new DrInputError(
      `--zones: ${spec.name} spreads over ${lostZones} zones; name ${lostZones} zones of ${move.to} (aws ec2 describe-availability-zones --region ${move.to}) so hosts keep their addresses`,
    );
  }
  region.aws = aws;
  const { rds, mysqlDisks } = awsRestore(
    spec,
    { stack: move.stack, ...(move.backups !== undefined ? { backups: move.backups } : {}) },
    move.to,
    move.restoreTime,
    move.snapshots,
    move.windows,
  );
  const restore: RestoreRaw = { rds, mysqlDisks };
  if (spec.hosts.mysql.count > 0 && !("mysql-1" in mysqlDisks)) {
    restore.mysqlDumps = mysqlDumps(spec, move.stack, move.backups);
    note(
      ["hosts", "mysql"],
      `the MySQL hosts start with empty data volumes; ${spec.name}'s newest complete dump, found through dr.restore.mysqlDumps, is loaded on every one of them at first boot, before replication (docs/disaster-recovery.md, step 4b). Name an EBS snapshot for every MySQL host (--snapshot mysql-1=snap-... and so on) to start from those instead.`,
    );
  }
  return restore;
}
