// Runs a program under the Pulumi mocks and records what the mocks cannot see: each resource's
// options (protect, ignoreChanges, provider), through a stack transformation.
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GcpComponentArgs } from "../../components/gcp/options";
import type { GcpRegionSpec } from "../../components/spec/schema";
import type { OfflineCloud } from "../../tools/plan/offline-answers";
import {
  dependsOnResources,
  installMocks,
  type RecordedResource,
  type Recorder,
  runInStack,
} from "../support/mocks";
import { loadSpec } from "../support/stacks";

export const project = "example-test-proj";
export const region = "europe-west2";
export const zones = ["europe-west2-a", "europe-west2-b", "europe-west2-c"];

export interface RecordedOptions {
  readonly type: string;
  readonly name: string;
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly hasProvider: boolean;
  /** Names of the plain resources in its dependsOn. */
  readonly dependsOn: readonly string[];
}

export interface Program {
  readonly recorder: Recorder;
  /** Options by `type name`. */
  readonly options: Map<string, RecordedOptions>;
  /** Options of one resource; fails when the transformation never saw it. */
  optionsOf(resource: RecordedResource): RecordedOptions;
  /** Custom resources only (no components, no providers). */
  readonly custom: RecordedResource[];
}

/**
 * Installs the mocks, runs build inside a stack with an options-recording transformation, and
 * waits until every registration has reached the mocks. One program per test file.
 */
export async function runProgram(
  build: (context: GcpComponentArgs) => void,
  cloud?: OfflineCloud,
): Promise<Program> {
  const recorder = installMocks("test", "multicloud", false, cloud);
  const seen = await runInStack(() => {
    const provider = new gcp.Provider("test-gcp", { project, region });
    build({ provider });
  });
  const recorded = await Promise.all(
    seen.map(async ({ type, name, opts }): Promise<[string, RecordedOptions]> => {
      const dependsOn = await dependsOnResources(opts.dependsOn);
      return [
        `${type} ${name}`,
        {
          type,
          name,
          protect: opts.protect === true,
          ignoreChanges: opts.ignoreChanges ?? [],
          // Only custom resources carry it; components have no such option.
          deleteBeforeReplace: (opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
          hasProvider: opts.provider !== undefined,
          dependsOn: dependsOn.map((d) => pulumi.resourceName(d)),
        },
      ];
    }),
  );
  const options = new Map<string, RecordedOptions>(recorded);
  return {
    recorder,
    options,
    optionsOf(resource) {
      const found = options.get(`${resource.type} ${resource.name}`);
      if (!found) throw new Error(`no options recorded for ${resource.type} ${resource.name}`);
      return found;
    },
    custom: recorder.resources.filter(
      (r) =>
        r.custom && !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:Stack",
    ),
  };
}

/** An AWS provider for Route53 records, as the region gives the site. */
export function dnsProvider(): aws.Provider {
  return new aws.Provider("test-dns", { region: "us-east-1" });
}

/** The uk stack file's spec, which must be a GCP region. */
export function ukSpec(): GcpRegionSpec {
  const spec = loadSpec("uk");
  if (spec.cloud !== "gcp") throw new Error("Pulumi.uk.yaml is expected to describe a GCP region");
  return spec;
}

/** A recorded input as a plain record (nested inputs arrive as plain objects). */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** An Output's value once the program has run. */
export function outputValue<T>(output: pulumi.Output<T> | undefined): Promise<T> {
  if (!output) return Promise.reject(new Error("no such output"));
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

/** The signature the Pulumi wire format gives secret values. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a recorded secret input; undefined when the input is not a secret. */
export function secretInput(value: unknown): unknown {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return record["4dabf18193072939515e22adb298388d"] === SECRET_SIGNATURE ? record.value : undefined;
}
