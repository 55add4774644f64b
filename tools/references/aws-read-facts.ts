// The terraform-provider-aws facts read by hand (aws-read-facts.json) in the shape the table
// builder takes from the mechanical reader: per resource, the attribute paths whose change
// re-creates it, each saying how and in which file at which release it was read. Pure.
import type { TerraformConditional, TerraformFact, TerraformResourceFacts } from "./replace-table";

/** A rule a CustomizeDiff or ModifyPlan function applies, which the diff can evaluate. */
export interface AwsCustomRule {
  readonly path: readonly string[];
  readonly how: string;
  /** "block": only when the value appears or disappears (the table's count rule). */
  readonly kind?: "value" | "block";
}

export interface AwsReadResource {
  /** The upstream file that defines the resource. */
  readonly file: string;
  /** The functions and methods read. */
  readonly read: readonly string[];
  /** Plugin framework (RequiresReplace plan modifiers) rather than SDKv2 (ForceNew). */
  readonly framework?: boolean;
  /** Re-created when its region changes (the provider's region rule). */
  readonly regional: boolean;
  readonly forceNew: readonly (readonly string[])[];
  /** ForceNew attributes that are nested blocks: only their coming and going re-creates. */
  readonly blocks?: readonly (readonly string[])[];
  readonly requiresReplace?: readonly (readonly string[])[];
  readonly customizeDiff?: readonly AwsCustomRule[];
  /** Rules the diff cannot evaluate, and updates the provider refuses: notes for a reader. */
  readonly conditional: readonly TerraformConditional[];
}

export interface AwsReadFile {
  readonly module: string;
  readonly release: string;
  readonly regionRule: {
    readonly file: string;
    readonly frameworkFile: string;
    readonly how: string;
  };
  readonly resources: Readonly<Record<string, AwsReadResource>>;
}

/** One resource's facts, every rule citing `file@release`. */
export function awsResourceFacts(
  facts: AwsReadFile,
  name: string,
): TerraformResourceFacts | undefined {
  const read = facts.resources[name];
  if (!read) return undefined;
  const at = (file: string) => `${file}@${facts.release}`;
  const file = at(read.file);
  const blocks = new Set((read.blocks ?? []).map((b) => b.join(".")));
  const fact = (path: readonly string[], how: string, kind: "value" | "block", where = file) =>
    ({ path, how, kind, file: where, line: 0 }) satisfies TerraformFact;
  const { regionRule } = facts;
  const replace: TerraformFact[] = [
    ...read.forceNew.map((p) => fact(p, "ForceNew", blocks.has(p.join(".")) ? "block" : "value")),
    ...(read.requiresReplace ?? []).map((p) => fact(p, "RequiresReplace", "value")),
    ...(read.customizeDiff ?? []).map((r) => fact(r.path, r.how, r.kind ?? "value")),
    ...(read.regional
      ? [
          fact(
            ["region"],
            regionRule.how,
            "value",
            at(read.framework ? regionRule.frameworkFile : regionRule.file),
          ),
        ]
      : []),
  ];
  return { name, file, replace, conditional: read.conditional };
}
