// Offline plans for `npm run dr`, made in a scratch copy of the project (code linked, stack files
// copied), so that a rehearsal or a retirement writes nothing here and asks no cloud.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../plan/plan";
import { stacksIn } from "./project";

const LINKED = [
  "components",
  "tools",
  "bench",
  "policy",
  "node_modules",
  "package.json",
  "tsconfig.json",
  "Pulumi.yaml",
];

/** Runs `work` in a scratch copy of the project at `dir`, removed afterwards. */
export async function withScratchCopy<T>(
  dir: string,
  work: (scratch: string) => Promise<T>,
): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), "multicloud-dr-"));
  try {
    for (const entry of LINKED) symlinkSync(join(dir, entry), join(scratch, entry));
    // The program reads the stack files beside its own file: a copy, not a link.
    copyFileSync(join(dir, "index.ts"), join(scratch, "index.ts"));
    for (const stack of stacksIn(dir)) {
      copyFileSync(join(dir, `Pulumi.${stack}.yaml`), join(scratch, `Pulumi.${stack}.yaml`));
    }
    return await work(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `npm run plan -- --stack <stack> --json` in the scratch copy: the plan, or what went wrong. */
export function planIn(scratch: string, stack: string): Promise<{ plan?: Plan; problem?: string }> {
  const json = join(scratch, `${stack}.plan.json`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        // The route `npm run plan` and Pulumi.yaml take.
        "--require",
        join(scratch, "tools", "ts-loader.cjs"),
        join(scratch, "tools", "plan", "cli.ts"),
        "--stack",
        stack,
        "--json",
        json,
      ],
      {
        cwd: scratch,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
        maxBuffer: 64 << 20,
      },
      (error, _stdout, stderr) => {
        if (error)
          resolve({ problem: `npm run plan -- --stack ${stack} failed:\n${stderr.trim()}` });
        else resolve({ plan: JSON.parse(readFileSync(json, "utf8")) as Plan });
      },
    );
  });
}
