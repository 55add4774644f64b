// `npm run plan -- --stack us [--json FILE] [--out DIR]`: the offline plan of one stack.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import { parseArgs, USAGE } from "./args";
import { writeHostFiles } from "./host-files";
import type { Plan } from "./plan";
import { runPlan } from "./run";
import { PlanInputError } from "./stack-file";
import { renderCounts, renderTree } from "./tree";

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
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const projectDir = findProjectDir(process.cwd());
  const plan = await runPlan({ projectDir, stack: args.stack });
  const tree = renderTree(plan);
  const counts = renderCounts(plan);
  console.log(`Plan of stack ${plan.stack} (project ${plan.project}), offline:\n`);
  console.log(tree);
  console.log(`\nResources by type:\n${counts}`);
  if (args.json) writeText(args.json, planJson(plan));
  if (args.out) {
    writeText(join(args.out, "plan.json"), planJson(plan));
    writeText(join(args.out, "plan.txt"), `${tree}\n\n${counts}\n`);
    const stackFile = `Pulumi.${args.stack}.yaml`;
    const raw = (
      parse(readFileSync(join(projectDir, stackFile), "utf8")) as {
        config: Record<string, unknown>;
      }
    ).config[REGION_CONFIG_KEY];
    const files = writeHostFiles(parseRegionSpec(raw, stackFile), args.out);
    console.log(`\nWrote plan.txt, plan.json and ${files} host files under ${args.out}`);
  }
  return 0;
}

export function planJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

function writeText(path: string, content: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, content);
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
let exiting = false;
const fail = (error: unknown) => {
  if (exiting) return;
  exiting = true;
  process.exit(report(error));
};
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

main().then(
  (code) => process.exit(code),
  (error) => fail(error),
);
