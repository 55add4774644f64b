// Object storage (access logs, off-site backups): never readable by the public.
import type { ResourceRule, StackRule } from "./types";
import { isTrue, text } from "./values";

const BUCKET = "aws:s3/bucket:Bucket";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BLOCK_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const awsS3PublicAccessBlocked: StackRule = {
  kind: "stack",
  name: "aws-s3-public-access-blocked",
  description:
    "Every S3 bucket has a public access block with all four settings on, so no ACL or policy can open it.",
  remediation:
    "Create an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.",
  enforcementLevel: "mandatory",
  validate(resources) {
    return resources
      .filter((resource) => resource.type === BUCKET)
      .flatMap((bucket) => {
        const blocks = resources.filter(
          (resource) =>
            resource.type === PUBLIC_ACCESS_BLOCK && resource.dependencies.includes(bucket.urn),
        );
        if (blocks.length === 0)
          return [{ urn: bucket.urn, message: "no public access block guards the bucket" }];
        const off = BLOCK_FLAGS.filter(
          (flag) => !blocks.some((block) => isTrue(block.props[flag])),
        );
        return off.length === 0
          ? []
          : [{ urn: bucket.urn, message: `the public access block leaves ${off.join(", ")} off` }];
      });
  },
};

export const gcpStoragePrivate: ResourceRule = {
  kind: "resource",
  name: "gcp-storage-private",
  description:
    "Cloud Storage buckets use uniform bucket-level access (IAM only, no object ACLs) and enforce public access prevention.",
  remediation: 'Set uniformBucketLevelAccess: true and publicAccessPrevention: "enforced".',
  enforcementLevel: "mandatory",
  resourceTypes: ["gcp:storage/bucket:Bucket"],
  validate(props) {
    const problems: string[] = [];
    if (!isTrue(props.uniformBucketLevelAccess))
      problems.push("uniformBucketLevelAccess is not true: object ACLs can grant access");
    const prevention = text(props.publicAccessPrevention);
    if (prevention !== "enforced")
      problems.push(
        `publicAccessPrevention is ${prevention ?? "not set"}: the bucket can be made public`,
      );
    return problems;
  },
};
