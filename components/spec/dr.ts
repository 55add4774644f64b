// Disaster recovery in the spec: where backups go, how long they are kept, and, in a stack that
// rebuilds a lost region elsewhere, which stack it replaces and what its databases are restored
// from. A restore applies when a database or disk is created; later runs ignore it.
import { z } from "zod";
import { awsRegionName } from "./clouds";
import { hostLabel, intIn, oneOf, strict, text } from "./primitives";

/** A UTC instant in ISO 8601 with seconds, as RDS takes it: 2025-06-10T03:00:00Z. */
export function isUtcTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) &&
    new Date(value).toISOString().replace(".000Z", "Z") === value
  );
}
export const utcTime = z
  .string({ error: "expected a UTC time such as 2025-06-10T03:00:00Z" })
  .refine(isUtcTime, { error: "expected a UTC time such as 2025-06-10T03:00:00Z" });

/** A stack by its bare name (us) or fully qualified (org/project/us). */
export const STACK_REFERENCE = /^(?:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.-]+$/;

/** One RDS database (by its aws.rds name): a point in time of its backups, or a snapshot. */
export const rdsRestoreSchema = strict({
  pointInTime: strict({
    /** Replicated automated backups in this stack's region: arn:aws:rds:<region>:<account>:auto-backup:ab-... */
    sourceDbInstanceAutomatedBackupsArn: text(
      /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/,
      "the ARN of replicated automated backups (arn:aws:rds:<region>:<account>:auto-backup:ab-...)",
    ).optional(),
    /** The source instance's resource id (db-...), whose retained backups are in this region. */
    sourceDbiResourceId: text(
      /^db-[A-Z0-9]+$/,
      "a DB resource id such as db-ABCDEFGHIJKL",
    ).optional(),
    /**
     * The stack whose `drBackups` output names the replicated backups (rds.<db>.replicatedBackupsArn):
     * a stack of this project and organization (us), or a fully qualified one (org/project/us). Its
     * state outlives the region, so the ARN is read when the rebuild is deployed.
     */
    fromStack: text(STACK_REFERENCE, "a stack name such as us, or org/project/us").optional(),
    /** The time to restore to; the latest restorable time when useLatestRestorableTime is set. */
    restoreTime: utcTime.optional(),
    useLatestRestorableTime: z
      .literal(true, { error: "expected true (or leave it out)" })
      .optional(),
  }).optional(),
  /** A DB snapshot in this stack's region: its identifier, or its ARN. */
  snapshotIdentifier: text(
    /^(?:arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?[A-Za-z][A-Za-z0-9:-]{0,254}$/,
    "a DB snapshot identifier or ARN",
  ).optional(),
});
export type RdsRestoreSpec = z.output<typeof rdsRestoreSchema>;

/**
 * A MySQL host's data disk made from a snapshot: a named one (EBS snapshot id on AWS, snapshot name
 * on GCP), or on GCP the most recent snapshot of a disk (GCE names scheduled snapshots itself, so
 * a rebuild names the lost disk and the latest snapshot is looked up when the disk is created).
 * Exactly one of the two (rules.ts).
 */
export const diskRestoreSchema = strict({
  snapshot: text(
    /^[a-z][a-z0-9/._-]{0,250}$/,
    "a snapshot: an EBS snapshot id (snap-...) or a GCE snapshot name",
  ).optional(),
  /** GCP: the name of the source disk (uk-mysql-1-data) whose latest snapshot the disk is made from. */
  latestSnapshotOf: text(
    /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
    "a GCE disk name such as uk-mysql-1-data",
  ).optional(),
});
export type DiskRestoreSpec = z.output<typeof diskRestoreSchema>;

/**
 * Where the nightly MySQL dumps of the lost region are, for the rebuild's MySQL hosts to load at
 * their first boot, before replication starts (the hosts' mysql role reads this). The dumps lie in the
 * lost region's off-site bucket under `mysql/<primary>/<UTC time>/`, complete once SHA256SUMS is
 * there. The bucket is read from the lost stack's drBackups output (`fromStack`, when the rebuild
 * is deployed) or named (`bucket`, from a saved drBackups); exactly one of the two (rules.ts).
 */
export const mysqlDumpsSchema = strict({
  /** The object store: S3 (AWS and Sakura regions) or Cloud Storage (GCP regions). */
  store: oneOf(["s3", "gcs"]),
  /** The bucket's AWS region (S3) or GCP location (Cloud Storage). */
  location: text(/^[a-z0-9-]+$/, "a region such as ap-northeast-3 or europe-west1"),
  /** The lost stack whose drBackups output names the bucket (offsite.bucket). */
  fromStack: text(STACK_REFERENCE, "a stack name such as jp, or org/project/jp").optional(),
  /** The bucket itself. */
  bucket: text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "a bucket name").optional(),
  /** S3, with `bucket`: the KMS key its objects are encrypted with (drBackups' offsite.keyArn). */
  keyArn: text(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    "a KMS key ARN (arn:aws:kms:<region>:<account>:key/...)",
  ).optional(),
  /** The lost region's MySQL primary (its host name): its dumps are the ones loaded. */
  primary: hostLabel,
});
export type MysqlDumpsSpec = z.output<typeof mysqlDumpsSchema>;

export const restoreSchema = strict({
  /** By database name (aws.rds[].name). */
  rds: z
    .record(hostLabel, rdsRestoreSchema, { error: "expected a mapping of database names" })
    .default({}),
  /** By MySQL host name (mysql-1, mysql-2...): the snapshot each data disk is created from. */
  mysqlDisks: z
    .record(hostLabel, diskRestoreSchema, { error: "expected a mapping of MySQL host names" })
    .default({}),
  /** The lost region's MySQL dumps, which this region's MySQL hosts load when they start empty. */
  mysqlDumps: mysqlDumpsSchema.optional(),
});
export type RestoreSpec = z.output<typeof restoreSchema>;

export const drSchema = strict({
  /** Where backups are copied: an AWS region, a GCP region or a Sakura zone, not the region's own. */
  backupLocation: text(/^[a-z0-9-]+$/, "a region or zone name such as us-east-1"),
  backupRetentionDays: intIn(7, 35).default(14),
  /**
   * Sakura only: the AWS region of the S3 bucket that host-level backups (Consul snapshots, MySQL
   * dumps) are shipped to, so that they leave the provider. Default ap-northeast-3 (Osaka), apart
   * from both Tokyo and Ishikari.
   */
  offsiteRegion: awsRegionName.optional(),
  /**
   * This stack rebuilds the region of another stack (its stack name, e.g. us) somewhere else. The
   * two may share network ranges, since they never run connected side by side.
   */
  replaces: text(/^[A-Za-z0-9_.-]+$/, "a stack name such as us").optional(),
  /** What the databases of a rebuilt region are created from. */
  restore: restoreSchema.optional(),
  /**
   * Names the lost region's hosts had, by the host of this region that took each one's place
   * (db01: mysql-1): the internal zone answers them with that host's address, so clients that
   * name a dedicated server still reach its successor.
   */
  formerHosts: z
    .record(hostLabel, hostLabel, { error: "expected a mapping of former host names to hosts" })
    .optional(),
});
export type DrSpec = z.output<typeof drSchema>;

/**
 * What a rebuild puts before the names it shares a namespace with what is left of the region it
 * replaces (GCE instance names in the project, Route53 set identifiers in the zone): its own name.
 * A region that replaces none keeps the names it always had.
 */
export function rebuildPrefix(spec: { readonly name: string; readonly dr: DrSpec }): string {
  return spec.dr.replaces === undefined ? "" : `${spec.name}-`;
}

/** Where Sakura regions ship host-level backups when the spec names no region. */
export const DEFAULT_SAKURA_OFFSITE_REGION = "ap-northeast-3";

/**
 * The AWS region of the object store for host-level backups: the backup location on AWS, the
 * offsite region on Sakura; none on GCP (its bucket is in Cloud Storage, in the backup location).
 */
export function offsiteAwsRegion(spec: {
  cloud: "aws" | "gcp" | "sakura";
  dr: DrSpec;
}): string | undefined {
  switch (spec.cloud) {
    case "aws":
      return spec.dr.backupLocation;
    case "sakura":
      return spec.dr.offsiteRegion ?? DEFAULT_SAKURA_OFFSITE_REGION;
    case "gcp":
      return undefined;
  }
}
