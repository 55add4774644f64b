// Pinned URNs of stateful resources: which resources count, the URN the Pulumi engine gives each
// (the offline plan's mock URNs carry only the parent's type; the engine's carry every ancestor's),
// and the check that a pinned URN is still created, or is listed as an alias by what replaced it.
import type { Plan, PlannedResource } from "../../tools/plan/plan";

/** stack -> pinned URNs, sorted. */
export type PinFile = Record<string, string[]>;

const ROOT_STACK = "pulumi:pulumi:Stack";

/** Stateful means protected: databases, their disks, Consul servers, zones, keys, backup stores. */
export function isStateful(resource: PlannedResource): boolean {
  return resource.custom && resource.protect && !resource.type.startsWith("pulumi:providers:");
}

/** The parts of a URN: urn:pulumi:<stack>::<project>::<qualified type>::<name>. */
function parts(urn: string): { stack: string; project: string; type: string; name: string } {
  const [head = "", project = "", type = "", ...name] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, type, name: name.join("::") };
}

/**
 * URNs as the engine forms them: the qualified type is the chain of every ancestor's type below
 * the root stack, joined with `$`, then the resource's own type.
 */
export function engineUrns(plan: Plan): Map<string, string> {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const cache = new Map<string, string>();
  const qualifiedType = (resource: PlannedResource): string => {
    const known = cache.get(resource.urn);
    if (known !== undefined) return known;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    const type =
      parent && parent.type !== ROOT_STACK
        ? `${qualifiedType(parent)}$${resource.type}`
        : resource.type;
    cache.set(resource.urn, type);
    return type;
  };
  const out = new Map<string, string>();
  for (const resource of plan.resources) {
    const { stack, project } = parts(resource.urn);
    out.set(
      resource.urn,
      `urn:pulumi:${stack}::${project}::${qualifiedType(resource)}::${resource.name}`,
    );
  }
  return out;
}

/**
 * Every earlier URN each resource answers to: its own aliases, and those it inherits when an
 * ancestor was renamed or moved with an alias (the engine derives the child's old URN from it).
 */
export function aliasUrns(plan: Plan): Map<string, string[]> {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const cache = new Map<string, string[]>();
  const of = (resource: PlannedResource): string[] => {
    const known = cache.get(resource.urn);
    if (known) return known;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    const inherited = (parent ? of(parent) : []).map((parentAlias) => {
      const { stack, project, type } = parts(parentAlias);
      return `urn:pulumi:${stack}::${project}::${type}$${resource.type}::${resource.name}`;
    });
    const all = [...new Set([...resource.aliases, ...inherited])];
    cache.set(resource.urn, all);
    return all;
  };
  const out = new Map<string, string[]>();
  for (const resource of plan.resources) out.set(resource.urn, of(resource));
  return out;
}

/** The engine URNs of the plan's stateful resources, sorted. */
export function statefulUrns(plan: Plan): string[] {
  const urns = engineUrns(plan);
  return plan.resources
    .filter(isStateful)
    .map((resource) => urns.get(resource.urn) ?? resource.urn)
    .sort();
}

export interface PinProblems {
  /** Pinned URNs that nothing creates or lists as an alias: the resource would be replaced. */
  readonly lost: string[];
  /** Stateful resources whose URN is not pinned (new, or renamed without an alias). */
  readonly unpinned: string[];
}

export function checkPins(pinned: readonly string[], plan: Plan): PinProblems {
  const current = new Set(statefulUrns(plan));
  const engine = engineUrns(plan);
  const answeredBy = new Map<string, string>();
  for (const [urn, aliases] of aliasUrns(plan)) {
    for (const alias of aliases) answeredBy.set(alias, engine.get(urn) ?? urn);
  }
  const lost = pinned.filter((urn) => !current.has(urn) && !answeredBy.has(urn));
  const kept = new Set(pinned.flatMap((urn) => [urn, answeredBy.get(urn) ?? urn]));
  const unpinned = [...current].filter((urn) => !kept.has(urn));
  return { lost, unpinned };
}
