// The secrets a host reads at boot, by name. Their values are made by the program (random, tls) and
// kept in the cloud's secret store (AWS Secrets Manager, GCP Secret Manager) or pushed over SSH
// (Sakura); they never appear in user data, rendered files or the plan.
import { type Role, roles } from "./hosts";
import type { RegionSpec } from "./schema";

/** Consul's ACL token of one role's hosts (agent and service registration). */
export type ConsulTokenSecretId = `consul-token-${Role}`;
/** One role's Consul TLS identity: `{"ca","cert","key"}` as compact JSON (PEM inside). */
export type ConsulTlsSecretId = `consul-tls-${Role}`;

export function consulTokenSecretId(role: Role): ConsulTokenSecretId {
  return `consul-token-${role}`;
}

export function consulTlsSecretId(role: Role): ConsulTlsSecretId {
  return `consul-tls-${role}`;
}

export const hostSecretIds = [
  "consul-gossip-key",
  "consul-management-token",
  ...roles.map(consulTokenSecretId),
  ...roles.map(consulTlsSecretId),
  /** The MySQL replication user's password (MySQL hosts only). */
  "mysql-replication-password",
] as const;
export type HostSecretId =
  | "consul-gossip-key"
  | "consul-management-token"
  | ConsulTokenSecretId
  | ConsulTlsSecretId
  | "mysql-replication-password";

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

/**
 * The key with which a Sakura front host writes its ACME DNS-01 challenge records in the region's
 * Route53 zone (and nothing else). It travels with the SSH push to the nginx hosts only.
 */
export const acmeSecretIds = ["acme-access-key-id", "acme-secret-access-key"] as const;
export type AcmeSecretId = (typeof acmeSecretIds)[number];

/**
 * The key with which a Sakura util or MySQL host publishes its signals to CloudWatch (only
 * PutMetricData in the hosts' namespace). It travels with the SSH push to those roles only.
 */
export const signalsSecretIds = ["signals-access-key-id", "signals-secret-access-key"] as const;
export type SignalsSecretId = (typeof signalsSecretIds)[number];

/**
 * Where the MySQL hosts of a Sakura rebuild read the lost region's dumps: its S3 bucket and a key
 * that may only list and read mysql/ in it. Pushed to the MySQL hosts only.
 */
export const restoreReaderSecretIds = [
  "restore-bucket",
  "restore-access-key-id",
  "restore-secret-access-key",
] as const;
export type RestoreReaderSecretId = (typeof restoreReaderSecretIds)[number];

/** Everything the SSH push may carry to a host. */
export type PushedSecretId =
  | HostSecretId
  | OffsiteBackupSecretId
  | ArtifactReaderSecretId
  | AcmeSecretId
  | SignalsSecretId
  | RestoreReaderSecretId;

/** Name in the secret store; valid for both AWS Secrets Manager and GCP Secret Manager. */
export function secretName(spec: RegionSpec, id: PushedSecretId): string {
  return `multicloud-${spec.name}-${id}`;
}

/**
 * Which secrets a role's hosts may read: every host joins Consul with its role's token and TLS
 * identity; the servers (util) also hold the management token and every role's token, since they
 * create those tokens; MySQL hosts hold the replication password.
 */
export function secretsForRole(role: Role): readonly HostSecretId[] {
  return [
    "consul-gossip-key",
    ...(role === "util"
      ? ["consul-management-token" as const, ...roles.map(consulTokenSecretId)]
      : [consulTokenSecretId(role)]),
    consulTlsSecretId(role),
    ...(role === "mysql" ? ["mysql-replication-password" as const] : []),
  ];
}
