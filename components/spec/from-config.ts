// Loads the region spec of the running stack from Pulumi config, with errors that name the stack
// file and key and carry no stack trace.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./errors";
import { checkPeerRanges, parseRegionSpec, REGION_CONFIG_KEY, stackFileName } from "./load";
import { readPeerStacks } from "./peers";
import type { RegionSpec } from "./schema";

export function loadRegionSpec(projectDir: string): RegionSpec {
  const file = stackFileName(pulumi.getStack());
  try {
    const raw = readRaw(file);
    const spec = parseRegionSpec(raw, file);
    checkPeerRanges(spec, file, readPeerStacks(projectDir));
    return spec;
  } catch (error) {
    // RunError is the one error Pulumi prints without a stack trace.
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

function readRaw(file: string): unknown {
  const [namespace, key] = REGION_CONFIG_KEY.split(":");
  const config = new pulumi.Config(namespace);
  try {
    return config.getObject<unknown>(key ?? "region");
  } catch {
    throw new pulumi.RunError(
      `${file}: ${REGION_CONFIG_KEY} is not valid structured config (a YAML mapping)`,
    );
  }
}
