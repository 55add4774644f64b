// What a rebuild's databases are restored from, per cloud, from the user's choices: a point in
// time of the replicated RDS backups (--restore-time; their ARNs read from the lost stack's
// outputs, or given with --backups), or named snapshots (--snapshot NAME=ID, or a LABEL naming
// each database's snapshot after it). On GCP each MySQL disk comes from the latest snapshot of the
// lost disk unless a snapshot is named. Pure; problems are one line.
import { dataDiskName } from "../../components/gcp/disk-names";
import type { AwsRegionSpec, GcpRegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import type { Raw } from "./rebuild-context";
import { checkInWindow, type RestoreWindows } from "./restore-window";

/** What the replaced stack's backups are asked for: its name and its drBackups output. */
export interface BackupSource {
  readonly stack: string;
  /** Its drBackups output (--backups); without it the restores name the stack (fromStack). */
  readonly backups?: unknown;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** How far back the lost region's backups go: its dr.backupRetentionDays. */
export interface Retention {
  readonly stack: string;
  readonly days: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * An ISO 8601 time with a zone, normalised to UTC seconds as RDS takes it: not in the future, and
 * not before the oldest backup the retention keeps (RDS refuses both).
 */
export function parseRestoreTime(value: string, now: Date, retention?: Retention): string {
  const match = ISO_8601.exec(value);
  const problem = `--restore-time ${value}: expected an ISO 8601 time with a zone, such as 2025-06-10T03:00:00Z`;
  if (!match) throw new DrInputError(problem);
  const [, year, month, day, hour, minute, second, zone] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    calendar.getUTCMonth() !== Number(month) - 1 ||
    calendar.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second ?? 0) > 59
  ) {
    throw new DrInputError(problem);
  }
  const offset = zone === "Z" ? "Z" : (zone ?? "").replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second ?? "00"}${offset}`);
  if (Number.isNaN(time.getTime())) throw new DrInputError(problem);
  const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (time.getTime() > now.getTime()) {
    throw new DrInputError(
      `--restore-time ${value}: is in the future (it is ${iso(now)}); leave it out for the latest restorable time`,
    );
  }
  if (retention && time.getTime() < now.getTime() - retention.days * DAY_MS) {
    throw new DrInputError(
      `--restore-time ${value}: older than ${retention.stack}'s backups go back (dr.backupRetentionDays ${retention.days}: from ${iso(new Date(now.getTime() - retention.days * DAY_MS))})`,
    );
  }
  return iso(time);
}

export interface SnapshotChoice {
  /** NAME=SNAPSHOT entries. */
  readonly named: Map<string, string>;
  /** A bare label: each database's snapshot is `<its name>-<label>`. */
  readonly label?: string;
}

export function parseSnapshots(values: readonly string[]): SnapshotChoice {
  const named = new Map<string, string>();
  let label: string | undefined;
  for (const value of values) {
    const cut = value.indexOf("=");
    if (cut < 0) {
      if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(value)) {
        throw new DrInputError(
          `--snapshot ${value}: expected NAME=SNAPSHOT or a label of letters, digits and hyphens`,
        );
      }
      if (label !== undefined) throw new DrInputError("--snapshot LABEL may be given once");
      label = value;
      continue;
    }
    const key = value.slice(0, cut);
    const id = value.slice(cut + 1);
    if (!/^[a-z][a-z0-9-]*$/.test(key) || id === "") {
      throw new DrInputError(
        `--snapshot ${value}: expected NAME=SNAPSHOT, such as mysql-1=snap-0123456789abcdef0`,
      );
    }
    if (named.has(key)) throw new DrInputError(`--snapshot: ${key} is named twice`);
    named.set(key, id);
  }
  return { named, ...(label ? { label } : {}) };
}

const RDS_SNAPSHOT =
  /^(?:arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?[A-Za-z][A-Za-z0-9:-]{0,254}$/;
const REPLICATED_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/;

export function awsRestore(
  spec: AwsRegionSpec,
  request: BackupSource,
  to: string,
  restoreTime: string | undefined,
  snapshots: SnapshotChoice,
  windows?: RestoreWindows,
): { rds: Raw; mysqlDisks: Raw } {
  const databases = spec.aws.rds.map((db) => db.name);
  const mysqlHosts = Array.from({ length: spec.hosts.mysql.count }, (_, i) => `mysql-${i + 1}`);
  for (const key of snapshots.named.keys()) {
    if (!databases.includes(key) && !mysqlHosts.includes(key)) {
      throw new DrInputError(
        `--snapshot ${key}=...: ${key} is neither a database (${databases.join(", ") || "none"}) nor a MySQL host (${mysqlHosts.join(", ") || "none"}) of ${spec.name}`,
      );
    }
  }
  const rds: Raw = {};
  const needBackups: string[] = [];
  for (const db of databases) {
    const named = snapshots.named.get(db);
    const fromLabel = snapshots.label ? `${spec.name}-${db}-${snapshots.label}` : undefined;
    const snapshot = named ?? fromLabel;
    if (snapshot !== undefined) {
      if (!RDS_SNAPSHOT.test(snapshot)) {
        throw new DrInputError(
          `--snapshot ${db}=${snapshot}: expected a DB snapshot identifier or ARN`,
        );
      }
      rds[db] = { snapshotIdentifier: snapshot };
    } else {
      needBackups.push(db);
    }
  }
  if (needBackups.length > 0) {
    if (to !== spec.dr.backupLocation) {
      throw new DrInputError(
        `--to ${to}: ${spec.name}'s automated backups are replicated to ${spec.dr.backupLocation}, so a point-in-time restore of ${needBackups.join(", ")} can only be made there (or name snapshots in ${to} with --snapshot)`,
      );
    }
    const time = restoreTime ? { restoreTime } : { useLatestRestorableTime: true };
    // Without --backups the rebuild reads the ARNs from the lost stack's drBackups output when it
    // is deployed: that stack's state is in the Pulumi backend, not in the lost region.
    const arns =
      request.backups === undefined ? undefined : replicatedArns(request.backups, request.stack);
    for (const db of needBackups) {
      if (restoreTime !== undefined && windows !== undefined) {
        const arn = arns?.[db];
        checkInWindow(restoreTime, db, [`${spec.name}-${db}`, ...(arn ? [arn] : [])], windows);
      }
      if (arns === undefined) {
        rds[db] = { pointInTime: { fromStack: request.stack, ...time } };
        continue;
      }
      const arn = arns[db];
      if (arn === undefined) {
        throw new DrInputError(
          `--backups: no replicatedBackupsArn for database ${db} under rds.${db}`,
        );
      }
      rds[db] = { pointInTime: { sourceDbInstanceAutomatedBackupsArn: arn, ...time } };
    }
  }
  const mysqlDisks: Raw = {};
  for (const host of mysqlHosts) {
    const snapshot = snapshots.named.get(host);
    if (snapshot === undefined) continue;
    if (!/^snap-[0-9a-f]{8,17}$/.test(snapshot)) {
      throw new DrInputError(
        `--snapshot ${host}=${snapshot}: expected an EBS snapshot id such as snap-0123456789abcdef0`,
      );
    }
    mysqlDisks[host] = { snapshot };
  }
  // A host that starts empty beside a primary restored from a snapshot would have to replicate
  // the whole history, whose binary logs the primary no longer holds: all hosts, or none.
  const unnamed = mysqlHosts.filter((host) => mysqlDisks[host] === undefined);
  if (Object.keys(mysqlDisks).length > 0 && unnamed.length > 0) {
    throw new DrInputError(
      `--snapshot: name an EBS snapshot for every MySQL host of ${spec.name}, or none to load its dumps; missing ${unnamed.map((host) => `${host}=snap-...`).join(", ")} (a host that starts empty cannot replicate from a primary restored from a snapshot)`,
    );
  }
  return { rds, mysqlDisks };
}

/** ARNs of replicated backups by database, from the replaced stack's drBackups output. */
function replicatedArns(backups: unknown, stack: string): Record<string, string> {
  const rds = (backups as { rds?: unknown } | null)?.rds;
  if (rds === null || typeof rds !== "object") {
    throw new DrInputError(
      `--backups: expected the output of \`pulumi stack output -s ${stack} drBackups --json\` (an object with rds)`,
    );
  }
  const arns: Record<string, string> = {};
  for (const [db, entry] of Object.entries(rds as Record<string, unknown>)) {
    const arn = (entry as { replicatedBackupsArn?: unknown } | null)?.replicatedBackupsArn;
    if (typeof arn !== "string") continue;
    if (!REPLICATED_ARN.test(arn)) {
      throw new DrInputError(
        `--backups: rds.${db}.replicatedBackupsArn ${arn} is not the ARN of replicated backups (arn:aws:rds:<region>:<account>:auto-backup:ab-...)`,
      );
    }
    arns[db] = arn;
  }
  return arns;
}

/**
 * Each MySQL host's data disk: from the snapshot named for it, else from the most recent snapshot
 * of the lost region's disk (looked up when the rebuild is deployed).
 */
export function gcpDiskRestores(spec: GcpRegionSpec, snapshots: SnapshotChoice): Raw {
  const hosts = Array.from({ length: spec.hosts.mysql.count }, (_, i) => `mysql-${i + 1}`);
  for (const key of snapshots.named.keys()) {
    if (!hosts.includes(key)) {
      throw new DrInputError(
        `--snapshot ${key}=...: ${key} is not a MySQL host of ${spec.name} (${hosts.join(", ") || "none"})`,
      );
    }
  }
  const disks: Raw = {};
  for (const host of hosts) {
    const snapshot =
      snapshots.named.get(host) ??
      (snapshots.label ? `${spec.name}-${host}-data-${snapshots.label}` : undefined);
    if (snapshot === undefined) {
      disks[host] = { latestSnapshotOf: dataDiskName(spec.name, host) };
      continue;
    }
    if (!/^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(snapshot)) {
      throw new DrInputError(`--snapshot ${host}=${snapshot}: expected a GCE snapshot name`);
    }
    disks[host] = { snapshot };
  }
  return disks;
}
