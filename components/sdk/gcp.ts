// The parts of @pulumi/gcp the program uses, under the names the package gives them
// (`gcp.compute`), loaded one service at a time: the package's own index loads all of its
// services, which costs a plan about 100 ms of CPU before it builds anything. Each service's
// resource classes still load only when first used. A service not listed here is added here.
export * as artifactregistry from "@pulumi/gcp/artifactregistry";
export * as binaryauthorization from "@pulumi/gcp/binaryauthorization";
export * as certificatemanager from "@pulumi/gcp/certificatemanager";
export * as compute from "@pulumi/gcp/compute";
export * as container from "@pulumi/gcp/container";
export * as dns from "@pulumi/gcp/dns";
export * as logging from "@pulumi/gcp/logging";
export * as monitoring from "@pulumi/gcp/monitoring";
export * as projects from "@pulumi/gcp/projects";
export { Provider, type ProviderArgs } from "@pulumi/gcp/provider";
export * as secretmanager from "@pulumi/gcp/secretmanager";
export * as serviceaccount from "@pulumi/gcp/serviceaccount";
export * as storage from "@pulumi/gcp/storage";
// Input and output shapes: types only, nothing to load.
export type * as types from "@pulumi/gcp/types";
