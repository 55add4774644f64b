// The project directory and the files `npm run dr` reads: the lost stack's file, a saved
// drBackups output, a saved RDS restore window. Every problem is one DrInputError line.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError, printable } from "../../components/spec/errors";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { parseStackFile, StackFileError } from "../../components/spec/stack-yaml";
import { DrInputError } from "./errors";

/** The nearest directory at or above `start` that holds Pulumi.yaml. */
export function findProjectDir(start: string): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    const up = dirname(dir);
    if (up === dir) {
      throw new DrInputError(
        `no Pulumi.yaml in ${start} or above: run this in the project directory`,
      );
    }
    dir = up;
  }
  return dir;
}

export function stacksIn(dir: string): string[] {
  return readdirSync(dir)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The `config` mapping of the lost stack's file. */
export function readLostConfig(dir: string, stack: string): Record<string, unknown> {
  const file = `Pulumi.${stack}.yaml`;
  const path = join(dir, file);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !existsSync(path)) {
    throw new DrInputError(
      `unknown stack "${printable(stack)}": there is no ${printable(file)} (stacks here: ${stacksIn(dir).join(", ") || "none"})`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new DrInputError(`${file}: cannot read it (${(error as Error).message})`);
  }
  try {
    return parseStackFile(text, file).config;
  } catch (error) {
    if (error instanceof StackFileError) throw new DrInputError(error.message);
    throw error;
  }
}

/** The lost stack's region, validated. */
export function readLostSpec(dir: string, stack: string): RegionSpec {
  const file = `Pulumi.${stack}.yaml`;
  try {
    return parseRegionSpec(readLostConfig(dir, stack)[REGION_CONFIG_KEY], file);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new DrInputError(error.message.split("\n")[0] ?? error.message);
    }
    throw error;
  }
}

/** A JSON file given with `option`, which `expected` describes. */
export function readJson(path: string, option: string, expected: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new DrInputError(`${option} ${path}: cannot be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DrInputError(`${option} ${path}: not JSON (expected ${expected})`);
  }
}
