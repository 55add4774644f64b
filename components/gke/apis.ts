// Google APIs the microservices platform uses, enabled in the project before anything else.
export const REQUIRED_APIS = [
  "compute.googleapis.com",
  "container.googleapis.com",
  "iam.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "artifactregistry.googleapis.com",
  "containerscanning.googleapis.com",
  "containersecurity.googleapis.com",
  "binaryauthorization.googleapis.com",
  "certificatemanager.googleapis.com",
  "dns.googleapis.com",
] as const;
