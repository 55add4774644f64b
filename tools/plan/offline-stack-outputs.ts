// The outputs other stacks answer with offline, for StackReferences (a rebuild reads the lost
// region's drBackups from its stack). A real run reads the referenced stack's state; offline, the
// answer is made from that stack's file beside this one: the same databases, with recognisable
// stand-in ARNs in its backup region (real ones end in random ids that no stack file holds).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { offsiteAwsRegion } from "../../components/spec/dr";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { parseStackFile } from "../../components/spec/stack-yaml";

/** This repository, for callers that run the program from it (tests, the benchmark). */
const REPOSITORY = join(__dirname, "..", "..");

/** What a stack reference names offline: the spec of that stack's file, or why there is none. */
export type ReferencedStack =
  | { readonly spec: RegionSpec; readonly file: string }
  | { readonly problem: string };

/** `us`, or `org/multicloud/us` for a stack of this project; any other project has no file here. */
export function referencedStack(
  reference: string,
  projectDir: string,
  project: string,
): ReferencedStack {
  const parts = reference.split("/");
  const stack = parts.at(-1) ?? reference;
  if (parts.length === 3 && parts[1] !== project) {
    return {
      problem: `a stack of project ${project}: the offline plan reads another project's outputs from nowhere (name the backups with sourceDbInstanceAutomatedBackupsArn to plan offline)`,
    };
  }
  const file = `Pulumi.${stack}.yaml`;
  let text: string;
  try {
    text = readFileSync(join(projectDir, file), "utf8");
  } catch {
    return {
      problem: `a stack with its stack file here: the offline plan answers its outputs from ${file}, which does not exist`,
    };
  }
  try {
    const raw = parseStackFile(text, file).config[REGION_CONFIG_KEY];
    return { spec: parseRegionSpec(raw, file), file };
  } catch {
    return {
      problem: `a stack whose file is valid: ${file} has problems of its own (npm run plan -- --stack ${stack})`,
    };
  }
}

/** A stand-in of the backup region's KMS key, as AWS names keys. */
function standInKeyArn(region: string): string {
  return `arn:aws:kms:${region}:123456789012:key/00000000-0000-4000-8000-000000000000`;
}

/** The drBackups output a region would have, with stand-ins for what only a cloud assigns. */
export function standInDrBackups(spec: RegionSpec): Record<string, unknown> {
  // Every region names its off-site bucket (a rebuild's MySQL primary loads dumps from it).
  if (spec.cloud === "gcp") {
    return {
      cloud: "gcp",
      offsite: { location: spec.dr.backupLocation, bucket: `${spec.name}-gcp-offsite-bucket` },
    };
  }
  if (spec.cloud === "sakura") {
    return {
      cloud: "sakura",
      offsite: {
        region: offsiteAwsRegion(spec),
        bucket: `${spec.name}-offsite-bucket`,
        keyArn: standInKeyArn(offsiteAwsRegion(spec) ?? ""),
      },
    };
  }
  const region = spec.dr.backupLocation;
  return {
    cloud: "aws",
    offsite: {
      region,
      bucket: `${spec.name}-aws-offsite-bucket`,
      keyArn: standInKeyArn(region),
    },
    rds: Object.fromEntries(
      spec.aws.rds.map((db) => [
        db.name,
        {
          identifier: `${spec.name}-${db.name}`,
          region,
          resourceId: `db-OFFLINE${db.name.toUpperCase().replace(/-/g, "")}`,
          replicatedBackupsArn: `arn:aws:rds:${region}:123456789012:auto-backup:ab-offline-${db.name}`,
        },
      ]),
    ),
  };
}

/** The stand-in outputs of a referenced stack (`org/project/stack` or `stack`); none if unknown. */
export function offlineStackOutputsOf(
  reference: string,
  projectDir: string = REPOSITORY,
  project = "multicloud",
): Record<string, unknown> {
  const found = referencedStack(reference, projectDir, project);
  return "spec" in found ? { drBackups: standInDrBackups(found.spec) } : {};
}
