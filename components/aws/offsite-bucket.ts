// The S3 bucket that a region's hosts ship their own backups to (Consul snapshots, MySQL dumps),
// in another region than the hosts: private, versioned, encrypted with the backup region's key,
// TLS only, and emptied after the region's backup retention. Writers get `writeGrants`: adding
// objects under their prefix, nothing else (no read, no list, no delete).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";
import { guardBucket } from "./bucket-guards";
import { denyInsecureTransport } from "./policies";

export interface OffsiteBucketArgs {
  /** The region whose backups these are: names, tags and retention (dr.backupRetentionDays). */
  spec: RegionSpec;
  /** The provider of the backup region. */
  provider: aws.Provider;
  /** The backup region's name (for the KMS condition of writers). */
  awsRegion: string;
  /** The key that encrypts every object (the backup region's). */
  keyArn: pulumi.Input<string>;
}

export class OffsiteBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly awsRegion: string;
  public readonly keyArn: pulumi.Input<string>;

  constructor(name: string, args: OffsiteBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:OffsiteBucket", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const days = spec.dr.backupRetentionDays;
    this.awsRegion = args.awsRegion;
    this.keyArn = args.keyArn;

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        bucketPrefix: `multicloud-${spec.name}-backups-`,
        forceDestroy: false,
        tags: { Name: `multicloud-${spec.name}-backups` },
      },
      // Holds the only copy of the region's host-level backups outside the region.
      { ...children, protect: true },
    );
    const publicAccess = guardBucket(name, bucket, children);
    // An object a writer replaces or that expires stays recoverable as a noncurrent version.
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      children,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: args.keyArn,
            },
            // One data key per bucket rather than per object: fewer KMS calls, same protection.
            bucketKeyEnabled: true,
          },
        ],
      },
      children,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-after-retention",
            status: "Enabled",
            filter: {},
            expiration: { days },
            noncurrentVersionExpiration: { noncurrentDays: days },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
          {
            id: "drop-expired-delete-markers",
            status: "Enabled",
            filter: {},
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      { ...children, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: { Version: "2012-10-17", Statement: [denyInsecureTransport(bucket.arn)] },
      },
      { ...children, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.id;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }

  /** IAM statements that let a writer add objects under `prefix/` and nothing else. */
  public writeGrants(prefix: string): aws.iam.PolicyStatement[] {
    return offsiteWriteStatements(this.bucketArn, prefix, this.keyArn, this.awsRegion);
  }
}

/** PutObject under one prefix, and the key use S3 makes on the writer's behalf for SSE-KMS. */
export function offsiteWriteStatements(
  bucketArn: pulumi.Input<string>,
  prefix: string,
  keyArn: pulumi.Input<string>,
  awsRegion: string,
): aws.iam.PolicyStatement[] {
  return [
    {
      Sid: `ShipBackups${pascal(prefix)}`,
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/${prefix}/*`,
    },
    {
      Sid: `EncryptBackups${pascal(prefix)}`,
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${awsRegion}.amazonaws.com` } },
    },
  ];
}

/**
 * What a rebuild's MySQL hosts need of the lost region's bucket, and nothing more: listing under
 * `mysql/` (ListBucket on the bucket, narrowed by the s3:prefix condition), reading the objects
 * under `mysql/`, and, when the bucket is encrypted with a KMS key, the decryption S3 asks for on
 * the reader's behalf (only through S3 in the bucket's region).
 */
export function offsiteDumpReadStatements(
  bucketArn: pulumi.Input<string>,
  awsRegion: string,
  keyArn?: pulumi.Input<string>,
): aws.iam.PolicyStatement[] {
  return [
    {
      Sid: "ListLostRegionDumps",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": ["mysql/*"] } },
    },
    {
      Sid: "ReadLostRegionDumps",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${bucketArn}/mysql/*`,
    },
    ...(keyArn === undefined
      ? []
      : [
          {
            Sid: "DecryptLostRegionDumps",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${awsRegion}.amazonaws.com` } },
          },
        ]),
  ];
}

function pascal(word: string): string {
  return word.replace(/(^|[-_])([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
