// The diff as people read it: the plan's tree, cut down to what changes and the components
// above it, each line marked + (add), - (remove), +- (replace), ~ (update).
import { type ChangeKind, countChanges, type PlanDiff, type ResourceChange } from "./diff";
import type { PlannedResource } from "./plan";

export const MARKS: Readonly<Record<ChangeKind, string>> = {
  add: "+ ",
  remove: "- ",
  replace: "+-",
  update: "~ ",
};

export interface TreeLine {
  readonly text: string;
  /** Absent for an unchanged component shown because something below it changes. */
  readonly change?: ResourceChange;
}

/** How many changed input paths a line lists before "+N more". */
const MAX_KEYS_ON_LINE = 6;

interface Node {
  readonly resource: PlannedResource;
  readonly parent?: string;
  readonly change?: ResourceChange;
}

export function diffTreeLines(diff: PlanDiff): TreeLine[] {
  const nodes = new Map<string, Node>();
  const changeOf = new Map(diff.changes.map((c) => [c.resource.urn, c]));
  for (const resource of diff.head.resources) {
    const change = changeOf.get(resource.urn);
    nodes.set(resource.urn, {
      resource,
      ...(resource.parent ? { parent: resource.parent } : {}),
      ...(change ? { change } : {}),
    });
  }
  // A removed resource hangs under its old parent, or under that parent's new URN if it moved.
  const headUrnOf = new Map<string, string>();
  for (const change of diff.changes)
    if (change.previous) headUrnOf.set(change.previous.urn, change.resource.urn);
  for (const change of diff.changes.filter((c) => c.kind === "remove")) {
    const oldParent = change.resource.parent;
    const parent = oldParent ? (headUrnOf.get(oldParent) ?? oldParent) : undefined;
    nodes.set(change.resource.urn, {
      resource: change.resource,
      ...(parent ? { parent } : {}),
      change,
    });
  }
  const baseByUrn = new Map(diff.base.resources.map((r) => [r.urn, r]));
  const shown = new Set<string>();
  for (const change of diff.changes) {
    let urn: string | undefined = change.resource.urn;
    while (urn && !shown.has(urn)) {
      shown.add(urn);
      const node = nodes.get(urn);
      if (!node) {
        // A removed resource's removed parent: show it from the base plan.
        const old = baseByUrn.get(urn);
        if (!old) break;
        nodes.set(urn, { resource: old, ...(old.parent ? { parent: old.parent } : {}) });
      }
      urn = nodes.get(urn)?.parent;
    }
  }
  const children = new Map<string, Node[]>();
  const roots: Node[] = [];
  const ordered = [...nodes.values()]
    .filter((n) => shown.has(n.resource.urn))
    .sort(
      (a, b) =>
        a.resource.name.localeCompare(b.resource.name) ||
        a.resource.type.localeCompare(b.resource.type) ||
        (a.change?.kind === "remove" ? 1 : 0) - (b.change?.kind === "remove" ? 1 : 0),
    );
  for (const node of ordered) {
    if (node.parent && shown.has(node.parent))
      children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
    else roots.push(node);
  }
  const rows: { label: string; node: Node }[] = [];
  const walk = (node: Node, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    rows.push({ label: `${branch}${node.resource.type}`, node });
    const kids = children.get(node.resource.urn) ?? [];
    const nextPrefix = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
    kids.forEach((kid, i) => {
      walk(kid, nextPrefix, i === kids.length - 1, depth + 1);
    });
  };
  roots.forEach((root, i) => {
    walk(root, "", i === roots.length - 1, 0);
  });
  const width = Math.min(72, Math.max(0, ...rows.map((r) => r.label.length)));
  return rows.map(({ label, node }) => {
    const mark = node.change ? MARKS[node.change.kind] : "  ";
    const text = `${mark} ${label.padEnd(width)}  ${node.resource.name}${details(node)}`;
    return node.change ? { text, change: node.change } : { text };
  });
}

function details(node: Node): string {
  const change = node.change;
  const parts: string[] = [];
  if (node.resource.protect) parts.push("protected");
  if (change?.replaceReason === "urn" && change.previous)
    parts.push(movedFrom(change.previous, node.resource));
  if (change && change.changedInputs.length > 0)
    parts.push(`changed: ${keyList(change.changedInputs)}`);
  if (change && change.changedOptions.length > 0) parts.push(change.changedOptions.join("; "));
  if (change?.kind === "replace" && change.replaceReason === "inputs")
    parts.push(`replaced: ${keyList(change.replacingInputs)}`);
  const text = parts.length > 0 ? `  [${parts.join("; ")}]` : "";
  const danger = change?.danger ? `  DANGER: ${change.danger}` : "";
  const refused =
    change && change.refused.length > 0 ? `  REFUSED: ${change.refused.join("; ")}` : "";
  return `${text}${danger}${refused}`;
}

/** The parent types in a URN's type chain: `a$b$c` -> `a$b`. */
function parentChain(urn: string): string {
  const parts = urn.split("::");
  const chain = parts[parts.length - 2] ?? "";
  const cut = chain.lastIndexOf("$");
  return cut >= 0 ? chain.slice(0, cut) : "(root)";
}

/** How the old URN differs: "renamed from x", "was under a$b". */
export function movedFrom(previous: PlannedResource, current: PlannedResource): string {
  const renamed = previous.name !== current.name ? `renamed from ${previous.name}` : "";
  const before = parentChain(previous.urn);
  const moved = before !== parentChain(current.urn) ? `was under ${before}` : "";
  return [renamed, moved].filter(Boolean).join(", ");
}

export function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, MAX_KEYS_ON_LINE).join(", ");
  return keys.length > MAX_KEYS_ON_LINE
    ? `${shown}, +${keys.length - MAX_KEYS_ON_LINE} more`
    : shown;
}

const ANSI = {
  red: "\u001b[1;31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  magenta: "\u001b[35m",
  reset: "\u001b[0m",
};

const KIND_COLOR: Readonly<Record<ChangeKind, string>> = {
  add: ANSI.green,
  remove: ANSI.magenta,
  replace: ANSI.magenta,
  update: ANSI.yellow,
};

function paint(text: string, color: string, enabled: boolean): string {
  return enabled ? `${color}${text}${ANSI.reset}` : text;
}

export interface TextOptions {
  /** ANSI colours; dangerous lines are red (and say DANGER in words either way). */
  readonly color: boolean;
  /** Where the base plan came from, for the heading. */
  readonly baseName: string;
}

/** The diff for a terminal: a summary line, the tree, then warnings with dangers first. */
export function renderDiffText(diff: PlanDiff, options: TextOptions): string {
  const counts = countChanges(diff);
  const summary = `Changes of stack ${diff.stack} since ${options.baseName}: ${counts.add} to add, ${counts.remove} to remove, ${counts.replace} to replace, ${counts.update} to update, ${diff.unchanged} unchanged.`;
  if (diff.changes.length === 0) return `${summary}\n\nNo changes.`;
  const lines = diffTreeLines(diff).map((line) => {
    if (!line.change) return line.text;
    const color =
      line.change.danger || line.change.refused.length > 0
        ? ANSI.red
        : KIND_COLOR[line.change.kind];
    return paint(line.text, color, options.color);
  });
  const notes = warningLines(diff).map((w) => {
    if (w.refused) return paint(`REFUSED  ${w.text}`, ANSI.red, options.color);
    return w.danger ? paint(`DANGER   ${w.text}`, ANSI.red, options.color) : `warning  ${w.text}`;
  });
  const dangerLine =
    counts.danger > 0
      ? `\n${paint(`DANGER: ${counts.danger} change(s) delete or re-create a protected or stateful resource.`, ANSI.red, options.color)}`
      : "";
  const refusedLine =
    counts.refused > 0
      ? `\n${paint(`REFUSED: ${counts.refused} update(s) the cloud refuses; \`pulumi up\` would fail on them.`, ANSI.red, options.color)}`
      : "";
  return [
    `${summary}${dangerLine}${refusedLine}`,
    "",
    ...lines,
    ...(notes.length > 0 ? ["", "Warnings:", ...notes] : []),
  ].join("\n");
}

export interface WarningLine {
  readonly danger: boolean;
  /** An update the cloud refuses. */
  readonly refused: boolean;
  /** The resource and the message in one line. */
  readonly text: string;
  readonly message: string;
  readonly change: ResourceChange;
}

/** Every refused update, every danger, then every other warning, each naming its resource. */
export function warningLines(diff: PlanDiff): WarningLine[] {
  const name = (c: ResourceChange) => `${c.resource.type} ${c.resource.name}`;
  const line = (c: ResourceChange, message: string, danger: boolean, refused: boolean) => ({
    danger,
    refused,
    text: `${name(c)}: ${message}`,
    message,
    change: c,
  });
  const refused = diff.changes.flatMap((c) => c.refused.map((r) => line(c, r, false, true)));
  const dangers = diff.changes.flatMap((c) => (c.danger ? [line(c, c.danger, true, false)] : []));
  const others = diff.changes.flatMap((c) => c.warnings.map((w) => line(c, w, false, false)));
  return [...refused, ...dangers, ...others];
}
