// Microservices on GKE: the entry point a region builds when its spec has a `gke` block.
export { Microservices, type MicroservicesArgs, REPOSITORY_ID } from "./microservices";
