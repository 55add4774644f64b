// Runs `pulumi preview` or `pulumi up` on one stack of the project copy, through Pulumi's
// Automation API, which runs the CLI and reads its engine events. The CLI runs the project as on a
// user's machine: it reads Pulumi.yaml and starts the Node.js language host it finds on PATH (the
// engine test's stand-in, tools/engine/language-host.ts), which starts the program with
// Pulumi.yaml's nodeargs. Everything else is the real engine: the CLI, its file backend, secrets,
// plugins, the dynamic-provider host and the policy pack.
//
//   node --require ./tools/ts-loader.cjs tools/engine/operation.ts <preview|up> --stack S --dir PROJECT \
//     --result FILE [--expect-no-changes] [--policy-pack PACK]
import { writeFileSync } from "node:fs";
import { type EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import { type EngineRunResult, emptyRunResult, recordEvent } from "./run-result";

export interface OperationArgs {
  readonly operation: "preview" | "up";
  readonly stack: string;
  readonly dir: string;
  readonly result: string;
  readonly expectNoChanges: boolean;
  readonly policyPack?: string;
}

export function parseOperationArgs(argv: readonly string[]): OperationArgs {
  const [operation, ...rest] = argv;
  if (operation !== "preview" && operation !== "up")
    throw new Error(`operation: expected preview or up, got ${operation}`);
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
      throw new Error(`operation: bad argument ${flag}`);
    values.set(flag.slice(2), value);
    i++;
  }
  const required = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`operation: --${key} is required`);
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
async function run(args: OperationArgs, result: EngineRunResult): Promise<void> {
  // The project as a user runs it: the CLI reads Pulumi.yaml and starts the language host.
  const stack = await LocalWorkspace.selectStack({ stackName: args.stack, workDir: args.dir });
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
  const args = parseOperationArgs(process.argv.slice(2));
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
