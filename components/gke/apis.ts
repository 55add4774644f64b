// Google APIs the microservices platform uses, enabled in the project by the platform itself.
// Its GCP resources are created through the APIs listed first, which their provider waits for;
// the others serve the running platform and gate nothing.
export const CREATION_APIS = [
  "compute.googleapis.com",
  "container.googleapis.com",
  "iam.googleapis.com",
  "artifactregistry.googleapis.com",
  "binaryauthorization.googleapis.com",
  "certificatemanager.googleapis.com",
  "dns.googleapis.com",
] as const;

export const REQUIRED_APIS = [
  ...CREATION_APIS,
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  // Artifact Registry's scanning of the images the cluster runs.
  "containerscanning.googleapis.com",
  // The security posture dashboard, which the cluster's workload configuration audit feeds.
  "containersecurity.googleapis.com",
] as const;
