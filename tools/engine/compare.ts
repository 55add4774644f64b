// Comparing what the real engine did with what the offline plan says. Pure.
import type { PolicyViolation } from "../plan/policy";
import type { EnginePolicyViolation } from "./run-result";

export interface UrnComparison {
  /** Engine URNs the plan names too. */
  readonly matched: number;
  /** Every URN the engine holds. */
  readonly total: number;
  readonly engineOnly: readonly string[];
  readonly planOnly: readonly string[];
}

export function compareUrns(engine: readonly string[], plan: readonly string[]): UrnComparison {
  const planned = new Set(plan);
  const held = new Set(engine);
  return {
    matched: [...held].filter((urn) => planned.has(urn)).length,
    total: held.size,
    engineOnly: [...held].filter((urn) => !planned.has(urn)).sort(),
    planOnly: [...planned].filter((urn) => !held.has(urn)).sort(),
  };
}

/** A violation as both sides name it: rule, level and resource (the stack's URN when none). */
export function violationKey(
  violation: { rule: string; level: string; urn: string },
  stackUrn: string,
): string {
  return `${violation.level} ${violation.rule} ${violation.urn || stackUrn}`;
}

export interface ViolationComparison {
  readonly same: boolean;
  readonly engineOnly: readonly string[];
  readonly planOnly: readonly string[];
}

export function compareViolations(
  engine: readonly EnginePolicyViolation[],
  plan: readonly PolicyViolation[],
  stackUrn: string,
): ViolationComparison {
  const engineKeys = new Set(engine.map((violation) => violationKey(violation, stackUrn)));
  const planKeys = new Set(plan.map((violation) => violationKey(violation, stackUrn)));
  const engineOnly = [...engineKeys].filter((key) => !planKeys.has(key)).sort();
  const planOnly = [...planKeys].filter((key) => !engineKeys.has(key)).sort();
  return { same: engineOnly.length === 0 && planOnly.length === 0, engineOnly, planOnly };
}

/** Changes a preview found: every step count but `same`. */
export function changeCount(summary: Record<string, number>): number {
  return Object.entries(summary)
    .filter(([op]) => op !== "same")
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Input keys the engine adds to a provider resource (the plugin version it asked for). */
const ENGINE_PROVIDER_KEYS = ["version", "__internal"];

/**
 * Resources whose input keys differ between the engine's state and the plan: `urn: +engine -plan`.
 * Keys the plan has and the engine lacks always count. Keys only the engine has count except
 * where the engine or a real provider adds them: provider versions, the config the engine hands a
 * default provider, and the defaults a dynamic provider's check fills in.
 */
export function compareInputKeys(
  engine: readonly {
    urn: string;
    type: string;
    custom: boolean;
    inputs: Record<string, unknown>;
  }[],
  plan: readonly { urn: string; inputs: Record<string, unknown> }[],
): string[] {
  const planned = new Map(plan.map((resource) => [resource.urn, resource.inputs]));
  const differences: string[] = [];
  const keysOf = (inputs: Record<string, unknown>) =>
    Object.keys(inputs).filter((key) => inputs[key] !== undefined);
  for (const resource of engine) {
    const inputs = planned.get(resource.urn);
    if (!resource.custom || inputs === undefined) continue;
    const isProvider = resource.type.startsWith("pulumi:providers:");
    if (isProvider && /::default(_[0-9_]+)?$/.test(resource.urn)) continue;
    const engineKeys = keysOf(resource.inputs);
    const planKeys = keysOf(inputs);
    const planOnly = planKeys.filter((key) => !engineKeys.includes(key)).sort();
    const engineOnly = resource.type.startsWith("pulumi-nodejs:dynamic/")
      ? []
      : engineKeys
          .filter((key) => !planKeys.includes(key))
          .filter((key) => !(isProvider && ENGINE_PROVIDER_KEYS.includes(key)))
          .sort();
    if (engineOnly.length > 0 || planOnly.length > 0)
      differences.push(
        `${resource.urn}: ${[...engineOnly.map((k) => `+${k}`), ...planOnly.map((k) => `-${k}`)].join(" ")}`,
      );
  }
  return differences;
}
