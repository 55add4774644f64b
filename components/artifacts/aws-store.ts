// The region's artifact store on AWS: a private S3 bucket that holds the chocon binary of the
// deploy, uploaded by the program from the artifacts workflow's bundle under a content-addressed
// key. Readers are granted GetObject on the chocon objects and nothing else. Hosts learn the
// bucket's name only once the object is in it, so none looks before it is there.
import * as pulumi from "@pulumi/pulumi";
import { guardBucket } from "../aws/bucket-guards";
import { denyInsecureTransport } from "../aws/policies";
import { CHOCON_OBJECT_PREFIX, choconObjectKey } from "../host/chocon-build";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";
import { type ChoconRelease, choconBinaryAsset, unknownOutput } from "./publish";

export interface AwsArtifactStoreArgs {
  /** The region whose artifacts these are: names and tags. */
  readonly spec: RegionSpec;
  /** The provider of the AWS region the bucket lives in. */
  readonly provider: aws.Provider;
  readonly release: ChoconRelease;
}

/** Old builds stay readable this long after a newer one replaces them (hosts mid-boot). */
const NONCURRENT_DAYS = 30;

export class AwsArtifactStore extends pulumi.ComponentResource {
  public readonly bucketArn: pulumi.Output<string>;
  /** The bucket's name, resolved only once the chocon object is in it. */
  public readonly bucketNameWhenFilled: pulumi.Output<string>;
  /** The chocon object's key (`chocon/<version>/<sha256>/chocon`). */
  public readonly choconKey: pulumi.Output<string>;

  constructor(name: string, args: AwsArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:artifacts:AwsArtifactStore", name, {}, opts);
    const { spec, release } = args;
    const children = { parent: this, provider: args.provider };

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        bucketPrefix: `multicloud-${spec.name}-artifacts-`,
        // Everything in it is rebuilt from source by the artifacts workflow.
        forceDestroy: true,
        tags: { Name: `multicloud-${spec.name}-artifacts` },
      },
      children,
    );
    const publicAccess = guardBucket(name, bucket, children);
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      children,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        // S3's own keys: the objects are open-source builds, and readers need no KMS grant.
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      children,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-replaced-builds",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
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

    this.choconKey =
      release.kind === "built"
        ? pulumi.output(choconObjectKey(release.artifacts))
        : unknownOutput<string>();
    const object = new aws.s3.BucketObjectv2(
      `${name}-chocon`,
      {
        bucket: bucket.id,
        key: this.choconKey,
        source: choconBinaryAsset(release),
        contentType: "application/octet-stream",
        // S3 checks the upload against its SHA-256, so no byte changes on the way in.
        checksumAlgorithm: "SHA256",
      },
      { ...children, dependsOn: [publicAccess] },
    );

    this.bucketArn = bucket.arn;
    this.bucketNameWhenFilled = pulumi
      .all([bucket.id, object.id])
      .apply(([bucketName]) => bucketName);
    this.registerOutputs({ bucketName: bucket.id, choconKey: this.choconKey });
  }

  /** IAM statements that let a reader download chocon builds, and nothing else. */
  public readStatements(): aws.iam.PolicyStatement[] {
    return [
      {
        Sid: "ReadChoconBuilds",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`${this.bucketArn}/${CHOCON_OBJECT_PREFIX}/*`,
      },
    ];
  }
}
