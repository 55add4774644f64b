// Google APIs the microservices platform uses, enabled in the project before anything else.
export const REQUIRED_APIS = [
  "compute.googleapis.com",
  "container.googleapis.com",
  "iam.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "artifactregistry.googleapis.com",
  // Artifact Registry's scanning of the images the cluster runs.
  "containerscanning.googleapis.com",
  // The security posture dashboard, which the cluster's workload configuration audit feeds.
  "containersecurity.googleapis.com",
  "binaryauthorization.googleapis.com",
  "certificatemanager.googleapis.com",
  "dns.googleapis.com",
] as const;
