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

/** Keys that were renamed: a file that still has one is told where the setting lives now. */
const MOVED_KEYS: Readonly<Record<string, string>> = {
  "sakura.adminCidrs":
    "expected operations.cidrs instead: the networks pulumi runs from, which SSH on the hosts and the GKE control plane both admit",
};

function toProblems(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const named = [...path, key].filter((part) => typeof part === "string").join(".");
      return {
        path: [...path, key],
        message: Object.hasOwn(MOVED_KEYS, named)
          ? (MOVED_KEYS[named] ?? issue.message)
          : issue.message,
        found: { kind: "unknown-key" },
      };
    });
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
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part))
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
 * The stacks of one region's lineage: what the stack replaces, what that one replaced, and so on
 * (dr.replaces), and every stack whose own chain of replacements leads to this one (a rebuild,
 * a fail-back that rebuilds the rebuild). Two rebuilds of one stack are not each other's lineage:
 * only one can take its place.
 */
export function lineage(
  stack: string,
  replaces: string | undefined,
  peers: readonly PeerStack[],
): Set<string> {
  const replacedBy = new Map<string, string>();
  if (replaces !== undefined) replacedBy.set(stack, replaces);
  for (const peer of peers) {
    const peerStack = stackOfFile(peer.file);
    const replaced = replacedStack(peer.raw);
    if (peerStack !== undefined && peerStack !== stack && replaced !== undefined)
      replacedBy.set(peerStack, replaced);
  }
  /** The stacks a stack replaces, directly or through others (a cycle ends the walk). */
  const ancestors = (start: string): Set<string> => {
    const found = new Set<string>();
    for (let next = replacedBy.get(start); next !== undefined && !found.has(next); ) {
      found.add(next);
      next = replacedBy.get(next);
    }
    return found;
  };
  const family = ancestors(stack);
  for (const other of replacedBy.keys()) {
    if (other !== stack && ancestors(other).has(stack)) family.add(other);
  }
  family.delete(stack);
  return family;
}

/**
 * Regions are meant to be connected (VPN, interconnect, Consul WAN), so no range of this region may
 * overlap a range of another. The one exception is a region's lineage (a rebuild, the stack it
 * replaces, a fail-back that replaces the rebuild): they never run connected, and each keeps the
 * addresses of the region they all are.
 */
export function checkPeerRanges(spec: RegionSpec, file: string, peers: readonly PeerStack[]): void {
  const problems: ConfigProblem[] = [];
  const ours = namedRanges(spec);
  const ourStack = stackOfFile(file);
  const family =
    ourStack === undefined ? new Set<string>() : lineage(ourStack, spec.dr.replaces, peers);
  for (const peer of peers) {
    if (peer.file === file || peer.raw === null || typeof peer.raw !== "object") continue;
    const peerStack = stackOfFile(peer.file);
    if (peerStack !== undefined && family.has(peerStack)) continue;
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
