// The bucket the load balancer writes its access logs to: private (public access blocked, owner
// enforced), encrypted, TLS-only, and emptied by age.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { AwsRegionSpec } from "../spec/schema";
import type { AwsAccount } from "./account";
import { guardBucket } from "./bucket-guards";
import { denyInsecureTransport } from "./policies";

export interface AccessLogBucketArgs {
  spec: AwsRegionSpec;
  provider: aws.Provider;
  account: AwsAccount;
  /** Key prefix the load balancer writes under. Default "alb". */
  prefix?: string;
  /** Days a log object is kept. Default 90. */
  expirationDays?: number;
}

export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly prefix: string;
  /** The bucket policy: a load balancer must wait for it, or AWS refuses to enable logging. */
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:AccessLogBucket", name, {}, opts);
    const { spec, account } = args;
    const children = { parent: this, provider: args.provider };
    this.prefix = args.prefix ?? "alb";

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        bucketPrefix: `multicloud-${spec.name}-alb-logs-`,
        forceDestroy: false,
        tags: { Name: `multicloud-${spec.name}-alb-logs` },
      },
      children,
    );
    const publicAccess = guardBucket(name, bucket, children);
    // Load balancers write access logs with S3-managed keys only (SSE-KMS is not supported).
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
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
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.expirationDays ?? 90 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      children,
    );

    // Older regions (us-west-2 among them) deliver from a regional ELB account; newer ones from
    // the log-delivery service principal. Both may write, and only under this account's prefix.
    const elbAccount = aws.elb.getServiceAccountOutput({}, children);
    const logObjects = pulumi.interpolate`${bucket.arn}/${this.prefix}/AWSLogs/${account.id}/*`;
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: {
          Version: "2012-10-17",
          Statement: [
            denyInsecureTransport(bucket.arn),
            {
              Sid: "ElbAccountWritesLogs",
              Effect: "Allow",
              Principal: { AWS: elbAccount.arn },
              Action: "s3:PutObject",
              Resource: logObjects,
            },
            {
              Sid: "ElbLogDeliveryWritesLogs",
              Effect: "Allow",
              Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: logObjects,
            },
          ],
        },
      },
      { ...children, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.id;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
