// The stand-in gcp plugin's memory of the Google APIs it has enabled, kept in a file across the
// plugin processes of one engine test (each `pulumi` run starts its own). With it, the projects
// start new: an API is on once a `gcp:projects/service:Service` create has enabled it, and stays
// on when the resource is deleted (the program sets disableOnDestroy false). The data source then
// answers as terraform-provider-google's does (data_source_google_project_service.go and the
// resource's Read): the id "<project>/<service>" for an enabled service, and for one not in Service
// Usage's enabled list no state at all, which the bridge gives the program as `{}`.
import { appendFileSync, existsSync, readFileSync } from "node:fs";

/** Where the enabled services are kept: set for the stand-in by the engine tests' workspace. */
export const ENABLED_SERVICES_FILE_ENV = "MULTICLOUD_STAND_IN_GCP_SERVICES";

export const SERVICE_TYPE = "gcp:projects/service:Service";
export const GET_SERVICE_TOKEN = "gcp:projects/getProjectService:getProjectService";

function keyOf(inputs: Record<string, unknown>): string {
  const { project, service } = inputs;
  if (typeof project !== "string" || typeof service !== "string")
    throw new Error(`a project and a service are expected, got ${JSON.stringify(inputs)}`);
  return `${project}/${service}`;
}

/** Records that a Service create enabled its API. */
export function recordEnabled(file: string, inputs: Record<string, unknown>): void {
  appendFileSync(file, `${keyOf(inputs)}\n`);
}

/** The data source's answer from what the creates so far have enabled. */
export function projectServiceAnswer(
  file: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const key = keyOf(inputs);
  const enabled = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  if (!enabled.includes(key)) return {};
  return { id: key, project: inputs.project, service: inputs.service };
}
