// What changes between two plans of a stack, resource by resource, with the changes that would
// delete or re-create state called out. Pure: two plans in, a list of changes out.
import { describePrecious, isPrecious, PROVIDER_REPLACE_KEYS, replacingPaths } from "./diff-danger";
import { changedPaths, covers, formatPath, type PathSegment, parsePath } from "./diff-paths";
import { judgeUpdate } from "./diff-refused";
import type { Plan, PlannedResource } from "./plan";

/**
 * - add / remove: only in the head / only in the base plan.
 * - replace: the same resource under a new URN (renamed, or moved under another parent) with no
 *   alias, or with a changed input the provider cannot update in place: Pulumi creates the new
 *   one and deletes the old one.
 * - update: the same URN (or an alias of the old one) with changed inputs or options.
 */
export type ChangeKind = "add" | "remove" | "replace" | "update";

export const CHANGE_KINDS: readonly ChangeKind[] = ["add", "remove", "replace", "update"];

export interface ResourceChange {
  readonly kind: ChangeKind;
  /** The resource as the head plan has it; for a removal, as the base plan had it. */
  readonly resource: PlannedResource;
  /** The base plan's resource under its old URN (replace, and update through an alias). */
  readonly previous?: PlannedResource;
  /** Changed input paths (`tags.Name`), without those the resource ignores. */
  readonly changedInputs: readonly string[];
  /** Changed options, as `protect: true -> false`. */
  readonly changedOptions: readonly string[];
  /** The changed inputs (or provider settings) that make the provider re-create the resource. */
  readonly replacingInputs: readonly string[];
  /** For a replace: a new URN, or inputs the provider cannot update in place. */
  readonly replaceReason?: "urn" | "inputs";
  /** Updates the cloud refuses, each with the reference that says so. */
  readonly refused: readonly string[];
  /** Set when the change deletes or re-creates a protected or stateful resource: the reason. */
  readonly danger?: string;
  /** Things a reviewer should know that do not destroy state. */
  readonly warnings: readonly string[];
}

export interface PlanDiff {
  readonly stack: string;
  readonly base: Plan;
  readonly head: Plan;
  /** Changes in the order of the head plan (removals in the order of the base plan). */
  readonly changes: readonly ResourceChange[];
  readonly unchanged: number;
}

interface Pairing {
  /** Head URN -> base resource it continues. */
  readonly previousOf: Map<string, { resource: PlannedResource; how: "urn" | "alias" | "moved" }>;
  readonly removed: PlannedResource[];
}

/** Canonical JSON (sorted keys) so that key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, (v as Record<string, unknown>)[k]]),
    );
  });
}

/** Matches head resources to base resources: same URN, an alias, same type+name, same inputs. */
function pair(base: Plan, head: Plan): Pairing {
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headUrns = new Set(head.resources.map((r) => r.urn));
  const previousOf: Pairing["previousOf"] = new Map();
  const taken = new Set<string>();
  const unmatched: PlannedResource[] = [];
  for (const resource of head.resources) {
    const same = baseByUrn.get(resource.urn);
    if (same) {
      previousOf.set(resource.urn, { resource: same, how: "urn" });
      taken.add(same.urn);
    } else unmatched.push(resource);
  }
  const stillNew: PlannedResource[] = [];
  for (const resource of unmatched) {
    const alias = resource.aliases.find(
      (urn) => baseByUrn.has(urn) && !headUrns.has(urn) && !taken.has(urn),
    );
    const aliased = alias ? baseByUrn.get(alias) : undefined;
    if (aliased) {
      previousOf.set(resource.urn, { resource: aliased, how: "alias" });
      taken.add(aliased.urn);
    } else stillNew.push(resource);
  }
  const free = () => base.resources.filter((r) => !taken.has(r.urn) && !headUrns.has(r.urn));
  const claim = (resource: PlannedResource, match: (old: PlannedResource) => boolean) => {
    const old = free().find((candidate) => candidate.type === resource.type && match(candidate));
    if (!old) return false;
    previousOf.set(resource.urn, { resource: old, how: "moved" });
    taken.add(old.urn);
    return true;
  };
  const afterNames = stillNew.filter((r) => !claim(r, (old) => old.name === r.name));
  for (const resource of afterNames) {
    if (!resource.custom || Object.keys(resource.inputs).length === 0) continue;
    const inputs = canonical(resource.inputs);
    claim(resource, (old) => old.custom && canonical(old.inputs) === inputs);
  }
  return { previousOf, removed: free() };
}

function optionChanges(
  before: PlannedResource,
  after: PlannedResource,
  sameProvider: boolean,
): string[] {
  const changes: string[] = [];
  const flag = (name: string, a: unknown, b: unknown) => {
    if (canonical(a) !== canonical(b)) changes.push(`${name}: ${canonical(a)} -> ${canonical(b)}`);
  };
  flag("protect", before.protect, after.protect);
  flag("retainOnDelete", before.retainOnDelete, after.retainOnDelete);
  flag("deleteBeforeReplace", before.deleteBeforeReplace, after.deleteBeforeReplace);
  flag("ignoreChanges", [...before.ignoreChanges].sort(), [...after.ignoreChanges].sort());
  if (!sameProvider)
    changes.push(`provider: ${shortUrn(before.provider)} -> ${shortUrn(after.provider)}`);
  if ((before.parent ?? "") !== (after.parent ?? "") && before.urn === after.urn)
    changes.push(`parent: ${shortUrn(before.parent)} -> ${shortUrn(after.parent)}`);
  return changes;
}

/** The last part of a URN: its name. */
export function shortUrn(urn: string | undefined): string {
  if (!urn) return "(none)";
  const cut = urn.lastIndexOf("::");
  return cut >= 0 ? urn.slice(cut + 2) : urn;
}

/** Provider settings (region, project) that differ between two provider resources. */
function providerMoves(before: PlannedResource | undefined, after: PlannedResource | undefined) {
  if (!before || !after) return [];
  return PROVIDER_REPLACE_KEYS.filter(
    (key) => canonical(before.inputs[key]) !== canonical(after.inputs[key]),
  ).map(
    (key) =>
      `provider ${key} (${canonical(before.inputs[key])} -> ${canonical(after.inputs[key])})`,
  );
}

export function diffPlans(base: Plan, head: Plan): PlanDiff {
  const { previousOf, removed } = pair(base, head);
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
  const headUrnOf = new Map([...previousOf].map(([urn, p]) => [p.resource.urn, urn]));
  const changes: ResourceChange[] = [];
  let unchanged = 0;

  for (const resource of head.resources) {
    const match = previousOf.get(resource.urn);
    if (!match) {
      changes.push(plain("add", resource));
      continue;
    }
    const previous = match.resource;
    const ignored = resource.ignoreChanges.map(parsePath);
    const paths: PathSegment[][] = changedPaths(previous.inputs, resource.inputs).filter(
      (path) => match.how === "moved" || !ignored.some((pattern) => covers(pattern, path)),
    );
    const oldProvider = previous.provider ? headUrnOf.get(previous.provider) : undefined;
    const sameProvider = (oldProvider ?? previous.provider) === resource.provider;
    const options = optionChanges(previous, resource, sameProvider);
    if (match.how === "alias") options.unshift(`urn: aliased from ${previous.urn}`);
    const moves = resource.custom
      ? providerMoves(
          previous.provider ? baseByUrn.get(previous.provider) : undefined,
          resource.provider ? headByUrn.get(resource.provider) : undefined,
        )
      : [];
    if (match.how === "urn" && paths.length === 0 && options.length === 0 && moves.length === 0) {
      unchanged++;
      continue;
    }
    const kind = match.how === "moved" ? "replace" : "update";
    const providerInputs = resource.provider ? headByUrn.get(resource.provider)?.inputs : undefined;
    changes.push(assess(kind, resource, previous, paths, options, moves, providerInputs ?? {}));
  }
  for (const resource of removed) changes.push(assessRemoval(resource));
  return { stack: head.stack, base, head, changes, unchanged };
}

function plain(kind: ChangeKind, resource: PlannedResource): ResourceChange {
  return {
    kind,
    resource,
    changedInputs: [],
    changedOptions: [],
    replacingInputs: [],
    refused: [],
    warnings: [],
  };
}

function assessRemoval(resource: PlannedResource): ResourceChange {
  const change = plain("remove", resource);
  if (!resource.custom || !isPrecious(resource)) return change;
  if (resource.retainOnDelete)
    return {
      ...change,
      warnings: [
        `leaves ${describePrecious(resource)} in the cloud but drops it from the stack (retainOnDelete)`,
      ],
    };
  return { ...change, danger: `deletes ${describePrecious(resource)}` };
}

function assess(
  urnKind: "replace" | "update",
  resource: PlannedResource,
  previous: PlannedResource,
  paths: PathSegment[][],
  changedOptions: string[],
  providerMoves: string[],
  providerInputs: Record<string, unknown>,
): ResourceChange {
  const changedInputs = paths.map(formatPath);
  const replacing = resource.custom
    ? replacingPaths(resource.type, paths, previous.inputs, resource.inputs, providerInputs)
    : [];
  const replacingInputs = [...replacing.map((r) => r.input), ...providerMoves];
  const kind = urnKind === "update" && replacingInputs.length > 0 ? "replace" : urnKind;
  const warnings: string[] = [];
  const precious = resource.custom && (isPrecious(resource) || isPrecious(previous));
  const what = describePrecious(resource.protect ? resource : previous);
  let danger: string | undefined;
  if (urnKind === "replace" && resource.custom) {
    const reason = `its URN changes (was ${previous.urn}); an alias keeps it`;
    if (precious) danger = `re-creates ${what}: ${reason}`;
    else warnings.push(`re-created: ${reason}`);
  } else if (replacingInputs.length > 0) {
    const why = replacing
      .filter((r) => r.reason !== "documented")
      .map((r) => r.reason)
      .join("; ");
    const reason = `${replacingInputs.join(", ")} forces replacement${why ? ` (${why})` : ""}`;
    if (precious) danger = `re-creates ${what}: ${reason}`;
    else warnings.push(`re-created: ${reason}`);
  }
  const verdict =
    kind === "update" && resource.custom
      ? judgeUpdate(resource.type, previous.inputs, resource.inputs)
      : { refused: [], warnings: [] };
  warnings.push(...verdict.warnings);
  if (previous.protect && !resource.protect)
    warnings.push("protection removed: a later change can delete it");
  if (previous.inputs.deletionProtection === true && resource.inputs.deletionProtection === false)
    warnings.push("deletion protection turned off in the cloud");
  if (urnKind === "replace" && !resource.custom)
    warnings.push(`component moved (was ${previous.urn}): its children get new URNs too`);
  return {
    kind,
    resource,
    previous,
    changedInputs,
    changedOptions,
    replacingInputs,
    ...(kind === "replace" ? { replaceReason: urnKind === "replace" ? "urn" : "inputs" } : {}),
    refused: verdict.refused,
    ...(danger ? { danger } : {}),
    warnings,
  };
}

export interface DiffCounts {
  readonly add: number;
  readonly remove: number;
  readonly replace: number;
  readonly update: number;
  readonly danger: number;
  /** Updates the cloud refuses. */
  readonly refused: number;
}

export function countChanges(diff: PlanDiff): DiffCounts {
  const count = (kind: ChangeKind) => diff.changes.filter((c) => c.kind === kind).length;
  return {
    add: count("add"),
    remove: count("remove"),
    replace: count("replace"),
    update: count("update"),
    danger: diff.changes.filter((c) => c.danger).length,
    refused: diff.changes.filter((c) => c.refused.length > 0).length,
  };
}
