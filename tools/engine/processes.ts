// Runs the Pulumi CLI and the operation driver (operation.ts) as child processes of the test, without
// blocking it: the loopback Sakura API the dynamic providers call lives in the test's process.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineRunResult } from "./run-result";
import type { EngineWorkspace } from "./workspace";

export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let sequence = 0;

function logPath(workspace: EngineWorkspace, label: string): string {
  const dir = join(workspace.root, "logs");
  mkdirSync(dir, { recursive: true });
  sequence++;
  return join(
    dir,
    `${String(sequence).padStart(2, "0")}-${label.replace(/[^a-z0-9-]+/gi, "-")}.log`,
  );
}

function run(
  workspace: EngineWorkspace,
  command: string,
  args: readonly string[],
  label: string,
): Promise<Finished> {
  const log = logPath(workspace, label);
  appendFileSync(log, `$ ${command} ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: workspace.projectDir,
      env: workspace.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      appendFileSync(log, chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      appendFileSync(log, chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `pulumi <args>` in the project copy. */
export function pulumi(workspace: EngineWorkspace, args: readonly string[]): Promise<Finished> {
  return run(workspace, "pulumi", args, `pulumi-${args.slice(0, 2).join("-")}`);
}

/** `pulumi <args>` that must succeed; its stdout. */
export async function pulumiOk(
  workspace: EngineWorkspace,
  args: readonly string[],
): Promise<string> {
  const done = await pulumi(workspace, args);
  if (done.code !== 0)
    throw new Error(
      `pulumi ${args.join(" ")} failed (${done.code}):\n${tail(done.stderr || done.stdout)}`,
    );
  return done.stdout;
}

export interface OperationOptions {
  readonly expectNoChanges?: boolean;
  readonly policyPack?: string;
}

/** `pulumi preview` or `pulumi up` of the project, run as a user runs it; what the engine reported. */
export async function engineOperation(
  workspace: EngineWorkspace,
  repoDir: string,
  operation: "preview" | "up",
  stack: string,
  options: OperationOptions = {},
): Promise<EngineRunResult & { output: string }> {
  const result = join(workspace.root, `result-${++sequence}.json`);
  const args = [
    // The program runs by the route Pulumi.yaml's nodeargs name.
    "--require",
    join(repoDir, "tools", "ts-loader.cjs"),
    join(repoDir, "tools", "engine", "operation.ts"),
    operation,
    "--stack",
    stack,
    "--dir",
    workspace.projectDir,
    "--result",
    result,
    ...(options.expectNoChanges ? ["--expect-no-changes"] : []),
    ...(options.policyPack ? ["--policy-pack", options.policyPack] : []),
  ];
  const done = await run(workspace, process.execPath, args, `${operation}-${stack}`);
  let parsed: EngineRunResult;
  try {
    parsed = JSON.parse(readFileSync(result, "utf8")) as EngineRunResult;
  } catch {
    throw new Error(
      `${operation} ${stack} left no result (${done.code}):\n${tail(done.stderr || done.stdout)}`,
    );
  }
  return { ...parsed, output: done.stdout };
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
