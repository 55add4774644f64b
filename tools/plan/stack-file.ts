// Reads a stack file the way the Pulumi CLI hands it to a program: every key flattened to
// "namespace:key" with structured values as JSON text.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { printable } from "../../components/spec/errors";
import { parseStackFile, StackFileError } from "../../components/spec/stack-yaml";

export class PlanInputError extends Error {
  override name = "PlanInputError";
}

export interface StackConfig {
  readonly file: string;
  /** Config as the Pulumi runtime takes it: key -> string (JSON for structured values). */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (`secure:` in the file); their values are placeholders here. */
  readonly secretKeys: readonly string[];
  /** Every key as written (namespace:key) with its value as YAML gives it, before any JSON. */
  readonly values: Readonly<Record<string, unknown>>;
}

export function listStacks(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function readStackConfig(projectDir: string, project: string, stack: string): StackConfig {
  const file = `Pulumi.${stack}.yaml`;
  const path = join(projectDir, file);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !existsSync(path)) {
    const known = listStacks(projectDir);
    throw new PlanInputError(
      `unknown stack "${printable(stack)}": there is no ${printable(file)} (stacks here: ${known.join(", ") || "none"})`,
    );
  }
  let raw: Record<string, unknown>;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PlanInputError(`${file}: cannot read it (${(error as Error).message})`);
  }
  try {
    raw = parseStackFile(text, file).config;
  } catch (error) {
    if (error instanceof StackFileError) throw new PlanInputError(error.message);
    throw error;
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    values[fullKey] = value;
    if (isSecure(value)) {
      // The offline plan cannot decrypt; the program sees a placeholder, marked secret.
      config[fullKey] = "offline-placeholder";
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { file, config, secretKeys, values };
}

function isSecure(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    "secure" in value &&
    Object.keys(value).length === 1
  );
}
