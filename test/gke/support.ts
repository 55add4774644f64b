// Shared pieces of the GKE tests: the real stack specs, a mocked Microservices program and the
// recorded resources it leaves.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { Microservices } from "../../components/gke";
import { fixedHosts } from "../../components/spec/layout";
import { parseRegionSpec, REGION_CONFIG_KEY, stackFileName } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import type { OfflineCloud } from "../../tools/plan/offline-answers";
import { TEST_CHOCON_RELEASE } from "../support/chocon-release";
import { dependsOnResources, installMocks, type Recorder, runInStack } from "../support/mocks";

const ROOT = join(__dirname, "..", "..");

/** A change to a stack file's raw `multicloud:region` value before it is validated. */
export type SpecEdit = (raw: Record<string, unknown>) => void;

/** The validated spec of a stack file in this repository, optionally edited first. */
export function loadSpec(stack: string, edit?: SpecEdit): RegionSpec {
  const file = stackFileName(stack);
  const document = parse(readFileSync(join(ROOT, file), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const raw = document.config[REGION_CONFIG_KEY];
  if (raw && edit) edit(raw);
  return parseRegionSpec(raw, file);
}

/** The region's Consul servers (the util hosts), as the region would pass them. */
export function consulServers(spec: RegionSpec): string[] {
  return fixedHosts(spec)
    .filter((host) => host.consulServer)
    .map((host) => host.address);
}

/** Resource options the mocks do not see, caught by a stack transformation. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly dependsOn: number;
  /** The explicit dependencies, each as `type::name`. */
  readonly dependsOnKeys: string[];
}

export interface MockedProgram {
  readonly spec: RegionSpec;
  readonly name: string;
  readonly recorder: Recorder;
  readonly component: Microservices;
  /** Options by `type::name`. */
  readonly options: Map<string, RecordedOptions>;
}

export const PUBLIC_ZONE_ID = "ZPUBLIC";

/** Builds Microservices for a stack under mocks and waits until every resource is registered. */
export async function buildMicroservices(
  stack: string,
  edit?: SpecEdit,
  cloud?: OfflineCloud,
): Promise<MockedProgram> {
  const recorder = installMocks(stack, "multicloud", false, cloud);
  const spec = loadSpec(stack, edit);
  const gke = spec.gke;
  if (!gke) throw new Error(`${stack} has no gke block`);
  const name = `${spec.name}-microservices`;
  let component: Microservices | undefined;
  const seen = await runInStack(() => {
    const dnsProvider = new aws.Provider("route53", { region: "us-east-1" });
    component = new Microservices(name, {
      spec,
      gke,
      publicZoneId: PUBLIC_ZONE_ID,
      dnsProvider,
      consulDnsServers: consulServers(spec),
      chocon: TEST_CHOCON_RELEASE,
    });
  });
  const recorded = await Promise.all(
    seen.map(async ({ type, name: resourceName, opts }): Promise<[string, RecordedOptions]> => {
      const dependencies = (await dependsOnResources(opts.dependsOn)).map(
        (d) => `${pulumi.resourceType(d)}::${pulumi.resourceName(d)}`,
      );
      return [
        `${type}::${resourceName}`,
        {
          protect: opts.protect === true,
          dependsOn: dependencies.length,
          dependsOnKeys: dependencies,
        },
      ];
    }),
  );
  const options = new Map<string, RecordedOptions>(recorded);
  if (!component) throw new Error("Microservices was not built");
  return { spec, name, recorder, component, options };
}

/** Counts of recorded resource types, sorted by type. */
export function typeCounts(recorder: Recorder): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of recorder.resources) {
    counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** A nested value of recorded inputs, by path. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
