// Runs the program under Pulumi's mock monitor with a stack's config and returns the plan.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMonitor } from "./monitor";
import { offlineConfig } from "./offline-config";
import { offlineMocks } from "./offline-mocks";
import { offlineSecretKeys } from "./offline-secrets";
import type { Plan } from "./plan";
import { runProgramEntry } from "./program-entry";
import { waitForRegistrations } from "./registrations";
import { readStackConfig } from "./stack-file";

export const PROJECT = "multicloud";
/**
 * The organization a self-managed backend (a file or bucket) gives every stack, which stack
 * references name (`organization/multicloud/us`). On Pulumi Cloud it is the account's own.
 */
export const ORGANIZATION = "organization";

export interface RunOptions {
  readonly projectDir: string;
  readonly stack: string;
  /** Replaces the stack file's config (benchmarks and tests feed variants of a spec). */
  readonly configOverride?: Record<string, string>;
  /** Plan a project's first up: no Google API is on yet (the plan's --new-project). */
  readonly newProject?: boolean;
}

/**
 * Runs index.ts once, as `pulumi up` runs it (its export is a function, awaited). Pulumi's runtime
 * is global: call this at most once per process.
 */
export async function runPlan(options: RunOptions): Promise<Plan> {
  const stackConfig = readStackConfig(options.projectDir, PROJECT, options.stack);
  pulumi.runtime.setAllConfig(
    { ...offlineSecretKeys, ...offlineConfig, ...stackConfig.config, ...options.configOverride },
    [...new Set([...Object.keys(offlineSecretKeys), ...stackConfig.secretKeys])],
  );
  const mocks = offlineMocks(undefined, options.projectDir, {
    newGcpProjects: options.newProject === true,
  });
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false, ORGANIZATION);
  const monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor, PROJECT, options.stack, false, ORGANIZATION);

  await pulumi.runtime.runInPulumiStack(() =>
    runProgramEntry(join(options.projectDir, "index.ts")),
  );
  await waitForRegistrations();

  const stackResource = monitor.planned.find((resource) => resource.type === "pulumi:pulumi:Stack");
  return {
    stack: options.stack,
    project: PROJECT,
    // URNs as the engine forms them, so the plan names what a real stack will hold.
    resources: monitor.resourcesInEngineForm(),
    outputs: (stackResource && monitor.outputsByUrn.get(stackResource.urn)) ?? {},
  };
}
