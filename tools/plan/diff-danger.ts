// Which resources hold state, and which input changes make a provider re-create a resource.
// Deleting or re-creating one of these loses data or identity (addresses, names, secrets), so
// the diff flags it. The replace-forcing keys are those the providers document as "forces
// replacement" for the types this program uses; a list can be incomplete, never wrong.

import { formatPath, overlaps, type PathSegment, parsePath, valueAt } from "./diff-paths";
import type { PlannedResource } from "./plan";

/** Resource types whose loss loses data, with the words a reviewer reads. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  "aws:rds/instance:Instance": "RDS instance",
  "aws:rds/cluster:Cluster": "RDS cluster",
  "aws:ebs/volume:Volume": "EBS volume",
  "aws:ec2/instance:Instance": "fixed EC2 instance",
  "aws:route53/zone:Zone": "Route53 zone",
  "aws:kms/key:Key": "KMS key",
  "gcp:compute/disk:Disk": "GCE disk",
  "gcp:compute/instance:Instance": "fixed GCE instance",
  "gcp:container/cluster:Cluster": "GKE cluster",
  "pulumi-nodejs:dynamic/sakuracloud:Server": "Sakura server",
  "pulumi-nodejs:dynamic/sakuracloud:Disk": "Sakura disk",
  "random:index/randomPassword:RandomPassword": "random secret",
  "random:index/randomString:RandomString": "random secret",
  "random:index/randomBytes:RandomBytes": "random secret",
  "random:index/randomUuid:RandomUuid": "random secret",
  "random:index/randomId:RandomId": "random value",
};

/** A key whose change re-creates the resource; `when` narrows it (a disk may grow in place). */
interface ReplaceRule {
  readonly path: string;
  readonly when?: (before: unknown, after: unknown) => boolean;
  readonly note?: string;
}

const shrinks = (before: unknown, after: unknown) =>
  typeof before === "number" && typeof after === "number" && after < before;

const REPLACE_RULES: Readonly<Record<string, readonly ReplaceRule[]>> = {
  "aws:rds/instance:Instance": [
    { path: "engine" },
    { path: "dbSubnetGroupName" },
    { path: "storageEncrypted" },
    { path: "kmsKeyId" },
    { path: "identifier" },
    { path: "identifierPrefix" },
    { path: "dbName" },
    { path: "username" },
    { path: "availabilityZone" },
    { path: "characterSetName" },
    { path: "timezone" },
    { path: "snapshotIdentifier" },
    { path: "restoreToPointInTime" },
    { path: "replicateSourceDb" },
  ],
  "aws:ebs/volume:Volume": [
    { path: "availabilityZone" },
    { path: "encrypted" },
    { path: "kmsKeyId" },
    { path: "snapshotId" },
    { path: "outpostArn" },
  ],
  "aws:ec2/instance:Instance": [
    { path: "ami" },
    { path: "userData", note: "replaced, or stopped and started" },
    { path: "userDataBase64", note: "replaced, or stopped and started" },
    { path: "availabilityZone" },
    { path: "subnetId" },
    { path: "privateIp" },
    { path: "keyName" },
    { path: "tenancy" },
    { path: "placementGroup" },
    { path: "ebsBlockDevices" },
    { path: "ephemeralBlockDevices" },
    { path: "rootBlockDevice.encrypted" },
    { path: "rootBlockDevice.kmsKeyId" },
    { path: "networkInterfaces" },
  ],
  "aws:route53/zone:Zone": [{ path: "name" }, { path: "delegationSetId" }],
  "aws:kms/key:Key": [{ path: "customerMasterKeySpec" }, { path: "keySpec" }],
  "gcp:compute/disk:Disk": [
    { path: "size", when: shrinks, note: "a disk cannot shrink" },
    { path: "type" },
    { path: "name" },
    { path: "zone" },
    { path: "project" },
    { path: "image" },
    { path: "snapshot" },
    { path: "diskEncryptionKey" },
    { path: "physicalBlockSizeBytes" },
  ],
  "gcp:compute/instance:Instance": [
    { path: "name" },
    { path: "zone" },
    { path: "project" },
    { path: "bootDisk" },
    { path: "scratchDisks" },
    { path: "metadataStartupScript" },
    { path: "networkInterfaces" },
  ],
  "gcp:container/cluster:Cluster": [
    { path: "name" },
    { path: "location" },
    { path: "project" },
    { path: "network" },
    { path: "subnetwork" },
    { path: "ipAllocationPolicy" },
    { path: "privateClusterConfig" },
    { path: "datapathProvider" },
    { path: "enableAutopilot" },
    { path: "networkingMode" },
  ],
  "gcp:dns/managedZone:ManagedZone": [
    { path: "name" },
    { path: "dnsName" },
    { path: "project" },
    { path: "visibility" },
  ],
  // The Sakura providers' own lists (components/sakura/provider/*-provider.ts).
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

/** Every input of the random provider forces a new value. */
const ALL_INPUTS_REPLACE = /^random:/;

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

/** The changed paths (already formatted) that make the provider re-create this resource. */
export function replacingPaths(
  type: string,
  changed: readonly (readonly PathSegment[])[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  if (ALL_INPUTS_REPLACE.test(type)) return changed.map(formatPath);
  const rules = REPLACE_RULES[type] ?? [];
  const found: string[] = [];
  for (const rule of rules) {
    const rulePath = parsePath(rule.path);
    if (!changed.some((path) => overlaps(rulePath, path))) continue;
    if (rule.when && !rule.when(valueAt(before, rulePath), valueAt(after, rulePath))) continue;
    found.push(rule.note ? `${rule.path} (${rule.note})` : rule.path);
  }
  return found;
}
