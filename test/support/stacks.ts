// The stack files of this repository, read as the program reads them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";

export const projectDir = join(__dirname, "..", "..");
export const stacks = ["jp", "us", "uk"] as const;
export type StackName = (typeof stacks)[number];

/** The raw `multicloud:region` value of a stack file (a fresh copy each call, safe to mutate). */
export function rawRegion(stack: string): Record<string, unknown> {
  const document = parse(readFileSync(join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const raw = document.config[REGION_CONFIG_KEY];
  if (!raw) throw new Error(`Pulumi.${stack}.yaml has no ${REGION_CONFIG_KEY}`);
  return structuredClone(raw);
}

export function loadSpec(stack: StackName): RegionSpec {
  return parseRegionSpec(rawRegion(stack), `Pulumi.${stack}.yaml`);
}

/** The bucket uk ships its MySQL dumps to, as the rebuild fixture below names it. */
export const UK_DUMP_BUCKET = "example-uk-prod-uk-backups";

/** uk rebuilt as ukdr in europe-west1, loading uk's MySQL dumps from Cloud Storage. */
export function ukRebuildLoadingDumps(): RegionSpec {
  const raw = rawRegion("uk");
  raw.name = "ukdr";
  raw.dr = {
    backupLocation: "europe-west4",
    replaces: "uk",
    restore: {
      mysqlDumps: {
        store: "gcs",
        location: "europe-west1",
        bucket: UK_DUMP_BUCKET,
        primary: "mysql-1",
      },
    },
  };
  return parseRegionSpec(raw, "Pulumi.uk-dr.yaml");
}
