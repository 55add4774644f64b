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
