// The Cloud Storage bucket that the site's hosts ship their own backups to (Consul snapshots, MySQL
// dumps), in the disaster-recovery region: uniform access, no public access, versioned, and emptied
// after the region's backup retention. Each writer's service account may only create objects under
// its own prefix (an IAM condition); creating never replaces an object, and nothing else is granted.
// A rebuild elsewhere may read the MySQL dumps of a lost region's bucket, and only those.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import { DUMP_READ_PREFIX, dumpReadExpression } from "./dump-read-condition";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GcpOffsiteWriter {
  /** The object prefix it writes under (consul, mysql). */
  readonly prefix: string;
  /** A short word for resource names (the role). */
  readonly key: string;
  readonly serviceAccountEmail: pulumi.Input<string>;
}

export interface GcpOffsiteBucketArgs extends GcpComponentArgs {
  readonly project: string;
  /** The region's short id (uk): the bucket is `<project>-<region>-backups`. */
  readonly regionName: string;
  /** Where the bucket lives: the disaster-recovery region, not the site's. */
  readonly location: string;
  /** Days an object (and a replaced or expired version) is kept. */
  readonly retentionDays: number;
  readonly writers: readonly GcpOffsiteWriter[];
  readonly labels?: Record<string, string>;
}

/** The bucket's name: project ids are globally unique, so names built on them are the project's. */
export function offsiteBucketName(project: string, regionName: string): string {
  return `${project}-${regionName}-backups`;
}

/** An IAM condition that limits a grant to objects under one prefix of one bucket. */
export function prefixCondition(bucket: string, prefix: string): string {
  return `resource.name.startsWith("projects/_/buckets/${bucket}/objects/${prefix}/")`;
}

export class GcpOffsiteBucket extends pulumi.ComponentResource {
  readonly bucket: gcp.storage.Bucket;
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: GcpOffsiteBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:OffsiteBucket", name, {}, opts);
    const child = childOptions(this, args);
    const bucketName = offsiteBucketName(args.project, args.regionName);

    this.bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        name: bucketName,
        project: args.project,
        location: args.location.toUpperCase(),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        // An object that is replaced or expires stays recoverable as a noncurrent version.
        versioning: { enabled: true },
        lifecycleRules: [
          { action: { type: "Delete" }, condition: { age: args.retentionDays } },
          {
            action: { type: "Delete" },
            condition: { withState: "ARCHIVED", daysSinceNoncurrentTime: args.retentionDays },
          },
        ],
        forceDestroy: false,
        labels: args.labels,
      },
      // Holds the only copy of the region's host-level backups outside the region.
      { ...child, protect: true },
    );

    for (const writer of args.writers) {
      new gcp.storage.BucketIAMMember(
        `${name}-${writer.key}-creates`,
        {
          bucket: this.bucket.name,
          // Create only: replacing an object would need delete, which no writer has.
          role: "roles/storage.objectCreator",
          member: pulumi.interpolate`serviceAccount:${writer.serviceAccountEmail}`,
          condition: {
            title: `${writer.prefix} objects only`,
            description: `Objects under ${writer.prefix}/ in ${bucketName}`,
            expression: prefixCondition(bucketName, writer.prefix),
          },
        },
        child,
      );
    }

    this.bucketName = this.bucket.name;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}

export interface GcpDumpReadGrantArgs extends GcpComponentArgs {
  /** The lost region's off-site bucket. */
  readonly bucket: pulumi.Input<string>;
  /** The rebuild's MySQL hosts' service account. */
  readonly serviceAccountEmail: pulumi.Input<string>;
}

/**
 * Lets a rebuild's MySQL hosts list and read the lost region's dumps, and nothing else of that
 * bucket (its Consul snapshots hold the lost cluster's ACL tokens): objectViewer on that one
 * bucket, never on the project, under an IAM condition that admits reads of objects under
 * `mysql/` and listings whose prefix starts with `mysql/` (see dump-read-condition.ts).
 */
export class GcpDumpReadGrant extends pulumi.ComponentResource {
  constructor(name: string, args: GcpDumpReadGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:DumpReadGrant", name, {}, opts);
    const bucket = pulumi.output(args.bucket);
    new gcp.storage.BucketIAMMember(
      `${name}-reads`,
      {
        bucket,
        role: "roles/storage.objectViewer",
        member: pulumi.interpolate`serviceAccount:${args.serviceAccountEmail}`,
        condition: {
          title: `${DUMP_READ_PREFIX} objects only`,
          description: pulumi.interpolate`Reads and listings under ${DUMP_READ_PREFIX} in ${bucket}`,
          expression: bucket.apply(dumpReadExpression),
        },
      },
      childOptions(this, args),
    );
    this.registerOutputs({});
  }
}
