// Turns the facts read from the providers' sources (Terraform attribute paths, Kubernetes field
// paths) into the table the plan diff uses: per Pulumi type, the input paths whose change makes
// the provider re-create the resource, each with where the fact was read. Pure: facts and the
// SDK's declared inputs in, the table out.
import { mapPath, type SdkInputs } from "./sdk-inputs";

/** How a rule matches a change of its input. */
export type RuleKind =
  /** any change at or under the path */
  | "value"
  /** blocks added or removed (a list's length, an object's presence): the SDK's count rule */
  | "count"
  /** only when the number gets smaller */
  | "shrink"
  /** only when the new CIDR range does not contain the old one */
  | "cidr-narrow"
  /** only when it turns from unset or false to true */
  | "enabled";

export interface ReplaceRule {
  readonly input: string;
  readonly kind: RuleKind;
  /** The upstream attribute or field path. */
  readonly attribute: string;
  /** ForceNew, a plan modifier's name, the CustomizeDiff function, or the provider's table. */
  readonly how: string;
  /** file:line in the upstream source. */
  readonly at: string;
  /** The rule does not apply when the resource's provider sets this input to true. */
  readonly unlessProvider?: string;
}

export interface TypeEntry {
  readonly source: string;
  readonly upstream: string;
  readonly rules: readonly ReplaceRule[];
  /** Conditional rules the diff does not evaluate, for a reader. */
  readonly notes: readonly string[];
  /** Upstream attributes that force replacement but are no input of the installed SDK. */
  readonly unmapped: readonly string[];
}

export interface ReplaceTable {
  readonly about: string;
  readonly sources: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly types: Readonly<Record<string, TypeEntry>>;
}

// ---- the facts, as the reader (schema-facts) and the hand-read file give them ---------------

export interface TerraformFact {
  readonly path: readonly string[];
  readonly how: string;
  readonly kind: "value" | "block";
  readonly file: string;
  readonly line: number;
}

export interface TerraformConditional {
  readonly attribute: string;
  readonly how: string;
  readonly condition?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface TerraformResourceFacts {
  readonly name: string;
  readonly file: string;
  readonly replace: readonly TerraformFact[];
  readonly conditional: readonly TerraformConditional[];
}

export interface KubernetesFacts {
  readonly metadata: readonly string[];
  readonly kinds: readonly {
    kind: string;
    properties: readonly string[];
    file: string;
    line: number;
  }[];
  readonly branches: readonly {
    condition: string;
    properties: readonly string[];
    file: string;
    line: number;
  }[];
}

/** CustomizeDiff conditions whose meaning the diff can evaluate, by the function's name. */
const KNOWN_CONDITIONS: Readonly<Record<string, RuleKind>> = {
  IsDiskShrinkage: "shrink",
  IsShrinkageIpCidr: "cidr-narrow",
  isBeenEnabled: "enabled",
};

export function terraformEntry(
  sdk: SdkInputs,
  token: string,
  source: string,
  facts: TerraformResourceFacts,
  /** Top-level attributes the bridge names otherwise (alarm_name -> name), as its mapping says. */
  renamed: Readonly<Record<string, string>> = {},
): TypeEntry {
  const rules: ReplaceRule[] = [];
  const unmapped: string[] = [];
  const notes: string[] = [];
  for (const fact of facts.replace) {
    const [first = "", ...rest] = fact.path;
    const sdkPath = Object.hasOwn(renamed, first) ? [renamed[first] ?? first, ...rest] : fact.path;
    const mapped = mapPath(sdk, token, sdkPath);
    const attribute = fact.path.join(".");
    if (!mapped) {
      unmapped.push(attribute);
      continue;
    }
    // A ForceNew block re-creates only when blocks come or go; its own fields carry their own.
    const kind: RuleKind = fact.kind === "block" ? "count" : "value";
    rules.push({
      input: mapped.input,
      kind,
      attribute,
      how: fact.how,
      // Facts read by hand carry no line (0): the file and release say where.
      at: fact.line ? `${fact.file}:${fact.line}` : fact.file,
    });
  }
  for (const c of facts.conditional) {
    const kind = c.condition ? KNOWN_CONDITIONS[c.condition] : undefined;
    const mapped = kind ? mapPath(sdk, token, c.attribute.split(".")) : undefined;
    const at = c.file ? `${c.file}:${c.line ?? 0}` : facts.file;
    if (kind && mapped) {
      rules.push({
        input: mapped.input,
        kind,
        attribute: c.attribute,
        how: `${c.how}(${c.condition})`,
        at,
      });
    } else {
      // The note names the input the program writes, where the SDK declares one.
      const input = mapPath(sdk, token, c.attribute.split("."))?.input;
      const named = input && input !== c.attribute ? `${input} (${c.attribute})` : c.attribute;
      notes.push(`${named}: ${c.how}${c.condition ? ` (${c.condition})` : ""} at ${at}`);
    }
  }
  return { source, upstream: facts.name, rules: sortRules(rules), notes, unmapped };
}

/** `.spec.selector` -> `spec.selector`; a covered path (`spec.selector.matchLabels`) is dropped. */
function fieldRules(properties: readonly string[], how: string, at: string): ReplaceRule[] {
  const paths = [...new Set(properties.map((p) => p.replace(/^\./, "")))].sort();
  const kept = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}.`)));
  return kept.map((input) => ({ input, kind: "value", attribute: `.${input}`, how, at }));
}

export function kubernetesEntry(facts: KubernetesFacts, kind: string, patch: boolean): TypeEntry {
  const metadataAt = facts.kinds[0]?.file ?? "pkg/provider/diff.go";
  const rules = fieldRules(facts.metadata, "metadata", metadataAt);
  const notes: string[] = [];
  if (!patch) {
    const own = facts.kinds.find((k) => k.kind === kind);
    if (own) rules.push(...fieldRules(own.properties, "forceNew table", `${own.file}:${own.line}`));
    const name = kind.split("/").pop() ?? "";
    for (const branch of facts.branches) {
      if (!branch.condition.includes(`Is${name}(`)) continue;
      const flag = /k\.(enable\w+Mutable)/.exec(branch.condition)?.[1];
      const at = `${branch.file}:${branch.line}`;
      for (const rule of fieldRules(branch.properties, branch.condition, at))
        rules.push(flag ? { ...rule, unlessProvider: flag } : rule);
      notes.push(`${branch.properties.join(", ")}: when ${branch.condition} (${at})`);
    }
  }
  return { source: "kubernetes", upstream: kind, rules: sortRules(rules), notes, unmapped: [] };
}

/** `replaceOnChanges: ["triggers[*]"]` as the SDK's constructor declares it. */
export function sdkEntry(token: string, constructorSource: string, file: string): TypeEntry {
  const match = /replaceOnChanges:\s*(\[(?:"[^"]*"\s*,?\s*)*\])/.exec(constructorSource);
  const inputs = match ? (JSON.parse(match[1] ?? "[]") as string[]) : [];
  const rules = inputs.map((input) => ({
    input,
    kind: "value" as const,
    attribute: input,
    how: "replaceOnChanges",
    at: file,
  }));
  return { source: "command", upstream: token, rules: sortRules(rules), notes: [], unmapped: [] };
}

function sortRules(rules: ReplaceRule[]): ReplaceRule[] {
  return rules.sort((a, b) => a.input.localeCompare(b.input) || a.kind.localeCompare(b.kind));
}
