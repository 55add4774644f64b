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

/** The stack a stack file belongs to: `Pulumi.us-dr.yaml` -> `us-dr`. */
export function stackOfFile(file: string): string | undefined {
  return /(?:^|\/)Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(file)?.[1];
}

/** The stack a raw region replaces (`dr.replaces`), as far as the raw value says. */
function replacedStack(raw: unknown): string | undefined {
  const dr = (raw as { dr?: { replaces?: unknown } } | null)?.dr;
  return typeof dr?.replaces === "string" ? dr.replaces : undefined;
}

/**
 * Regions are meant to be connected (VPN, interconnect, Consul WAN), so no range of this region may
 * overlap a range of another. The one exception is a rebuild and the stack it replaces (either
 * names the other in dr.replaces): they never run connected, and the rebuild keeps the addresses.
 */
export function checkPeerRanges(spec: RegionSpec, file: string, peers: readonly PeerStack[]): void {
  const problems: ConfigProblem[] = [];
  const ours = namedRanges(spec);
  const ourStack = stackOfFile(file);
  for (const peer of peers) {
    if (peer.file === file || peer.raw === null || typeof peer.raw !== "object") continue;
    const peerStack = stackOfFile(peer.file);
    const replacement =
      (spec.dr.replaces !== undefined && spec.dr.replaces === peerStack) ||
      (ourStack !== undefined && replacedStack(peer.raw) === ourStack);
    if (replacement) continue;
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
