// Reading the GitHub workflows for tests: parsed YAML, every `run:` block with its shell, and
// shellcheck run on those blocks the way actionlint does it.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { projectDir } from "../support/stacks";

export const workflowDir = join(projectDir, ".github", "workflows");

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly "working-directory"?: string;
}

export interface Job {
  readonly name?: string;
  readonly "runs-on"?: string | string[];
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly secrets?: string | Record<string, unknown>;
  readonly outputs?: Record<string, string>;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly environment?: string | { name: string };
  readonly strategy?: {
    "max-parallel"?: number;
    "fail-fast"?: boolean;
    matrix?: Record<string, unknown>;
  };
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly defaults?: { run?: { shell?: string } };
  readonly env?: Record<string, unknown>;
  /** Absent on a job that calls a reusable workflow (`uses:`). */
  readonly steps?: Step[];
}

export interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly defaults?: { run?: { shell?: string } };
  readonly jobs: Record<string, Job>;
}

/** The repository's own composite actions, used by the workflows as `./.github/actions/<name>`. */
export const actionsDir = join(projectDir, ".github", "actions");

export interface CompositeAction {
  readonly name: string;
  readonly inputs?: Record<string, { required?: boolean; default?: string }>;
  readonly runs: { using: string; steps: Step[] };
}

export function compositeActions(): string[] {
  return readdirSync(actionsDir).sort();
}

export function readCompositeAction(name: string): { text: string; action: CompositeAction } {
  const text = readFileSync(join(actionsDir, name, "action.yml"), "utf8");
  return { text, action: parse(text) as CompositeAction };
}

/** Every `run:` block of a composite action (each step names its shell). */
export function actionRunBlocks(name: string, action: CompositeAction): RunBlock[] {
  return action.runs.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => typeof step.run === "string")
    .map(({ step, index }) => ({
      where: `.github/actions/${name} runs.steps[${index}]${step.name ? ` (${step.name})` : ""}`,
      shell: step.shell ?? "bash",
      script: step.run ?? "",
    }));
}

export function workflowFiles(): string[] {
  return readdirSync(workflowDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function readWorkflow(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(workflowDir, file), "utf8");
  return { text, workflow: parse(text) as Workflow };
}

export interface RunBlock {
  readonly where: string;
  readonly shell: string;
  readonly script: string;
}

/** Every `run:` block, with the shell that runs it (step, job default, workflow default, bash). */
export function runBlocks(file: string, workflow: Workflow): RunBlock[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? [])
      .map((step, index) => ({ step, index }))
      .filter(({ step }) => typeof step.run === "string")
      .map(({ step, index }) => ({
        where: `${file} jobs.${jobId}.steps[${index}]${step.name ? ` (${step.name})` : ""}`,
        shell: step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? "bash",
        script: step.run ?? "",
      })),
  );
}

/**
 * Replaces `${{ ... }}` by underscores of the same length, as actionlint does before handing a
 * script to shellcheck: the expression is substituted before the shell sees the script.
 */
export function withoutExpressions(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => "_".repeat(expression.length));
}

/** actionlint's exclusions for scripts cut out of workflows (see its rule_shellcheck.go). */
const EXCLUDED = "SC1091,SC2194,SC2050,SC2154,SC2157";

export function shellcheckAvailable(): boolean {
  return spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).status === 0;
}

/** shellcheck's findings for one script (empty when clean). */
export function shellcheck(script: string, shell: string): string {
  const dialect = /^(bash|sh|dash|ksh)\b/.exec(shell)?.[1] ?? "bash";
  const result = spawnSync(
    "shellcheck",
    ["--norc", "-f", "gcc", "-x", "--shell", dialect, "-e", EXCLUDED, "-"],
    { input: script, encoding: "utf8" },
  );
  if (result.error) throw result.error;
  return result.status === 0 ? "" : `${result.stdout}${result.stderr}`.trim();
}
