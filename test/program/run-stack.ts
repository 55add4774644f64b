// Runs the whole program for one stack under the mocks (once per test process) and shares checks.
import assert from "node:assert/strict";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { runPlan } from "../../tools/plan/run";
import { projectDir } from "../support/stacks";

let cached: Promise<Plan> | undefined;

export function planOf(stack: string): Promise<Plan> {
  cached ??= runPlan({ projectDir, stack });
  return cached;
}

export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((resource) => resource.type === type);
}

/** Checks that hold for every stack. */
export function assertCommonShape(plan: Plan): void {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const [stackResource, ...others] = ofType(plan, "pulumi:pulumi:Stack");
  assert.ok(stackResource && others.length === 0, "exactly one stack resource");
  for (const resource of plan.resources) {
    if (resource !== stackResource)
      assert.ok(
        resource.parent && byUrn.has(resource.parent),
        `${resource.urn} has a known parent`,
      );
    // Dynamic resources (Sakura Cloud) run in the program's own provider, which has no other.
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
    if (resource.type.startsWith("pulumi-nodejs:dynamic")) continue;
    assert.ok(resource.provider, `${resource.urn} names its provider`);
    const provider = byUrn.get(resource.provider ?? "");
    assert.ok(
      provider?.type.startsWith("pulumi:providers:"),
      `${resource.urn}: provider is one of ours`,
    );
    assert.ok(!provider?.name.startsWith("default"), `${resource.urn} uses a default provider`);
    for (const dependency of resource.dependencies) {
      assert.ok(byUrn.has(dependency), `${resource.urn} depends on an unknown ${dependency}`);
    }
  }
  assert.equal(
    new Set(plan.resources.map((r) => r.urn)).size,
    plan.resources.length,
    "URNs are unique",
  );
}
