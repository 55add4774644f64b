// The replace-on-change table generated from the providers' schemas, applied to one change:
// which changed inputs make the provider re-create the resource.
import table from "../references/replace-on-change.json";
import type { ReplaceRule, ReplaceTable } from "../references/replace-table";
import { covers, overlaps, type PathSegment, parsePath, valueAt } from "./diff-paths";

const TABLE = table as unknown as ReplaceTable;

/** The rules of a type, undefined when the table has none (the caller falls back). */
export function tableRules(type: string): readonly ReplaceRule[] | undefined {
  return TABLE.types[type]?.rules;
}

function size(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "object") return 1;
  return undefined;
}

function ipv4Range(cidr: unknown): [number, number] | undefined {
  const match = typeof cidr === "string" ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr) : null;
  if (!match) return undefined;
  const [a, b, c, d, bits] = match.slice(1).map(Number) as [number, number, number, number, number];
  const start = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const span = 2 ** (32 - bits);
  const first = start - (start % span);
  return [first, first + span - 1];
}

/** True when the rule's condition holds for this change of its input. */
function applies(rule: ReplaceRule, path: readonly PathSegment[], before: unknown, after: unknown) {
  const rulePath = parsePath(rule.input);
  switch (rule.kind) {
    case "value":
      return true;
    case "count": {
      // Blocks added or removed: the change is at the block itself and its element count
      // moves; a change of a whole list above it brings or drops such blocks too.
      if (path.length < rulePath.length) return true;
      if (!covers(rulePath, path)) return false;
      return size(valueAt(before, path)) !== size(valueAt(after, path));
    }
    case "shrink": {
      const [b, a] = [valueAt(before, path), valueAt(after, path)];
      return typeof b === "number" && typeof a === "number" && a < b;
    }
    case "cidr-narrow": {
      const [b, a] = [ipv4Range(valueAt(before, path)), ipv4Range(valueAt(after, path))];
      return !b || !a || !(a[0] <= b[0] && b[1] <= a[1]);
    }
    case "enabled":
      return valueAt(before, path) !== true && valueAt(after, path) === true;
  }
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  count: "added or removed",
  shrink: "smaller",
  "cidr-narrow": "not a widening of the range",
  enabled: "turned on",
};

/**
 * The changed inputs that re-create the resource by the table, each with its upstream reason,
 * or undefined when the table does not know the type.
 */
export function tableReplacing(
  type: string,
  changed: readonly (readonly PathSegment[])[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  providerInputs: Record<string, unknown>,
): { input: string; reason: string }[] | undefined {
  const entry = TABLE.types[type];
  if (!entry) return undefined;
  const found = new Map<string, string>();
  for (const rule of entry.rules) {
    if (rule.unlessProvider && String(providerInputs[rule.unlessProvider]) === "true") continue;
    const rulePath = parsePath(rule.input);
    for (const path of changed) {
      if (!overlaps(rulePath, path)) continue;
      // A change below the rule's input is judged at the rule's depth.
      const at = path.length > rulePath.length ? path.slice(0, rulePath.length) : path;
      if (!applies(rule, at, before, after)) continue;
      const words = KIND_WORDS[rule.kind];
      const shown = rule.input.replace(/\[\*\]/g, "[]");
      const reason = `${entry.upstream}.${rule.attribute}: ${rule.how}${words ? `, ${words}` : ""}`;
      if (!found.has(shown)) found.set(shown, reason);
    }
  }
  return [...found].map(([input, reason]) => ({ input, reason }));
}
