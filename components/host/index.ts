// The host layer: what every host of a region needs, rendered once per role from the spec and the
// cloud's facts, delivered as a cloud-init document (VMs) or an SSH bootstrap (dedicated servers).
import type { Role } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { renderBootstrap } from "./bootstrap";
import { renderCloudInit } from "./cloud-init";
import type { HostFile, HostPlan } from "./model";
import { hostPlan, rolesPresent } from "./role-files";
import { type SiteFacts, siteFacts } from "./site-facts";

export {
  ARTIFACT_BUCKET_KEY,
  CHOCON_OBJECT_PREFIX,
  type ChoconBuild,
  choconObjectKey,
} from "./chocon-build";
export { CONSUL_APT_VERSION, consulManagementSecretName } from "./consul";
export { ConsulSecrets, type ConsulSecretsArgs } from "./consul-secrets";
export { ConsulTls, type ConsulTlsArgs } from "./consul-tls";
export type { FileMode, HostFile, HostPlan } from "./model";
export { MysqlSecrets, type MysqlSecretsArgs } from "./mysql-secrets";
export { hostPlan, rolesPresent } from "./role-files";
export type {
  ArtifactStore,
  ConsulJoin,
  InternalZone,
  SecretSource,
  SiteFacts,
} from "./site-facts";
export {
  CONSUL_SERVER_TAG_KEY,
  consulServerTagValue,
  PUSHED_SECRETS_DIR,
  siteFacts,
} from "./site-facts";

export interface RoleArtifacts {
  readonly role: Role;
  readonly plan: HostPlan;
  readonly files: readonly HostFile[];
  /** `#cloud-config` document for VMs (AWS, GCP, Sakura Cloud). */
  readonly cloudInit: string;
  /** Idempotent bash script for dedicated servers reached over SSH. */
  readonly bootstrap: string;
}

export function renderRoleArtifacts(
  spec: RegionSpec,
  role: Role,
  facts: SiteFacts = siteFacts(spec),
): RoleArtifacts {
  const plan = hostPlan(spec, role, facts);
  return {
    role,
    plan,
    files: plan.files,
    cloudInit: renderCloudInit(plan),
    bootstrap: renderBootstrap(plan),
  };
}

/** One artifact set per role that has hosts in the region. */
export function renderRegionHosts(
  spec: RegionSpec,
  facts: SiteFacts = siteFacts(spec),
): Partial<Record<Role, RoleArtifacts>> {
  const out: Partial<Record<Role, RoleArtifacts>> = {};
  for (const role of rolesPresent(spec)) out[role] = renderRoleArtifacts(spec, role, facts);
  return out;
}
