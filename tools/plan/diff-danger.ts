// Which resources hold state, and which input changes make a provider re-create a resource.
// Deleting or re-creating one of these loses data or identity (addresses, names, secrets), so
// the diff flags it. The replace-forcing inputs come from the table generated from the
// providers' own schemas (tools/references/replace-on-change.json); Sakura's dynamic providers
// keep their own lists.

import { overlaps, type PathSegment, parsePath } from "./diff-paths";
import type { PlannedResource } from "./plan";
import { tableReplacing } from "./replace-rules";

/** Resource types whose loss loses data, with the words a reviewer reads. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  "aws:rds/instance:Instance": "RDS instance",
  "aws:rds/cluster:Cluster": "RDS cluster",
  "aws:ebs/volume:Volume": "EBS volume",
  "aws:ec2/instance:Instance": "fixed EC2 instance",
  "aws:route53/zone:Zone": "Route53 zone",
  "aws:kms/key:Key": "KMS key",
  "aws:s3/bucket:Bucket": "Amazon S3 bucket (its objects)",
  "aws:secretsmanager/secret:Secret": "Secrets Manager secret",
  "gcp:compute/disk:Disk": "GCE disk",
  "gcp:compute/instance:Instance": "fixed GCE instance",
  "gcp:container/cluster:Cluster": "GKE cluster",
  "gcp:storage/bucket:Bucket": "Cloud Storage bucket (its objects)",
  "gcp:secretmanager/secret:Secret": "Secret Manager secret",
  "gcp:artifactregistry/repository:Repository": "Artifact Registry repository (its images)",
  "pulumi-nodejs:dynamic/sakuracloud:Server": "Sakura server",
  "pulumi-nodejs:dynamic/sakuracloud:Disk": "Sakura disk",
  "random:index/randomPassword:RandomPassword": "random secret",
  "random:index/randomString:RandomString": "random secret",
  "random:index/randomBytes:RandomBytes": "random secret",
  "random:index/randomUuid:RandomUuid": "random secret",
  "random:index/randomId:RandomId": "random value",
};

/**
 * A key whose change re-creates the resource, for the types the generated table does not cover:
 * the Sakura providers' own lists (components/sakura/provider/*-provider.ts).
 */
interface ReplaceRule {
  readonly path: string;
  readonly note?: string;
}

const HAND_RULES: Readonly<Record<string, readonly ReplaceRule[]>> = {
  "pulumi-nodejs:dynamic/sakuracloud:Server": [
    { path: "zone" },
    { path: "cpu" },
    { path: "memoryGb" },
    { path: "commitment" },
    { path: "interfaces" },
    { path: "diskIds" },
    { path: "cloudInitUserData" },
  ],
  "pulumi-nodejs:dynamic/sakuracloud:Disk": [
    { path: "zone" },
    { path: "plan" },
    { path: "sizeGb" },
    { path: "sourceArchiveId" },
    { path: "sourceArchiveTags" },
    { path: "edit" },
  ],
};

/** Provider settings that move a provider's resources elsewhere (re-created there). */
export const PROVIDER_REPLACE_KEYS = ["region", "project", "zone"] as const;

export function statefulKind(type: string): string | undefined {
  return STATEFUL_TYPES[type];
}

/** True for what must not be lost: protected resources and the stateful types. */
export function isPrecious(resource: PlannedResource): boolean {
  return resource.protect || statefulKind(resource.type) !== undefined;
}

/** Words for a precious resource with its article: "a protected RDS instance", "an EBS volume". */
export function describePrecious(resource: PlannedResource): string {
  const kind = statefulKind(resource.type) ?? "resource";
  const words = resource.protect ? `protected ${kind}` : kind;
  // "an RDS" is read "an ar-dee-ess"; the other kinds start as they sound.
  return /^(?:[aeiou]|RDS)/i.test(words) ? `an ${words}` : `a ${words}`;
}

/** One input that makes the provider re-create the resource, and why. */
export interface Replacing {
  readonly input: string;
  /** Where the rule comes from: "aws_vpc.cidr_block: ForceNew", "documented". */
  readonly reason: string;
}

/** The changed paths that make the provider re-create this resource. */
export function replacingPaths(
  type: string,
  changed: readonly (readonly PathSegment[])[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  providerInputs: Record<string, unknown> = {},
): Replacing[] {
  const fromTable = tableReplacing(type, changed, before, after, providerInputs);
  if (fromTable) return fromTable;
  const found: Replacing[] = [];
  for (const rule of HAND_RULES[type] ?? []) {
    const rulePath = parsePath(rule.path);
    if (!changed.some((path) => overlaps(rulePath, path))) continue;
    found.push({
      input: rule.note ? `${rule.path} (${rule.note})` : rule.path,
      reason: "documented",
    });
  }
  return found;
}
