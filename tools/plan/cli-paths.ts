// Where `--json` and `--out` write, checked before the program runs: a path that cannot be
// written is one line naming the option, not an internal error after the whole plan.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { printable } from "../../components/spec/errors";
import { PlanInputError } from "./stack-file";

/** What is at a path: a directory, something else, or nothing. */
function kind(path: string): "directory" | "file" | "none" {
  try {
    return statSync(path).isDirectory() ? "directory" : "file";
  } catch {
    return "none";
  }
}

/** The nearest existing ancestor of a path that is to be made must be a directory. */
function checkAncestors(option: string, path: string): void {
  let dir = dirname(resolve(path));
  while (kind(dir) === "none" && dirname(dir) !== dir) dir = dirname(dir);
  if (kind(dir) === "file") {
    throw new PlanInputError(
      `${option} ${printable(path)}: ${printable(dir)} is a file: expected a directory there`,
    );
  }
}

export function checkOutputPaths(args: { readonly json?: string; readonly out?: string }): void {
  if (args.json !== undefined) {
    if (kind(args.json) === "directory") {
      throw new PlanInputError(
        `--json ${printable(args.json)}: is a directory: expected the path of the JSON file to write`,
      );
    }
    checkAncestors("--json", args.json);
  }
  if (args.out !== undefined) {
    if (kind(args.out) === "file") {
      throw new PlanInputError(
        `--out ${printable(args.out)}: is a file: expected a directory to write into (made when missing)`,
      );
    }
    checkAncestors("--out", args.out);
  }
}

/**
 * Makes a directory and its missing parents one at a time, so that a refusal is an error: Node's
 * recursive mkdir retries for ever where the system answers ENOENT under a directory that exists
 * (under /proc, for one).
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (kind(at) === "none" && dirname(at) !== at) {
    missing.unshift(at);
    at = dirname(at);
  }
  for (const path of missing) mkdirSync(path);
}
