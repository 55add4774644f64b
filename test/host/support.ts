// Shared by the host-layer tests: the three stacks' specs, their artifacts, and small functions for
// running the real programs (unbound, nginx, cloud-init, shellcheck) on what the renderers produce.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { type RoleArtifacts, renderRegionHosts, siteFacts } from "../../components/host";
import type { Role } from "../../components/spec/hosts";
import { parseRegionSpec, stackFileName } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { TEST_CHOCON_SHA256 } from "../support/chocon-release";

export const STACKS = ["jp", "us", "uk"] as const;
export type Stack = (typeof STACKS)[number];

const ROOT = join(__dirname, "..", "..");

export function loadStack(stack: Stack): RegionSpec {
  const file = stackFileName(stack);
  const raw = parse(readFileSync(join(ROOT, file), "utf8")) as {
    config: Record<string, unknown>;
  };
  return parseRegionSpec(raw.config["multicloud:region"], file);
}

export interface StackArtifacts {
  readonly stack: Stack;
  readonly spec: RegionSpec;
  readonly roles: readonly [Role, RoleArtifacts][];
}

/** Every role's artifacts of every stack. */
export function allArtifacts(): StackArtifacts[] {
  return STACKS.map((stack) => {
    const spec = loadStack(stack);
    // As the program renders them: with a chocon build pinned.
    const rendered = renderRegionHosts(spec, {
      ...siteFacts(spec),
      chocon: { version: "0.12.6", sha256: TEST_CHOCON_SHA256 },
    });
    const roles = Object.entries(rendered).flatMap(([role, artifacts]) =>
      artifacts ? [[role as Role, artifacts] as [Role, RoleArtifacts]] : [],
    );
    return { stack, spec, roles };
  });
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `host-${prefix}-`));
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

export function run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): RunResult {
  const result = spawnSync(command, args, { encoding: "utf8", env: env ?? process.env });
  if (result.error) throw new Error(`${command}: ${result.error.message} (is it installed?)`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Like run, without blocking: lets a test keep both cores busy. */
export function runAsync(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { encoding: "utf8", env: env ?? process.env },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`${command}: ${error.message} (is it installed?)`));
          return;
        }
        resolve({ status: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** shellcheck's findings for one script given on stdin (empty when clean). */
export function shellcheckScript(script: string): string {
  const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], {
    input: script,
    encoding: "utf8",
  });
  if (result.error) throw new Error(`shellcheck: ${result.error.message} (is it installed?)`);
  return result.status === 0 ? "" : `${result.stdout}${result.stderr}`;
}
