// The Google APIs a site uses. Enabling them is part of the site, so a fresh project needs
// nothing but the Service Usage and Cloud Resource Manager APIs that enabling itself calls.
export const SITE_APIS: readonly string[] = [
  "compute.googleapis.com",
  "iam.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "secretmanager.googleapis.com",
  "storage.googleapis.com",
  "dns.googleapis.com",
  "certificatemanager.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "iap.googleapis.com",
  "oslogin.googleapis.com",
];

/** A resource-name suffix for an API: compute.googleapis.com -> compute. */
export function apiKey(api: string): string {
  return api.split(".")[0] ?? api;
}
