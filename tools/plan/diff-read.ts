// Reads an earlier `--json` output to compare with, checking that it is a plan of this stack.
import { readFileSync } from "node:fs";
import { printable } from "../../components/spec/errors";
import type { Plan, PlannedResource } from "./plan";
import { PlanInputError } from "./stack-file";

const REQUIRED: readonly (keyof PlannedResource)[] = ["urn", "type", "name", "custom", "inputs"];

/** The plan in `file`, with option fields an older plan may lack filled with their defaults. */
export function readPlanFile(file: string, stack: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PlanInputError(
      `--diff ${printable(file)}: cannot read it (${printable((error as Error).message)})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(
      `--diff ${printable(file)}: not JSON (${printable((error as Error).message)})`,
    );
  }
  return toPlan(data, file, stack);
}

export function toPlan(data: unknown, file: string, stack: string): Plan {
  const record = data as Partial<Plan> | null;
  if (!record || typeof record !== "object" || !Array.isArray(record.resources))
    throw new PlanInputError(
      `--diff ${printable(file)}: not a plan (no "resources" list); write one with --json`,
    );
  if (record.stack !== stack)
    throw new PlanInputError(
      `--diff ${printable(file)}: it is a plan of stack "${printable(String(record.stack))}", not of "${stack}"`,
    );
  const resources = record.resources.map((value: unknown, index: number) => {
    const r = value as Partial<PlannedResource> | null;
    const missing = REQUIRED.filter((key) => r === null || typeof r !== "object" || !(key in r));
    if (!r || missing.length > 0)
      throw new PlanInputError(
        `--diff ${printable(file)}: resource ${index} lacks ${missing.join(", ")}; write the plan with --json`,
      );
    return {
      urn: String(r.urn),
      type: String(r.type),
      name: String(r.name),
      ...(r.parent ? { parent: r.parent } : {}),
      custom: r.custom === true,
      ...(r.provider ? { provider: r.provider } : {}),
      protect: r.protect === true,
      dependencies: r.dependencies ?? [],
      inputs: (r.inputs ?? {}) as Record<string, unknown>,
      ignoreChanges: r.ignoreChanges ?? [],
      retainOnDelete: r.retainOnDelete === true,
      deleteBeforeReplace: r.deleteBeforeReplace === true,
      aliases: r.aliases ?? [],
    } satisfies PlannedResource;
  });
  return {
    stack,
    project: String(record.project ?? ""),
    resources,
    outputs: (record.outputs ?? {}) as Record<string, unknown>,
  };
}
