// Reads a stack file the way the Pulumi CLI hands it to a program: every key flattened to
// "namespace:key" with structured values as JSON text.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export class PlanInputError extends Error {
  override name = "PlanInputError";
}

export interface StackConfig {
  readonly file: string;
  /** Config as the Pulumi runtime takes it: key -> string (JSON for structured values). */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (`secure:` in the file); their values are placeholders here. */
  readonly secretKeys: readonly string[];
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
      `unknown stack "${stack}": there is no ${file} (stacks here: ${known.join(", ") || "none"})`,
    );
  }
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PlanInputError(`${file}: not valid YAML: ${detail}`);
  }
  const raw = (document as { config?: unknown } | null)?.config ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new PlanInputError(`${file}: config is not a mapping of keys to values`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    if (isSecure(value)) {
      // The offline plan cannot decrypt; the program sees a placeholder, marked secret.
      config[fullKey] = "offline-placeholder";
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { file, config, secretKeys };
}

function isSecure(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    "secure" in value &&
    Object.keys(value).length === 1
  );
}
