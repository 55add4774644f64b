// The secrets a host reads at boot, by name. Their values are made by the program (random) and kept
// in the cloud's secret store (AWS Secrets Manager, GCP Secret Manager) or pushed over SSH (Sakura);
// they never appear in user data, rendered files or the plan.
import type { Role } from "./hosts";
import type { RegionSpec } from "./schema";

export const hostSecretIds = [
  "consul-gossip-key",
  "consul-agent-token",
  "consul-management-token",
] as const;
export type HostSecretId = (typeof hostSecretIds)[number];

/**
 * Where hosts with no cloud identity of their own (Sakura) ship their backups: the S3 bucket and
 * an access key that may only add objects to it. They travel with the SSH push like the secrets
 * above; hosts on AWS and GCP use their instance identity instead and never see these.
 */
export const offsiteBackupSecretIds = [
  "backup-bucket",
  "backup-access-key-id",
  "backup-secret-access-key",
] as const;
export type OffsiteBackupSecretId = (typeof offsiteBackupSecretIds)[number];

/**
 * Where hosts with no cloud identity (Sakura) download the programs the estate builds (chocon): the
 * S3 bucket and an access key that may only read those objects. Pushed like the ones above.
 */
export const artifactReaderSecretIds = [
  "artifact-bucket",
  "artifact-access-key-id",
  "artifact-secret-access-key",
] as const;
export type ArtifactReaderSecretId = (typeof artifactReaderSecretIds)[number];

/** Everything the SSH push may carry to a host. */
export type PushedSecretId = HostSecretId | OffsiteBackupSecretId | ArtifactReaderSecretId;

/** Name in the secret store; valid for both AWS Secrets Manager and GCP Secret Manager. */
export function secretName(spec: RegionSpec, id: PushedSecretId): string {
  return `multicloud-${spec.name}-${id}`;
}

/** Which secrets a role's hosts may read: every host joins Consul; only servers manage its ACLs. */
export function secretsForRole(role: Role): readonly HostSecretId[] {
  return role === "util" ? hostSecretIds : ["consul-gossip-key", "consul-agent-token"];
}
