// State that matters survives a mistaken `pulumi destroy` or a replacement: it is `protect`ed, has
// the cloud's own deletion protection, and leaves a snapshot when it goes anyway.
import { hostRole, STATEFUL_ROLES } from "./hosts";
import type { Props, ResourceContext, ResourceRule, StackRule, StackViolation } from "./types";
import { isFalse, isTrue, list, text } from "./values";

const EC2_INSTANCE = "aws:ec2/instance:Instance";
const GCE_INSTANCE = "gcp:compute/instance:Instance";
const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const SAKURA_SERVER = "pulumi-nodejs:dynamic/sakuracloud:Server";
const SAKURA_DISK = "pulumi-nodejs:dynamic/sakuracloud:Disk";
const EBS_VOLUME = "aws:ebs/volume:Volume";
const GCE_DISK = "gcp:compute/disk:Disk";

/** Hosts whose role holds state: MySQL and the Consul servers on util hosts. */
function statefulHost(props: Props, context: ResourceContext): boolean {
  const role = hostRole(props, context.name);
  return role !== undefined && STATEFUL_ROLES.includes(role);
}

/**
 * What counts as state, by type. Public DNS zones count because a new zone gets new name
 * servers, which the registrar still points away from; the Consul gossip key and ACL tokens
 * (random values) count because new values split the running cluster.
 */
const STATEFUL: Readonly<Record<string, (props: Props, context: ResourceContext) => boolean>> = {
  "aws:rds/instance:Instance": () => true,
  [EBS_VOLUME]: () => true,
  [EC2_INSTANCE]: statefulHost,
  "aws:route53/zone:Zone": (props) => list(props.vpcs).length === 0,
  "gcp:dns/managedZone:ManagedZone": (props) => (text(props.visibility) ?? "public") === "public",
  [GCE_DISK]: () => true,
  [GCE_INSTANCE]: statefulHost,
  [GKE_CLUSTER]: () => true,
  [SAKURA_SERVER]: statefulHost,
  [SAKURA_DISK]: statefulHost,
  "random:index/randomBytes:RandomBytes": () => true,
  "random:index/randomUuid:RandomUuid": () => true,
  "random:index/randomPassword:RandomPassword": () => true,
  "random:index/randomId:RandomId": () => true,
};

export function isStateful(props: Props, context: ResourceContext): boolean {
  return STATEFUL[context.type]?.(props, context) ?? false;
}

export const statefulResourcesProtected: ResourceRule = {
  kind: "resource",
  name: "stateful-resources-protected",
  description:
    "Stateful resources (RDS instances, data volumes and disks, MySQL and Consul server hosts and their Sakura disks, GKE clusters, public DNS zones, the Consul gossip key and tokens) are protected from deletion by Pulumi.",
  remediation:
    "Create the resource with the `protect: true` resource option (and `aliases` when its URN changes in a refactoring).",
  enforcementLevel: "mandatory",
  resourceTypes: Object.keys(STATEFUL),
  validate: (props, context) =>
    isStateful(props, context) && !context.protect
      ? ["stateful resource without `protect: true`: a destroy or a replacement deletes it"]
      : [],
};

export const statefulDeletionProtection: ResourceRule = {
  kind: "resource",
  name: "stateful-deletion-protection",
  description:
    "Stateful hosts and clusters also carry the cloud's own deletion protection, which guards against deletion outside Pulumi.",
  remediation:
    "Set disableApiTermination: true (EC2), deletionProtection: true (GCE, GKE), or deleteDisksOnDelete: false (Sakura servers).",
  enforcementLevel: "mandatory",
  resourceTypes: [EC2_INSTANCE, GCE_INSTANCE, GKE_CLUSTER, SAKURA_SERVER],
  validate(props, context) {
    if (!isStateful(props, context)) return [];
    switch (context.type) {
      case EC2_INSTANCE:
        return isTrue(props.disableApiTermination) ? [] : ["disableApiTermination is not true"];
      case GCE_INSTANCE:
        return isTrue(props.deletionProtection) ? [] : ["deletionProtection is not true"];
      case GKE_CLUSTER:
        // The provider's default is true; only an explicit false turns it off.
        return isFalse(props.deletionProtection) ? ["deletionProtection is false"] : [];
      default:
        return isTrue(props.deleteDisksOnDelete)
          ? ["deleteDisksOnDelete is true: deleting the server deletes its disks"]
          : [];
    }
  },
};

export const statefulFinalSnapshot: ResourceRule = {
  kind: "resource",
  name: "stateful-final-snapshot",
  description: "Data volumes and disks leave a snapshot when they are deleted.",
  remediation:
    "Set finalSnapshot: true (EBS volume) or createSnapshotBeforeDestroy: true (GCE disk).",
  enforcementLevel: "mandatory",
  resourceTypes: [EBS_VOLUME, GCE_DISK],
  validate(props, context) {
    const key = context.type === EBS_VOLUME ? "finalSnapshot" : "createSnapshotBeforeDestroy";
    return isTrue(props[key]) ? [] : [`${key} is not true: deletion keeps no copy`];
  },
};

const KEY_TYPES = ["aws:kms/key:Key", "gcp:kms/cryptoKey:CryptoKey"];

export const keysOfProtectedDataProtected: StackRule = {
  kind: "stack",
  name: "keys-of-protected-data-protected",
  description:
    "Encryption keys that protected resources use are protected too: deleting the key makes the data unreadable.",
  remediation: "Create the key with `protect: true` (KMS keys also keep a deletion window).",
  enforcementLevel: "mandatory",
  validate(resources) {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const violations: StackViolation[] = [];
    const reported = new Set<string>();
    for (const holder of resources.filter((resource) => resource.protect)) {
      for (const urn of holder.dependencies) {
        const key = byUrn.get(urn);
        if (!key || !KEY_TYPES.includes(key.type) || key.protect || reported.has(urn)) continue;
        reported.add(urn);
        violations.push({
          urn,
          message: `the key encrypts protected ${holder.name} but is not protected itself`,
        });
      }
    }
    return violations;
  },
};
