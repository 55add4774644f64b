// From the raw config value of a stack file to a RegionSpec, or a ConfigError.
import type { z } from "zod";
import { formatCidr, overlaps } from "./cidr";
import { ConfigError, type ConfigProblem, keyPath } from "./errors";
import { namedRanges } from "./rules";
import { type RegionSpec, regionSpecSchema } from "./schema";

/** The single config key that holds a whole region. */
export const REGION_CONFIG_KEY = "multicloud:region";

export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

export function parseRegionSpec(raw: unknown, file: string): RegionSpec {
  if (raw === undefined || raw === null) {
    throw new ConfigError(file, REGION_CONFIG_KEY, [
      {
        path: [],
        message: "expected the region's spec (see the config reference in README.md)",
        found: { kind: "missing" },
      },
    ]);
  }
  const result = regionSpecSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    file,
    REGION_CONFIG_KEY,
    result.error.issues.flatMap((issue) => toProblems(issue, raw)),
  );
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: issue.message,
      found: { kind: "unknown-key" },
    }));
  }
  const at = lookup(raw, path);
  return [
    {
      path,
      message: issue.message,
      found: at.present ? { kind: "value", value: at.value } : { kind: "missing" },
    },
  ];
}

function lookup(
  raw: unknown,
  path: readonly (string | number)[],
): { present: boolean; value?: unknown } {
  let current: unknown = raw;
  for (const part of path) {
    if (current === null || typeof current !== "object" || !(part in current))
      return { present: false };
    current = (current as Record<string | number, unknown>)[part];
  }
  return { present: current !== undefined, value: current };
}

/** Another stack's spec, as far as it could be read, for the checks that span regions. */
export interface PeerStack {
  readonly file: string;
  readonly raw: unknown;
}

/**
 * Regions are meant to be connected (VPN, interconnect, Consul WAN), so no range of this region may
 * overlap a range of another.
 */
export function checkPeerRanges(spec: RegionSpec, file: string, peers: readonly PeerStack[]): void {
  const problems: ConfigProblem[] = [];
  const ours = namedRanges(spec);
  for (const peer of peers) {
    if (peer.file === file || peer.raw === null || typeof peer.raw !== "object") continue;
    const theirs = namedRanges(peer.raw as Parameters<typeof namedRanges>[0]);
    for (const mine of ours) {
      const clash = theirs.find((other) => overlaps(mine.cidr, other.cidr));
      if (!clash) continue;
      problems.push({
        path: mine.path,
        message:
          `expected a range apart from ${keyPath(REGION_CONFIG_KEY, clash.path)} (${formatCidr(clash.cidr)}) in ` +
          `${peer.file}: regions are connected, so their ranges must not overlap`,
        found: { kind: "value", value: formatCidr(mine.cidr) },
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(file, REGION_CONFIG_KEY, problems);
}
