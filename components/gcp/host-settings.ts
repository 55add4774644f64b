// Settings shared by every GCE host of a site, whether an instance template or a fixed instance:
// image, shielded boot, metadata, network tags, service account naming. Pure.
import type * as pulumi from "@pulumi/pulumi";
import type { Role } from "../spec/hosts";

/** Ubuntu 24.04 LTS, newest image of the family when a host is created. */
export const HOST_IMAGE = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64";
export const BOOT_DISK_TYPE = "pd-balanced";

/** Access is limited by the service account's IAM roles, so the scope is the broad one Google recommends. */
export const HOST_SCOPES: readonly string[] = ["https://www.googleapis.com/auth/cloud-platform"];

export const SHIELDED_VM = {
  enableSecureBoot: true,
  enableVtpm: true,
  enableIntegrityMonitoring: true,
} as const;

/** Keys a host's metadata always carries: OS Login only, no project-wide SSH keys, no serial console. */
export const HOST_METADATA: Readonly<Record<string, string>> = {
  "enable-oslogin": "TRUE",
  "block-project-ssh-keys": "TRUE",
  "serial-port-enable": "FALSE",
};

/** Metadata key that cloud-init reads on GCE. */
export const USER_DATA_KEY = "user-data";

/**
 * A host's metadata: the fixed keys, the role's cloud-init document when there is one, and extra
 * keys the host reads at run time (such as the off-site bucket's name).
 */
export function hostMetadata(
  userData?: pulumi.Input<string>,
  extra: Record<string, pulumi.Input<string>> = {},
): Record<string, pulumi.Input<string>> {
  return userData === undefined
    ? { ...extra, ...HOST_METADATA }
    : { ...extra, ...HOST_METADATA, [USER_DATA_KEY]: userData };
}

/**
 * Network tags of a role's hosts: the role; the Consul servers (util hosts) also carry the tag their
 * datacenter's cloud auto-join looks for (`provider=gce tag_value=...`), and no other host does.
 */
export function hostNetworkTags(role: Role, consulServerTag: string): string[] {
  return role === "util" ? [role, consulServerTag] : [role];
}

/** Account id (6-30 characters) of the service account a role's hosts run as. */
export function serviceAccountId(regionName: string, role: Role): string {
  return `${regionName}-${role}-host`;
}

/** A user-managed service account's e-mail, which GCP forms from its id and project. */
export function serviceAccountEmail(accountId: string, project: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/** The port each role serves on, for health checks, named ports and the firewall. */
export const SERVICE_PORTS = {
  nginx: 80,
  app: 8080,
  mysql: 3306,
  memcached: 11211,
  // chocon keeps the Host header's port, so it listens on 80 for port-less URLs.
  chocon: 80,
} as const satisfies Partial<Record<Role, number>>;

export function servicePort(role: Role): number | undefined {
  const ports: Partial<Record<Role, number>> = SERVICE_PORTS;
  return ports[role];
}
