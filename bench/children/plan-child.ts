// One offline plan in a fresh process (`runPlan` can run once per process), with the timings and
// details the benchmark needs:
//   --stack S              the stack file to plan
//   --override FILE        JSON { key: value } that replaces stack config (scaled variants)
//   --plan-out FILE        write the plan JSON
//   --source-maps on       stack traces with source maps (tsx turns them on; each Error's stack,
//                          which the SDK takes for every promise it tracks, then costs more). Off by
//                          default, as in `npm run plan`.
//   --details-out FILE     write what the plan JSON lacks: the @pulumi modules the program loaded
//                          (the floor loads the same) and each resource's input-derived dependencies
//                          (the rest of its dependencies came from `dependsOn`)
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { runPlan } from "../../tools/plan/run";
import { emitResult, nowMs, parseOptions, required } from "./protocol";

const mainAt = nowMs();
const options = parseOptions(process.argv.slice(2));
if (options["source-maps"] !== "on") process.setSourceMapsEnabled(false);

/** Fields of the engine's RegisterResourceRequest read here (a protobuf message). */
interface RegisterRequest {
  getType(): string;
  getPropertydependenciesMap(): {
    forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}
type Callback = (error: unknown, response: { getUrn(): string } | undefined) => void;
type Register = (this: unknown, req: RegisterRequest, callback: Callback) => Promise<void>;

let firstRegistrationAt: number | undefined;
const inputDependencies: Record<string, string[]> = {};

// The plan's monitor extends MockMonitor and calls this method for every registration: wrapping it
// on the prototype observes the plan without changing it.
const prototype = MockMonitor.prototype as unknown as { registerResource: Register };
const register = prototype.registerResource;
prototype.registerResource = function (this: unknown, req, callback) {
  if (firstRegistrationAt === undefined && req.getType() !== "pulumi:pulumi:Stack")
    firstRegistrationAt = nowMs();
  const fromInputs = new Set<string>();
  req.getPropertydependenciesMap().forEach((deps) => {
    for (const urn of deps.getUrnsList()) fromInputs.add(urn);
  });
  return register.call(this, req, (error, response) => {
    if (response) inputDependencies[response.getUrn()] = [...fromInputs].sort();
    callback(error, response);
  });
};

async function main(): Promise<void> {
  const override = options.override
    ? (JSON.parse(readFileSync(options.override, "utf8")) as Record<string, string>)
    : undefined;
  const plan = await runPlan({
    projectDir: resolve(__dirname, "../.."),
    stack: required(options, "stack"),
    ...(override ? { configOverride: override } : {}),
  });
  const doneAt = nowMs();
  const rss = process.resourceUsage().maxRSS;
  if (options["plan-out"]) writeFileSync(options["plan-out"], `${JSON.stringify(plan)}\n`);
  if (options["details-out"]) {
    const modules = Object.keys(require.cache).filter((file) =>
      /[/\\]node_modules[/\\]@pulumi[/\\]/.test(file),
    );
    writeFileSync(options["details-out"], `${JSON.stringify({ modules, inputDependencies })}\n`);
  }
  emitResult({
    kind: "plan",
    mainAt,
    firstRegistrationAt: firstRegistrationAt ?? doneAt,
    resources: plan.resources.length,
    // The figures at the end of the plan, before the files above were written.
    doneAt,
    maxRssKb: rss,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
