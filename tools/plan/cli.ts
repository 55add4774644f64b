// `npm run plan -- --stack us [--json FILE] [--out DIR] [--diff BASE.json [--markdown]]`: the
// offline plan of one stack, or what changed since an earlier plan.
// Exit codes: 0 planned, 1 internal error, 2 bad input (one line per problem), 3 a mandatory
// policy violation, 4 a value a cloud's API would refuse (the limits tables, tools/plan/limits/).
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { printable } from "../../components/spec/errors";
import { exitWhenDrained } from "../exit-when-drained";
import { parseArgs, USAGE } from "./args";
import { checkOutputPaths, makeDirectory } from "./cli-paths";
import { architectureSvg } from "./diagram-render";
import { diffPlans } from "./diff";
import { readPlanFile } from "./diff-read";
import { renderDiffText } from "./diff-tree";
import { writeHostFiles } from "./host-files";
import { readPlanInput } from "./input";
import { allLimits, checkPlanLimits, formatLimitViolations } from "./limits";
import { renderDiffMarkdown } from "./markdown";
import { planChoconBuild } from "./offline-config";
import type { Plan } from "./plan";
import { checkPolicies, formatViolations, hasMandatoryViolation } from "./policy";
import { PROJECT, runPlan } from "./run";
import { PlanInputError } from "./stack-file";
import { checkStackFile } from "./stack-file-policy";
import { checkTopology, dedicatedAddresses, formatTopology } from "./topology";
import { renderCounts, renderTree } from "./tree";
import { duplicateUrnProblems } from "./urns";

/** The nearest directory at or above the working directory that holds Pulumi.yaml, as for the CLI. */
function findProjectDir(start: string): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    const up = dirname(dir);
    if (up === dir)
      throw new PlanInputError(
        `no Pulumi.yaml in ${start} or above: run this in the project directory`,
      );
    dir = up;
  }
  return dir;
}

async function main(): Promise<number> {
  // tsx turns source maps on, and the Pulumi SDK takes a stack trace for every promise it tracks:
  // mapping them costs a third of a plan's time (measured by `npm run bench`).
  process.setSourceMapsEnabled(false);
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const projectDir = findProjectDir(process.cwd());
  // Read the base and check where the plan goes first: a wrong path fails before the program runs.
  checkOutputPaths(args);
  const base = args.diff ? readPlanFile(args.diff, args.stack) : undefined;
  // The stack file, its spec and what it refers to, checked before the program runs.
  const input = readPlanInput(projectDir, PROJECT, args.stack);
  const plan = await runPlan({ projectDir, stack: args.stack, newProject: args.newProject });
  const duplicates = duplicateUrnProblems(plan);
  if (duplicates.length > 0) {
    throw new PlanInputError(
      duplicates.map((problem) => `${input.stackConfig.file}: ${problem}`).join("\n"),
    );
  }
  const tree = renderTree(plan);
  const counts = renderCounts(plan);
  if (base && args.diff) {
    const diff = diffPlans(base, plan);
    const baseName = basename(args.diff);
    console.log(
      args.markdown
        ? renderDiffMarkdown(diff, { baseName })
        : renderDiffText(diff, { baseName, color: useColor() }),
    );
  } else {
    console.log(`Plan of stack ${plan.stack} (project ${plan.project}), offline:\n`);
    console.log(tree);
    console.log(`\nResources by type:\n${counts}`);
  }
  if (args.json) writeText("--json", args.json, planJson(plan));
  if (args.out) {
    writeText("--out", join(args.out, "plan.json"), planJson(plan));
    writeText("--out", join(args.out, "plan.txt"), `${tree}\n\n${counts}\n`);
    writeText("--out", join(args.out, "architecture.svg"), await architectureSvg(plan));
    const files = writeHostFiles(input.spec, args.out, planChoconBuild(input.stackConfig.config));
    // With --markdown, stdout is the comment itself: notes go to stderr.
    const note = args.markdown ? console.error : console.log;
    note(`\nWrote plan.txt, plan.json, architecture.svg and ${files} host files under ${args.out}`);
  }
  // The clouds' limits run over every plan: a value their APIs would refuse fails it (exit 4).
  const refused = checkPlanLimits(plan);
  (refused.length > 0 || args.markdown ? console.error : console.log)(
    `\n${formatLimitViolations(refused, allLimits.length)}`,
  );
  // Every name a host or pod must reach needs a link, a route back, an opening and a listener.
  const topology = checkTopology(plan, dedicatedAddresses(input.spec));
  (topology.problems.length > 0 || args.markdown ? console.error : console.log)(
    `\n${formatTopology(topology)}`,
  );
  // The policy pack runs over every plan, and its stack-file rules over the stack file: a
  // mandatory violation fails the command (exit 3).
  const stackUrn = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const violations = [...checkStackFile(input.stackConfig, stackUrn), ...checkPolicies(plan)];
  (args.markdown ? console.error : console.log)(`\n${formatViolations(violations)}`);
  if (refused.length > 0) return 4;
  return hasMandatoryViolation(violations) ? 3 : 0;
}

/** ANSI colours on a terminal, unless NO_COLOR is set; FORCE_COLOR turns them on anywhere. */
function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return process.stdout.isTTY === true;
}

export function planJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Writes a file for --json or --out; a path the system refuses is one line naming the option. */
function writeText(option: string, path: string, content: string): void {
  try {
    makeDirectory(dirname(resolve(path)));
    writeFileSync(path, content);
  } catch (error) {
    throw new PlanInputError(
      `${option} ${printable(path)}: cannot write it (${(error as Error).message})`,
    );
  }
}

/** One line for problems a user can fix; a stack trace only for what is a bug of this program. */
function report(error: unknown): number {
  if (error instanceof PlanInputError || isRunError(error)) {
    for (const line of (error as Error).message.split("\n")) console.error(`plan: ${line}`);
    return 2;
  }
  console.error("plan: internal error (a bug in the program, not in your stack file):");
  console.error(error);
  return 1;
}

function isRunError(error: unknown): boolean {
  return (
    error instanceof Error && (error as { __pulumiRunError?: boolean }).__pulumiRunError === true
  );
}

// Errors thrown inside Pulumi's runtime can surface as unhandled rejections rather than through main().
// The first outcome sets the exit code; the process ends when pending writes are done.
let exiting = false;
const finish = (code: number) => {
  if (exiting) return;
  exiting = true;
  exitWhenDrained(code);
};
const fail = (error: unknown) => {
  if (!exiting) finish(report(error));
};
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

main().then(finish, fail);
