// The floor's registration replay, as data: from a plan, the order and options in which a program
// without components would register exactly the same resources. Pure, so it is unit-tested.
import type { PlannedResource } from "../tools/plan/plan";
import type { PropertyDependencies } from "./children/dependency-recorder";

export const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";

export type ReplayKind =
  | { readonly kind: "provider"; readonly pkg: string }
  | { readonly kind: "custom" }
  /** A dynamic resource: `pulumi-nodejs:dynamic/<module>:<type>`. */
  | { readonly kind: "dynamic"; readonly module: string; readonly type: string }
  | { readonly kind: "component" };

export interface ReplayStep {
  readonly resource: PlannedResource;
  readonly what: ReplayKind;
  /** URN of the parent to pass, absent when the parent is the stack (the default parent). */
  readonly parent?: string;
  /** URN of the provider resource to pass; absent for a package's default provider. */
  readonly provider?: string;
  /** Per input, the resources its value comes from: the floor passes it as their Output. */
  readonly inputsFrom: Readonly<Record<string, readonly string[]>>;
  /** URNs to pass as `dependsOn`: the plan's dependencies that no input carries. */
  readonly dependsOn: readonly string[];
}

/**
 * A package's default provider: the engine makes it for resources given no provider, and the plan
 * lists it without a parent (a program's own providers always have one).
 */
export function isDefaultProvider(resource: PlannedResource): boolean {
  return resource.type.startsWith(PROVIDER_PREFIX) && resource.parent === undefined;
}

/**
 * Every resource the program registered (not the stack, not default providers), each after its
 * parent, its provider and its dependencies, so each step can be given the objects it refers to.
 * Ties keep the plan's (URN) order. `propertyDependencies` tells which dependencies the inputs
 * carry (as the plan child records them); the rest are `dependsOn`.
 */
export function replaySteps(
  resources: readonly PlannedResource[],
  propertyDependencies: Readonly<PropertyDependencies> = {},
): ReplayStep[] {
  const stack = resources.find((resource) => resource.type === STACK_TYPE);
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const steps: ReplayStep[] = [];
  const state = new Map<string, "visiting" | "done">();

  const visit = (resource: PlannedResource, from: string | undefined): void => {
    const seen = state.get(resource.urn);
    if (seen === "done") return;
    if (seen === "visiting")
      throw new Error(`cycle in the plan at ${resource.urn} (reached from ${from})`);
    state.set(resource.urn, "visiting");
    const parent = resource.parent && resource.parent !== stack?.urn ? resource.parent : undefined;
    const refs = [parent, resource.provider, ...resource.dependencies].filter(
      (urn): urn is string => urn !== undefined,
    );
    for (const urn of refs) {
      const target = byUrn.get(urn);
      if (!target) throw new Error(`${resource.urn} refers to ${urn}, which is not in the plan`);
      visit(target, resource.urn);
    }
    state.set(resource.urn, "done");
    if (isDefaultProvider(resource)) return;
    const inputsFrom = propertyDependencies[resource.urn] ?? {};
    const carried = new Set(Object.values(inputsFrom).flat());
    const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
    steps.push({
      resource,
      what: kindOf(resource),
      ...(parent ? { parent } : {}),
      ...(provider && !isDefaultProvider(provider) ? { provider: provider.urn } : {}),
      inputsFrom,
      dependsOn: resource.dependencies.filter((urn) => !carried.has(urn)),
    });
  };

  for (const resource of resources) if (resource.type !== STACK_TYPE) visit(resource, undefined);
  return steps;
}

function kindOf(resource: PlannedResource): ReplayKind {
  if (resource.type.startsWith(PROVIDER_PREFIX))
    return { kind: "provider", pkg: resource.type.slice(PROVIDER_PREFIX.length) };
  if (resource.type.startsWith(DYNAMIC_PREFIX)) {
    const [module = "", type = ""] = resource.type.slice(DYNAMIC_PREFIX.length).split(":");
    return { kind: "dynamic", module, type };
  }
  return resource.custom ? { kind: "custom" } : { kind: "component" };
}

/**
 * Inputs as the program sent them, as far as the plan keeps them: "[secret]" markers become secret
 * values again (the wire form of a secret costs more than a string); everything else is as planned.
 */
export function replayInputs<T>(
  inputs: Record<string, unknown>,
  secret: (value: string) => T,
  marker: string,
): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (value === marker) return secret(marker);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  return walk(inputs) as Record<string, unknown>;
}

export interface ReplayMismatch {
  readonly urn: string;
  readonly problem: string;
}

/** Where a replayed registration differs from the plan (URN, parent, provider, dependencies, inputs). */
export function compareRegistrations(
  planned: readonly PlannedResource[],
  replayed: readonly PlannedResource[],
): ReplayMismatch[] {
  const replayedByUrn = new Map(replayed.map((resource) => [resource.urn, resource]));
  const mismatches: ReplayMismatch[] = [];
  for (const resource of planned) {
    const twin = replayedByUrn.get(resource.urn);
    if (!twin) {
      mismatches.push({ urn: resource.urn, problem: "not registered" });
      continue;
    }
    if ((twin.parent ?? "") !== (resource.parent ?? ""))
      mismatches.push({ urn: resource.urn, problem: `parent ${twin.parent}` });
    if ((twin.provider ?? "") !== (resource.provider ?? ""))
      mismatches.push({ urn: resource.urn, problem: `provider ${twin.provider}` });
    if (twin.dependencies.join(" ") !== resource.dependencies.join(" "))
      mismatches.push({
        urn: resource.urn,
        problem: `dependencies ${twin.dependencies.join(" ")}`,
      });
    const inputs = differentInputs(resource.inputs, twin.inputs);
    if (inputs.length > 0)
      mismatches.push({ urn: resource.urn, problem: `inputs ${inputs.join(" ")}` });
    replayedByUrn.delete(resource.urn);
  }
  for (const urn of replayedByUrn.keys()) mismatches.push({ urn, problem: "not in the plan" });
  return mismatches;
}

/** The names of the inputs whose values differ (compared as JSON with sorted keys). */
export function differentInputs(
  planned: Record<string, unknown>,
  replayed: Record<string, unknown>,
): string[] {
  const keys = [...new Set([...Object.keys(planned), ...Object.keys(replayed)])].sort();
  return keys.filter((key) => canonical(planned[key]) !== canonical(replayed[key]));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
