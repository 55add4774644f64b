// What a rebuild of a lost region restores from (the spec's dr.restore), in the forms the sites
// and the host layer take: RDS restores (a `fromStack` point in time reads the lost stack's
// `drBackups` output through a stack reference, since that stack's state outlives its region),
// data-disk snapshots, and where the lost primary's MySQL dumps are.
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseRestore } from "./aws/rds";
import type { MysqlDumpsSpec, RestoreSpec } from "./spec/dr";

/** One StackReference per referenced stack and parent: two of one name would be one URN twice. */
const references = new WeakMap<pulumi.Resource, Map<string, pulumi.StackReference>>();

function referenceTo(stack: string, parent: pulumi.Resource): pulumi.StackReference {
  const name = qualifiedStackName(stack);
  let known = references.get(parent);
  if (!known) {
    known = new Map();
    references.set(parent, known);
  }
  const found = known.get(name);
  if (found) return found;
  const reference = new pulumi.StackReference(name, { name }, { parent });
  known.set(name, reference);
  return reference;
}

/**
 * The spec's RDS restores, as the AWS site takes them. A point in time `fromStack` takes the ARN of
 * the replicated backups from that stack's `drBackups` output (its state outlives its region),
 * through one StackReference per stack.
 */
export function databaseRestores(
  restore: RestoreSpec,
  parent: pulumi.Resource,
): Record<string, DatabaseRestore> {
  const out: Record<string, DatabaseRestore> = {};
  for (const [name, entry] of Object.entries(restore.rds)) {
    if (entry.snapshotIdentifier !== undefined) {
      out[name] = { snapshotIdentifier: entry.snapshotIdentifier };
    } else if (entry.pointInTime) {
      const { fromStack, ...pointInTime } = entry.pointInTime;
      out[name] = {
        pointInTime:
          fromStack === undefined
            ? pointInTime
            : {
                ...pointInTime,
                sourceDbInstanceAutomatedBackupsArn: replicatedBackupsArn(
                  referenceTo(fromStack, parent),
                  fromStack,
                  name,
                ),
              },
      };
    }
  }
  return out;
}

/**
 * A stack reference's name: as written when qualified (org/project/stack), else in this program's
 * organization and project. Offline (mocks) there is no organization: the bare name then.
 */
function qualifiedStackName(stack: string): string {
  if (stack.includes("/")) return stack;
  let organization: string | undefined;
  try {
    organization = pulumi.getOrganization();
  } catch {
    // The runtime throws when it was given no organization (mocks without one).
    organization = undefined;
  }
  return organization ? `${organization}/${pulumi.getProject()}/${stack}` : stack;
}

/** rds.<db>.replicatedBackupsArn of a stack's drBackups output; a missing one fails the run. */
function replicatedBackupsArn(
  reference: pulumi.StackReference,
  stack: string,
  db: string,
): pulumi.Output<string> {
  return reference.requireOutput("drBackups").apply((backups: unknown) => {
    const rds = (backups as { rds?: Record<string, { replicatedBackupsArn?: unknown }> } | null)
      ?.rds;
    const arn = rds?.[db]?.replicatedBackupsArn;
    if (typeof arn !== "string") {
      throw new Error(`stack ${stack}: its drBackups output has no rds.${db}.replicatedBackupsArn`);
    }
    return arn;
  });
}

/** The spec's disk restores from named snapshots: snapshot by MySQL host name. */
export function diskSnapshots(restore: RestoreSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(restore.mysqlDisks).flatMap(([host, disk]) =>
      disk.snapshot === undefined ? [] : [[host, disk.snapshot]],
    ),
  );
}

/** The spec's disk restores from a disk's latest snapshot (GCP): source disk by MySQL host name. */
export function latestSnapshotSources(restore: RestoreSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(restore.mysqlDisks).flatMap(([host, disk]) =>
      disk.latestSnapshotOf === undefined ? [] : [[host, disk.latestSnapshotOf]],
    ),
  );
}

/**
 * Where a rebuild's MySQL hosts find the lost primary's dumps (dr.restore.mysqlDumps), for the
 * grants that let them read it and the name the site gives them (components/host/mysql-restore.ts):
 * the bucket's region, the bucket and, for S3, the KMS key its objects are encrypted with (read
 * from the lost stack's drBackups output when the spec names the stack, else as the spec has them).
 */
export interface MysqlDumpSource {
  /** The bucket's AWS region (s3) or GCP location (gcs). */
  readonly location: string;
  readonly bucket: pulumi.Output<string>;
  /** S3: the key that encrypts its objects; none when the saved spec names none (SSE-S3). */
  readonly keyArn?: pulumi.Output<string>;
}

export function mysqlDumpSource(
  restore: RestoreSpec | undefined,
  parent: pulumi.Resource,
): MysqlDumpSource | undefined {
  const dumps: MysqlDumpsSpec | undefined = restore?.mysqlDumps;
  if (!dumps) return undefined;
  if (dumps.bucket !== undefined) {
    return {
      location: dumps.location,
      bucket: pulumi.output(dumps.bucket),
      ...(dumps.keyArn !== undefined ? { keyArn: pulumi.output(dumps.keyArn) } : {}),
    };
  }
  const stack = dumps.fromStack ?? "";
  const offsite = offsiteOf(referenceTo(stack, parent), stack);
  return {
    location: dumps.location,
    bucket: offsite.apply((o) => o.bucket),
    ...(dumps.store === "s3" ? { keyArn: offsite.apply((o) => requireKey(o, stack)) } : {}),
  };
}

interface Offsite {
  readonly bucket: string;
  readonly keyArn?: string;
}

/** offsite of a stack's drBackups output; one without a bucket fails the run. */
function offsiteOf(reference: pulumi.StackReference, stack: string): pulumi.Output<Offsite> {
  return reference.requireOutput("drBackups").apply((backups: unknown) => {
    const offsite = (backups as { offsite?: { bucket?: unknown; keyArn?: unknown } } | null)
      ?.offsite;
    if (typeof offsite?.bucket !== "string") {
      throw new Error(`stack ${stack}: its drBackups output has no offsite.bucket`);
    }
    return typeof offsite.keyArn === "string"
      ? { bucket: offsite.bucket, keyArn: offsite.keyArn }
      : { bucket: offsite.bucket };
  });
}

function requireKey(offsite: Offsite, stack: string): string {
  if (offsite.keyArn === undefined) {
    throw new Error(
      `stack ${stack}: its drBackups output has no offsite.keyArn, so the dumps cannot be decrypted; write the rebuild with --backups and add dr.restore.mysqlDumps.keyArn (the backup region's key)`,
    );
  }
  return offsite.keyArn;
}
