// Runs `pulumi preview` or `pulumi up` on one stack with the program inline: Pulumi's Automation
// API serves the program from this process (the CLI runs with --client), since no Node.js
// language host is built here. Everything else is the real engine: the CLI, its file backend,
// secrets, plugins, the dynamic-provider host and the policy pack. One operation per process:
// the Pulumi runtime is global and the program's modules are loaded once.
//
//   node --require ./tools/ts-loader.cjs tools/engine/inline-program.ts <preview|up> --stack S --dir PROJECT \
//     --result FILE [--expect-no-changes] [--policy-pack PACK]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import { runProgramEntry } from "../plan/program-entry";
import { type EngineRunResult, emptyRunResult, recordEvent } from "./run-result";

export interface InlineArgs {
  readonly operation: "preview" | "up";
  readonly stack: string;
  readonly dir: string;
  readonly result: string;
  readonly expectNoChanges: boolean;
  readonly policyPack?: string;
}

export function parseInlineArgs(argv: readonly string[]): InlineArgs {
  const [operation, ...rest] = argv;
  if (operation !== "preview" && operation !== "up")
    throw new Error(`inline-program: expected preview or up, got ${operation}`);
  const values = new Map<string, string>();
  let expectNoChanges = false;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--expect-no-changes") {
      expectNoChanges = true;
      continue;
    }
    const value = rest[i + 1];
    if (!flag?.startsWith("--") || value === undefined)
      throw new Error(`inline-program: bad argument ${flag}`);
    values.set(flag.slice(2), value);
    i++;
  }
  const required = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`inline-program: --${key} is required`);
    return value;
  };
  const policyPack = values.get("policy-pack");
  return {
    operation,
    stack: required("stack"),
    dir: required("dir"),
    result: required("result"),
    expectNoChanges,
    ...(policyPack !== undefined ? { policyPack } : {}),
  };
}

/** Runs the operation, recording into `result` as events arrive (kept when the operation fails). */
async function run(args: InlineArgs, result: EngineRunResult): Promise<void> {
  // The program's own entry point, with the stack files beside it, run as Pulumi's runner runs it.
  const program = () => runProgramEntry(join(args.dir, "index.ts"));
  const stack = await LocalWorkspace.selectStack(
    { stackName: args.stack, projectName: "multicloud", program },
    { workDir: args.dir },
  );
  const onEvent = (event: EngineEvent) => recordEvent(result, event);
  const onOutput = (text: string) => process.stdout.write(text);
  const common = {
    onEvent,
    onOutput,
    color: "never" as const,
    ...(args.policyPack !== undefined ? { policyPacks: [args.policyPack] } : {}),
  };
  if (args.operation === "preview") {
    const preview = await stack.preview({ ...common, expectNoChanges: args.expectNoChanges });
    result.changeSummary = { ...preview.changeSummary };
  } else {
    const up = await stack.up(common);
    result.changeSummary = { ...(up.summary.resourceChanges ?? {}) };
  }
}

if (require.main === module) {
  const args = parseInlineArgs(process.argv.slice(2));
  const result = emptyRunResult();
  run(args, result).then(
    () => {
      writeFileSync(args.result, JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      result.error = error instanceof Error ? error.message : String(error);
      writeFileSync(args.result, JSON.stringify(result));
      console.error(result.error);
      process.exit(1);
    },
  );
}
