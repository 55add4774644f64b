// The deploy time model: how long `pulumi up` on an empty stack would take with unlimited
// parallelism, as the longest chain of waits through the plan's graph. Pure.
//
// What makes a resource wait, in Pulumi:
// - its `dependencies` (inputs taken from other resources' outputs, and `dependsOn`): the program
//   sends a registration only once those are created (dependencies on a component arrive here
//   already expanded to the component's custom resources);
// - its provider: a provider resource must be configured first (and a provider whose inputs come
//   from a resource, e.g. a kubeconfig from a cluster, waits for that resource through its own
//   dependencies);
// - a custom (not component) parent: its URN is known only once it is created.
// A component parent makes no child wait: components are registered at once.
import type { PlannedResource } from "../tools/plan/plan";
import { STACK_TYPE } from "./floor-replay";

export interface Edge {
  /** The resource that waits. */
  readonly from: string;
  /** The resource waited for. */
  readonly to: string;
}

export interface TimedStep {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly minutes: number;
  /** When it can start (all it waits for are created) and when it is created, minutes from start. */
  readonly start: number;
  readonly finish: number;
}

export interface CriticalPath {
  readonly totalMinutes: number;
  /** The slowest single resource: no schedule can be shorter. */
  readonly floorMinutes: number;
  readonly slowest?: TimedStep;
  /** The longest chain, first resource first. */
  readonly chain: readonly TimedStep[];
}

export type MinutesOf = (resource: PlannedResource) => number;

/** What a resource waits for, by the rules above, among the resources of the plan. */
export function waitsFor(
  resource: PlannedResource,
  byUrn: ReadonlyMap<string, PlannedResource>,
): string[] {
  const targets = new Set<string>(resource.dependencies);
  if (resource.provider) targets.add(resource.provider);
  const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
  if (parent?.custom) targets.add(parent.urn);
  return [...targets].filter((urn) => byUrn.has(urn) && urn !== resource.urn);
}

export function criticalPath(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  skip: (edge: Edge) => boolean = () => false,
): CriticalPath {
  const planned = resources.filter((resource) => resource.type !== STACK_TYPE);
  const byUrn = new Map(planned.map((resource) => [resource.urn, resource]));
  const steps = new Map<string, TimedStep>();
  const before = new Map<string, string | undefined>();
  const visiting = new Set<string>();

  const schedule = (resource: PlannedResource): TimedStep => {
    const known = steps.get(resource.urn);
    if (known) return known;
    if (visiting.has(resource.urn)) throw new Error(`cycle in the plan at ${resource.urn}`);
    visiting.add(resource.urn);
    let start = 0;
    let latest: string | undefined;
    for (const urn of waitsFor(resource, byUrn)) {
      if (skip({ from: resource.urn, to: urn })) continue;
      const target = byUrn.get(urn);
      if (!target) continue;
      const finish = schedule(target).finish;
      if (latest === undefined || finish > start) {
        start = Math.max(start, finish);
        latest = urn;
      }
    }
    const minutes = minutesOf(resource);
    const step: TimedStep = {
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      minutes,
      start,
      finish: start + minutes,
    };
    visiting.delete(resource.urn);
    steps.set(resource.urn, step);
    before.set(resource.urn, latest);
    return step;
  };

  for (const resource of planned) schedule(resource);
  let last: TimedStep | undefined;
  let slowest: TimedStep | undefined;
  for (const step of steps.values()) {
    if (!last || step.finish > last.finish) last = step;
    if (!slowest || step.minutes > slowest.minutes) slowest = step;
  }
  const chain: TimedStep[] = [];
  for (let urn = last?.urn; urn !== undefined; urn = before.get(urn)) {
    const step = steps.get(urn);
    if (!step) break;
    chain.unshift(step);
  }
  // Links that add no time (the start was 0 and nothing was waited for) are not part of the chain.
  while (chain.length > 1 && chain[0]?.minutes === 0 && chain[1]?.start === 0) chain.shift();
  return {
    totalMinutes: last?.finish ?? 0,
    floorMinutes: slowest?.minutes ?? 0,
    ...(slowest ? { slowest } : {}),
    chain,
  };
}

/**
 * The edges that come from `dependsOn` alone: a resource's dependencies minus those its inputs
 * carry (`inputDependencies`, per URN, as the engine's property dependencies report them).
 */
export function explicitEdges(
  resources: readonly PlannedResource[],
  inputDependencies: Readonly<Record<string, readonly string[]>>,
): Edge[] {
  const edges: Edge[] = [];
  for (const resource of resources) {
    const fromInputs = new Set(inputDependencies[resource.urn] ?? []);
    for (const urn of resource.dependencies)
      if (!fromInputs.has(urn)) edges.push({ from: resource.urn, to: urn });
  }
  return edges;
}

export interface EdgeCost {
  readonly edge: Edge;
  /** How much shorter the whole deploy gets without this edge alone, minutes. */
  readonly savesMinutes: number;
}

/** For each edge, what the deploy would save without it; those that save nothing cost nothing. */
export function edgeCosts(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  edges: readonly Edge[],
): EdgeCost[] {
  const total = criticalPath(resources, minutesOf).totalMinutes;
  return edges
    .map((edge) => {
      const without = criticalPath(
        resources,
        minutesOf,
        (other) => other.from === edge.from && other.to === edge.to,
      ).totalMinutes;
      return { edge, savesMinutes: round(total - without) };
    })
    .sort((a, b) => b.savesMinutes - a.savesMinutes);
}

/** The deploy time with a set of edges removed together. */
export function withoutEdges(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  edges: readonly Edge[],
): number {
  const dropped = new Set(edges.map((edge) => `${edge.from} ${edge.to}`));
  return criticalPath(resources, minutesOf, (edge) => dropped.has(`${edge.from} ${edge.to}`))
    .totalMinutes;
}

function round(minutes: number): number {
  return Math.round(minutes * 1000) / 1000;
}
