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
// Resources that share a lock (see `LockOf`) are created one at a time.
import type { PlannedResource } from "../tools/plan/plan";
import { STACK_TYPE } from "./floor-replay";
import { MinHeap } from "./min-heap";

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

/**
 * What else orders creation: resources that hold the same lock while they are created are
 * created one at a time, in the order they become ready (the Google provider, for one, takes a
 * lock per project around every change of the project's IAM policy). `undefined`: no lock.
 */
export type LockOf = (resource: PlannedResource) => string | undefined;

export interface PathOptions {
  /** Edges to leave out (what-if costs, the data-only path). */
  readonly skip?: (edge: Edge) => boolean;
  readonly lockOf?: LockOf;
}

export function criticalPath(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  options: PathOptions | ((edge: Edge) => boolean) = {},
): CriticalPath {
  const { skip = () => false, lockOf = () => undefined } =
    typeof options === "function" ? { skip: options } : options;
  const planned = resources.filter((resource) => resource.type !== STACK_TYPE);
  const byUrn = new Map(planned.map((resource) => [resource.urn, resource]));
  const order = new Map(planned.map((resource, index) => [resource.urn, index]));

  // Event order: each resource is created once all it waits for are; among those ready, the one
  // ready first (plan order on ties) goes first, which is also the order a lock admits them in.
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const resource of planned) {
    const targets = waitsFor(resource, byUrn).filter(
      (urn) => !skip({ from: resource.urn, to: urn }),
    );
    waiting.set(resource.urn, targets.length);
    for (const urn of targets) dependents.set(urn, [...(dependents.get(urn) ?? []), resource.urn]);
  }
  const readyAt = new Map<string, { at: number; after?: string }>();
  const queue = new MinHeap<string>((a, b) => {
    const byTime = (readyAt.get(a)?.at ?? 0) - (readyAt.get(b)?.at ?? 0);
    return byTime !== 0 ? byTime : (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });
  for (const resource of planned) if (waiting.get(resource.urn) === 0) queue.push(resource.urn);

  const steps = new Map<string, TimedStep>();
  const before = new Map<string, string | undefined>();
  const locks = new Map<string, { free: number; holder: string }>();
  for (let urn = queue.pop(); urn !== undefined; urn = queue.pop()) {
    const resource = byUrn.get(urn) as PlannedResource;
    const ready = readyAt.get(urn) ?? { at: 0 };
    let start = ready.at;
    let after = ready.after;
    const lock = lockOf(resource);
    const held = lock === undefined ? undefined : locks.get(lock);
    if (held && held.free > start) {
      start = held.free;
      after = held.holder;
    }
    const minutes = minutesOf(resource);
    const step: TimedStep = {
      urn,
      type: resource.type,
      name: resource.name,
      minutes,
      start,
      finish: start + minutes,
    };
    steps.set(urn, step);
    before.set(urn, after);
    if (lock !== undefined) locks.set(lock, { free: step.finish, holder: urn });
    for (const dependent of dependents.get(urn) ?? []) {
      const known = readyAt.get(dependent);
      if (!known || step.finish > known.at) readyAt.set(dependent, { at: step.finish, after: urn });
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) queue.push(dependent);
    }
  }
  if (steps.size < planned.length) {
    const stuck = planned.find((resource) => !steps.has(resource.urn));
    throw new Error(`cycle in the plan at ${stuck?.urn}`);
  }

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
  lockOf?: LockOf,
): EdgeCost[] {
  const total = criticalPath(resources, minutesOf, { ...(lockOf ? { lockOf } : {}) }).totalMinutes;
  return edges
    .map((edge) => {
      const without = criticalPath(resources, minutesOf, {
        skip: (other) => other.from === edge.from && other.to === edge.to,
        ...(lockOf ? { lockOf } : {}),
      }).totalMinutes;
      return { edge, savesMinutes: round(total - without) };
    })
    .sort((a, b) => b.savesMinutes - a.savesMinutes);
}

/** The deploy time with a set of edges removed together. */
export function withoutEdges(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  edges: readonly Edge[],
  lockOf?: LockOf,
): number {
  const dropped = new Set(edges.map((edge) => `${edge.from} ${edge.to}`));
  return criticalPath(resources, minutesOf, {
    skip: (edge) => dropped.has(`${edge.from} ${edge.to}`),
    ...(lockOf ? { lockOf } : {}),
  }).totalMinutes;
}

/**
 * The deploy through data alone: every `dependsOn` edge left out, so a resource waits only for
 * what its inputs come from, its provider and a custom parent (and the locks, which no program
 * can lift). No ordering the program adds can make a deploy shorter than this.
 */
export function dataOnlyPath(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  explicit: readonly Edge[],
  lockOf?: LockOf,
): CriticalPath {
  const dropped = new Set(explicit.map((edge) => `${edge.from} ${edge.to}`));
  return criticalPath(resources, minutesOf, {
    skip: (edge) => dropped.has(`${edge.from} ${edge.to}`),
    ...(lockOf ? { lockOf } : {}),
  });
}

/**
 * Resources that enable a cloud API, and the waits after them until the API takes calls: on a
 * fresh project nothing created through the API can be created before them, and no input can
 * carry that wait, so a `dependsOn` on one stands for a need.
 */
export const API_ENABLEMENT_TYPES: readonly string[] = [
  "gcp:projects/service:Service",
  "pulumi-nodejs:dynamic/multicloud:GoogleApiWait",
];

/** The `dependsOn` edges that wait for an API's enablement (a type of `API_ENABLEMENT_TYPES`). */
export function apiEnablementEdges(
  resources: readonly PlannedResource[],
  explicit: readonly Edge[],
): Edge[] {
  const typeOf = new Map(resources.map((resource) => [resource.urn, resource.type]));
  return explicit.filter((edge) => API_ENABLEMENT_TYPES.includes(typeOf.get(edge.to) ?? ""));
}

/**
 * The deploy through what it needs: the data-only path with the `dependsOn` edges that stand for
 * a need kept (`needed`, e.g. the API enablement edges). What the deploy takes beyond this is
 * ordering the program could drop.
 */
export function neededPath(
  resources: readonly PlannedResource[],
  minutesOf: MinutesOf,
  explicit: readonly Edge[],
  needed: readonly Edge[],
  lockOf?: LockOf,
): CriticalPath {
  const kept = new Set(needed.map((edge) => `${edge.from} ${edge.to}`));
  const dropped = explicit.filter((edge) => !kept.has(`${edge.from} ${edge.to}`));
  return dataOnlyPath(resources, minutesOf, dropped, lockOf);
}

function round(minutes: number): number {
  return Math.round(minutes * 1000) / 1000;
}
