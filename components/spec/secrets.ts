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

/** Name in the secret store; valid for both AWS Secrets Manager and GCP Secret Manager. */
export function secretName(spec: RegionSpec, id: HostSecretId): string {
  return `multicloud-${spec.name}-${id}`;
}

/** Which secrets a role's hosts may read: every host joins Consul; only servers manage its ACLs. */
export function secretsForRole(role: Role): readonly HostSecretId[] {
  return role === "util" ? hostSecretIds : ["consul-gossip-key", "consul-agent-token"];
}
