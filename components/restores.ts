// What a rebuild of a lost region restores from (the spec's dr.restore), in the forms the sites
// take: RDS restores (a `fromStack` point in time reads the lost stack's `drBackups` output through
// a stack reference, since that stack's state outlives its region) and data-disk snapshots.
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseRestore } from "./aws/rds";
import type { RestoreSpec } from "./spec/dr";

/**
 * The spec's RDS restores, as the AWS site takes them. A point in time `fromStack` takes the ARN of
 * the replicated backups from that stack's `drBackups` output (its state outlives its region),
 * through one StackReference per stack.
 */
export function databaseRestores(
  restore: RestoreSpec,
  parent: pulumi.Resource,
): Record<string, DatabaseRestore> {
  const references = new Map<string, pulumi.StackReference>();
  const referenceTo = (stack: string): pulumi.StackReference => {
    const name = qualifiedStackName(stack);
    const known = references.get(name);
    if (known) return known;
    const reference = new pulumi.StackReference(name, { name }, { parent });
    references.set(name, reference);
    return reference;
  };
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
                  referenceTo(fromStack),
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
