// What every S3 bucket of the program gets: no public access of any kind, and objects owned by
// the bucket owner (ACLs off), so no writer can hand an object to someone else.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

/** Creates `${name}-public-access` and `${name}-ownership`; returns the public access block. */
export function guardBucket(
  name: string,
  bucket: aws.s3.Bucket | aws.s3.BucketV2,
  opts: pulumi.CustomResourceOptions,
): aws.s3.BucketPublicAccessBlock {
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  return publicAccess;
}
