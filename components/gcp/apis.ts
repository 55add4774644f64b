// The Google APIs a site uses. Enabling them is part of the site, so a fresh project needs
// nothing but the Service Usage and Cloud Resource Manager APIs that enabling itself calls.
// Each part of the site waits only for the APIs its resources are created through (site.ts);
// Logging, Monitoring, IAP and OS Login serve the hosts once they run, and gate nothing.
export const COMPUTE_API = "compute.googleapis.com";
export const IAM_API = "iam.googleapis.com";
export const RESOURCE_MANAGER_API = "cloudresourcemanager.googleapis.com";
export const SECRET_MANAGER_API = "secretmanager.googleapis.com";
export const STORAGE_API = "storage.googleapis.com";
export const DNS_API = "dns.googleapis.com";
export const CERTIFICATE_MANAGER_API = "certificatemanager.googleapis.com";

export const SITE_APIS: readonly string[] = [
  COMPUTE_API,
  IAM_API,
  RESOURCE_MANAGER_API,
  SECRET_MANAGER_API,
  STORAGE_API,
  DNS_API,
  CERTIFICATE_MANAGER_API,
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "iap.googleapis.com",
  "oslogin.googleapis.com",
];

/** A resource-name suffix for an API: compute.googleapis.com -> compute. */
export function apiKey(api: string): string {
  return api.split(".")[0] ?? api;
}
