// Runs `npm run dr` and `npm run plan` as people do, in a scratch copy of the project.
import { execFile } from "node:child_process";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/plan";
import { scratchProject } from "../support/scratch-project";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(tool: "dr" | "plan", args: string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TS_ROUTE, join(cwd, `tools/${tool}/cli.ts`), ...args],
      { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A scratch project the dr tool and the offline plan (with its policy pack) run in. */
export function drScratch(prefix = "multicloud-dr-"): string {
  const dir = scratchProject(prefix);
  symlinkSync(join(projectDir, "policy"), join(dir, "policy"));
  symlinkSync(join(projectDir, "bench"), join(dir, "bench"));
  return dir;
}

/** `npm run plan -- --stack <stack> --json`: the plan, or the failure's output. */
export async function planOf(dir: string, stack: string): Promise<Plan> {
  const json = join(dir, `${stack}.plan.json`);
  const result = await run("plan", ["--stack", stack, "--json", json], dir);
  if (result.code !== 0) {
    throw new Error(`plan of ${stack} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return JSON.parse(readFileSync(json, "utf8")) as Plan;
}
