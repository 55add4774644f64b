// Applies the limits tables to a plan: every value the clouds' APIs would refuse, named by
// resource, input and limit, with the limit's source. Pure.
import type { Plan, PlannedResource } from "../plan";
import { limitValues, type Selected } from "./select";
import type { Limit, LimitRule, LimitSource, LimitViolation } from "./types";

function appliesTo(limit: Limit, type: string): boolean {
  if (limit.exceptTypes && Object.hasOwn(limit.exceptTypes, type)) return false;
  return limit.resourceTypes.some((pattern) =>
    pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern,
  );
}

function excerpt(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `"${text.slice(0, 57)}..."` : JSON.stringify(text);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What is wrong with one value, or undefined when the rule holds. */
export function ruleProblem(rule: LimitRule, value: unknown): string | undefined {
  switch (rule.kind) {
    case "bytes": {
      if (typeof value !== "string") return undefined;
      const size =
        rule.encoding === "base64"
          ? Buffer.from(value, "base64").length
          : Buffer.byteLength(value, "utf8");
      return size > rule.max ? `${size} bytes, more than ${rule.max}` : undefined;
    }
    case "length": {
      if (typeof value !== "string") return undefined;
      const length = [...value].length;
      if (length > rule.max)
        return `${excerpt(value)} has ${length} characters, more than ${rule.max}`;
      if (rule.min !== undefined && length < rule.min)
        return `${excerpt(value)} has ${length} characters, fewer than ${rule.min}`;
      return undefined;
    }
    case "pattern":
      if (typeof value !== "string") return undefined;
      return new RegExp(`^(?:${rule.pattern})$`, "u").test(value)
        ? undefined
        : `${excerpt(value)} does not match ${rule.pattern}`;
    case "prefix":
      if (typeof value !== "string") return undefined;
      return value.startsWith(rule.prefix)
        ? undefined
        : `${excerpt(value)} does not start with "${rule.prefix}"`;
    case "reservedPrefix":
      if (typeof value !== "string") return undefined;
      return value.toLowerCase().startsWith(rule.prefix.toLowerCase())
        ? `${excerpt(value)} starts with the reserved "${rule.prefix}"`
        : undefined;
    case "oneOf":
      if (typeof value !== "string") return undefined;
      return rule.values.includes(value)
        ? undefined
        : `${excerpt(value)} is not a value the API knows`;
    case "range": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof number !== "number" || Number.isNaN(number)) return undefined;
      if (rule.max !== undefined && number > rule.max) return `${number} is more than ${rule.max}`;
      if (rule.min !== undefined && number < rule.min) return `${number} is less than ${rule.min}`;
      return undefined;
    }
    case "multipleOf": {
      const suffix = rule.suffix ?? "";
      let number: number;
      if (typeof value === "number") number = value;
      else if (typeof value === "string") {
        const digits = value.endsWith(suffix) ? value.slice(0, value.length - suffix.length) : "";
        if (!/^\d+$/.test(digits))
          return `${excerpt(value)} is not a whole number${suffix ? ` followed by "${suffix}"` : ""}`;
        number = Number(digits);
      } else return undefined;
      const allowed =
        (rule.alsoAllowed ?? []).includes(number) ||
        (Number.isInteger(number) && number % rule.of === 0);
      return allowed
        ? undefined
        : `${number} is not a multiple of ${rule.of}${rule.alsoAllowed?.length ? ` nor one of ${rule.alsoAllowed.join(", ")}` : ""}`;
    }
    case "maxItems": {
      const count = Array.isArray(value)
        ? value.length
        : value !== null && typeof value === "object"
          ? Object.keys(value).length
          : undefined;
      return count !== undefined && count > rule.max
        ? `${plural(count, "item")}, more than ${rule.max}`
        : undefined;
    }
    case "mapBytes": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      const size = Object.entries(value).reduce(
        (sum, [key, item]) =>
          sum +
          Buffer.byteLength(key) +
          Buffer.byteLength(typeof item === "string" ? item : JSON.stringify(item)),
        0,
      );
      return size > rule.max
        ? `${size} bytes of keys and values, more than ${rule.max}`
        : undefined;
    }
    case "perValue":
      return undefined;
  }
}

/** Where a limit is written down, in one line. */
export function describeSource(source: LimitSource): string {
  switch (source.kind) {
    case "botocore":
      return `botocore ${source.service} shape ${source.shape}`;
    case "botocore-text":
      return `botocore ${source.service} ${source.member}: "${source.text}"`;
    case "discovery":
      return `${source.document} discovery ${source.fields[0]}${source.fields.length > 1 ? ` (and ${source.fields.length - 1} more)` : ""}`;
    case "discovery-text":
      return `${source.document} discovery ${source.field}: "${source.text}"`;
    case "doc":
      return `${source.url}: "${source.text}"`;
  }
}

function violation(
  limit: Limit,
  resource: PlannedResource,
  selected: Selected,
  problem: string,
): LimitViolation {
  return {
    limit,
    urn: resource.urn,
    name: resource.name,
    type: resource.type,
    input: selected.at,
    problem,
  };
}

/** How many values of the plan each limit checks (by limit id): a limit that checks none is idle. */
export function checkedValues(plan: Plan, limits: readonly Limit[]): Map<string, number> {
  const providers = new Map(
    plan.resources
      .filter((r) => r.type.startsWith("pulumi:providers:"))
      .map((r): [string, PlannedResource] => [r.urn, r]),
  );
  const counts = new Map<string, number>();
  for (const limit of limits) {
    const resources = plan.resources.filter((r) => r.custom && appliesTo(limit, r.type));
    const values = resources.flatMap((r) => limitValues(limit, r, providers));
    counts.set(limit.id, (counts.get(limit.id) ?? 0) + values.length);
  }
  return counts;
}

/** Every value of the plan that breaks a limit of the tables. */
export function checkLimits(plan: Plan, tables: readonly (readonly Limit[])[]): LimitViolation[] {
  const providers = new Map(
    plan.resources
      .filter((r) => r.type.startsWith("pulumi:providers:"))
      .map((r): [string, PlannedResource] => [r.urn, r]),
  );
  const found: LimitViolation[] = [];
  for (const limit of tables.flat()) {
    const resources = plan.resources.filter((r) => r.custom && appliesTo(limit, r.type));
    if (limit.rule.kind === "perValue") {
      const groups = new Map<string, { resource: PlannedResource; selected: Selected }[]>();
      for (const resource of resources)
        for (const selected of limitValues(limit, resource, providers)) {
          const key = JSON.stringify(selected.value);
          groups.set(key, [...(groups.get(key) ?? []), { resource, selected }]);
        }
      for (const [key, members] of groups) {
        const first = members[0];
        if (first && members.length > limit.rule.max)
          found.push(
            violation(
              limit,
              first.resource,
              first.selected,
              `${members.length} resources share ${first.selected.at} = ${key}, more than ${limit.rule.max}`,
            ),
          );
      }
      continue;
    }
    for (const resource of resources)
      for (const selected of limitValues(limit, resource, providers)) {
        const problem = ruleProblem(limit.rule, selected.value);
        if (problem) found.push(violation(limit, resource, selected, problem));
      }
  }
  return found;
}

/** The check's report: one line per violation, naming resource, input, limit and source. */
export function formatLimitViolations(
  violations: readonly LimitViolation[],
  checked: number,
): string {
  if (violations.length === 0) return `Limits: ${checked} cloud limits, no violations.`;
  const lines = violations.map(
    (v) =>
      `  ${v.name} (${v.type}) ${v.input}: ${v.problem}; limit ${v.limit.id}: ${v.limit.what} [${describeSource(v.limit.source)}]`,
  );
  return [`Limits: ${violations.length} value(s) the clouds' APIs would refuse:`, ...lines].join(
    "\n",
  );
}
