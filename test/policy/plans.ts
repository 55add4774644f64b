// The plans of the three stacks, made once by the plan CLI (with known secret values, see
// known-secrets-cli.ts) and shared by the policy tests through a directory under node_modules/.cache
// keyed by the content of everything that shapes a plan, so a second test file, and a later run of
// unchanged sources, reuses them. (Not the temporary directory: each test run has its own.)
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { parse, stringify } from "yaml";
import type { Plan } from "../../tools/plan/plan";
import { projectDir, type StackName, stacks } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";
import { KNOWN_KEY_CONFIG } from "./known-secrets";

export interface StackRun {
  readonly stack: StackName;
  readonly plan: Plan;
  /** The CLI's --out directory: plan.json, plan.txt, hosts/<role>/..., secret-flow.json. */
  readonly outDir: string;
  /** Known value -> resources whose inputs held it before masking. */
  readonly flow: Readonly<Record<string, readonly string[]>>;
}

const RUNNER = join(__dirname, "known-secrets-cli.ts");
const PLAN_TIMEOUT_MS = 120_000;
const PLANS_ROOT = join(projectDir, "node_modules", ".cache");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** A digest of every file a plan depends on. */
function sourceKey(): string {
  const hash = createHash("sha256");
  const top = readdirSync(projectDir).filter(
    (file) => /^Pulumi.*\.yaml$/.test(file) || ["index.ts", "package-lock.json"].includes(file),
  );
  const files = [
    ...top.map((file) => join(projectDir, file)),
    ...filesUnder(join(projectDir, "components")),
    ...filesUnder(join(projectDir, "tools", "plan")),
    ...["known-secrets.ts", "known-secrets-cli.ts", "plans.ts"].map((file) =>
      join(__dirname, file),
    ),
  ].sort();
  for (const file of files) {
    hash.update(relative(projectDir, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * A project directory for the CLI: the project's own files (index.ts, node_modules and tsconfig
 * linked, so modules load from the project) with the given stack files.
 */
export function projectCopy(dir: string, stackFiles: Readonly<Record<string, string>>): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(projectDir, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  for (const file of ["index.ts", "node_modules", "tsconfig.json"]) {
    if (!existsSync(join(dir, file))) symlinkSync(join(projectDir, file), join(dir, file));
  }
  for (const [file, content] of Object.entries(stackFiles)) writeFileSync(join(dir, file), content);
  return dir;
}

/**
 * The stack file with the deploy key set as a real stack holds it, encrypted; the runner
 * (known-secrets-cli.ts) gives the program the known key in its place.
 */
function stackFileWithKnownKey(stack: StackName): string {
  const document = parse(readFileSync(join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  document.config[KNOWN_KEY_CONFIG] = { secure: "v1:known-deploy-key" };
  return stringify(document);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the plan CLI (with known secrets) in a project directory. */
export function runPlanCli(project: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_ROUTE, RUNNER, ...args], {
      cwd: project,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: PLAN_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function build(dir: string): Promise<void> {
  const project = projectCopy(
    join(dir, "project"),
    Object.fromEntries(
      stacks.map((stack) => [`Pulumi.${stack}.yaml`, stackFileWithKnownKey(stack)]),
    ),
  );
  const results = await Promise.all(
    stacks.map((stack) => runPlanCli(project, ["--stack", stack, "--out", join(dir, stack)])),
  );
  results.forEach((result, index) => {
    if (result.code !== 0)
      throw new Error(`plan of ${stacks[index]} failed (${result.code}):\n${result.stderr}`);
  });
  writeFileSync(join(dir, "done"), "");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a lock is left by a process that is gone (or is unreadable for too long). */
function abandoned(lock: string): boolean {
  const age = () => {
    try {
      return Date.now() - statSync(lock).mtimeMs;
    } catch {
      return 0;
    }
  };
  try {
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? !alive(pid) : age() > 10_000;
  } catch {
    return age() > 10_000;
  }
}

/** Builds the plans unless another process has, or is building them; then waits for them. */
async function ensureBuilt(dir: string): Promise<void> {
  const lock = `${dir}.lock`;
  const started = Date.now();
  while (!existsSync(join(dir, "done"))) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
    } catch {
      // Another test process builds them.
      if (abandoned(lock)) rmSync(lock, { force: true, recursive: true });
      if (Date.now() - started > 2 * PLAN_TIMEOUT_MS)
        throw new Error(`timed out waiting for ${lock}`);
      await sleep(200);
      continue;
    }
    try {
      if (!existsSync(join(dir, "done"))) {
        rmSync(dir, { force: true, recursive: true });
        await build(dir);
      }
    } finally {
      rmSync(lock, { force: true, recursive: true });
    }
  }
}

/** Plan directories of earlier sources, older than an hour, are removed. */
function removeStale(keep: string): void {
  for (const entry of readdirSync(PLANS_ROOT)) {
    const path = join(PLANS_ROOT, entry);
    if (
      !entry.startsWith("multicloud-policy-plans-") ||
      path === keep ||
      path.startsWith(`${keep}.`)
    )
      continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000)
        rmSync(path, { force: true, recursive: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
}

let runs: Promise<Record<StackName, StackRun>> | undefined;

/** The three stacks' plans, built on first use. */
export function stackRuns(): Promise<Record<StackName, StackRun>> {
  runs ??= (async () => {
    mkdirSync(PLANS_ROOT, { recursive: true });
    const dir = join(PLANS_ROOT, `multicloud-policy-plans-${sourceKey()}`);
    removeStale(dir);
    await ensureBuilt(dir);
    const entries = stacks.map((stack): [StackName, StackRun] => {
      const outDir = join(dir, stack);
      const plan = JSON.parse(readFileSync(join(outDir, "plan.json"), "utf8")) as Plan;
      const { flow } = JSON.parse(readFileSync(join(outDir, "secret-flow.json"), "utf8")) as {
        flow: Record<string, string[]>;
      };
      return [stack, { stack, plan, outDir, flow }];
    });
    return Object.fromEntries(entries) as Record<StackName, StackRun>;
  })();
  return runs;
}
