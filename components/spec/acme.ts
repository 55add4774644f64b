// Where a region's front gets its certificates when nginx terminates TLS itself: the Sakura fronts
// (DNS round robin, no load balancer) order theirs from Let's Encrypt by ACME DNS-01. Pure.

/** The CAA identity of Let's Encrypt, the CA the Sakura fronts order from. */
export const ACME_CA_IDENTITY = "letsencrypt.org";

/** CAs allowed by default: ACM (AWS load balancers) and Google's (GCP and GKE load balancers). */
const CLOUD_CA_IDENTITIES = ["amazon.com", "pki.goog"];

/** Whether the region's nginx hosts order their own certificates (no load balancer holds one). */
export function frontOrdersCertificates(cloud: "aws" | "gcp" | "sakura"): boolean {
  return cloud === "sakura";
}

/** `dns.caaIssuers` when the stack file names none: the clouds' CAs, and ours where the front orders. */
export function defaultCaaIssuers(cloud: "aws" | "gcp" | "sakura"): string[] {
  return frontOrdersCertificates(cloud)
    ? [...CLOUD_CA_IDENTITIES, ACME_CA_IDENTITY]
    : [...CLOUD_CA_IDENTITIES];
}
