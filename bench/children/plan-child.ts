// One offline plan in a fresh process (`runPlan` can run once per process), with the timings and
// details the benchmark needs:
//   --stack S              the stack file to plan
//   --project DIR          the project to plan (default: this one; the benchmark's "before" is a
//                          checkout of an earlier commit that shares this node_modules)
//   --override FILE        JSON { key: value } that replaces stack config (scaled variants)
//   --plan-out FILE        write the plan JSON
//   --new-project yes      plan a project's first up (no Google API on yet), as the plan's
//                          --new-project
//   --source-maps on       stack traces with source maps (each Error's stack, which the SDK takes
//                          for every promise it tracks, then costs more). Off by default, as in
//                          `npm run plan` and `pulumi up`.
//   --details-out FILE     write what the plan JSON lacks: the @pulumi modules the program loaded
//                          (the floor loads the same) and, per resource and input, the resources
//                          that input's value came from (the rest of its dependencies came from
//                          `dependsOn`), named by the plan's URNs, and the data-source calls the
//                          program made (the floor makes them too)
// Run with bench/children/load-clock.ts preloaded (`--require`), so loading is timed from the start.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { exitWhenDrained } from "../../tools/exit-when-drained";
import type { RunOptions } from "../../tools/plan/run";
import { type DependencyRecorder, recordDependencies } from "./dependency-recorder";
import { recordInvokes } from "./invoke-recorder";
import { loadClock, timeProgramApart } from "./load-clock";
import { cpuNowMs, emitResult, nowMs, parseOptions, required } from "./protocol";

const mainAt = nowMs();
const options = parseOptions(process.argv.slice(2));
if (options["source-maps"] === "on") process.setSourceMapsEnabled(true);

let firstRegistration:
  | { at: number; cpuMs: number; loading: ReturnType<typeof loadClock> }
  | undefined;
// Start-up ends at the first custom resource registered (a provider counts; the stack and
// components do not): the first thing the engine can start creating.
const recorder: DependencyRecorder = recordDependencies(MockMonitor.prototype, (request) => {
  if (firstRegistration === undefined && request.getCustom())
    firstRegistration = { at: nowMs(), cpuMs: cpuNowMs(), loading: loadClock() };
});
const invokes = recordInvokes(MockMonitor.prototype);

type RunPlan = (options: RunOptions) => Promise<{ resources: readonly unknown[] }>;

async function main(): Promise<void> {
  const projectDir = resolve(options.project ?? join(__dirname, "../.."));
  // runPlan requires the program by this path.
  timeProgramApart(join(projectDir, "index.ts"));
  const { runPlan } = require(join(projectDir, "tools/plan/run")) as { runPlan: RunPlan };
  const override = options.override
    ? (JSON.parse(readFileSync(options.override, "utf8")) as Record<string, string>)
    : undefined;
  const plan = await runPlan({
    projectDir,
    stack: required(options, "stack"),
    ...(override ? { configOverride: override } : {}),
    ...(options["new-project"] === "yes" ? { newProject: true } : {}),
  });
  const doneAt = nowMs();
  const doneCpuMs = cpuNowMs();
  const rss = process.resourceUsage().maxRSS;
  if (options["plan-out"]) writeFileSync(options["plan-out"], `${JSON.stringify(plan)}\n`);
  if (options["details-out"]) {
    const modules = Object.keys(require.cache).filter((file) =>
      /[/\\]node_modules[/\\]@pulumi[/\\]/.test(file),
    );
    const propertyDependencies = recorder.inPlanForm();
    const dependsOnAtRegistration = recorder.dependsOnAtRegistration();
    writeFileSync(
      options["details-out"],
      `${JSON.stringify({
        modules,
        propertyDependencies,
        dependsOnAtRegistration,
        invokes: invokes.inPlanForm(),
      })}\n`,
    );
  }
  const first = firstRegistration ?? { at: doneAt, cpuMs: doneCpuMs, loading: loadClock() };
  emitResult({
    kind: "plan",
    mainAt,
    firstRegistrationAt: first.at,
    firstRegistrationCpuMs: first.cpuMs,
    loadingAtFirstRegistration: first.loading,
    resources: plan.resources.length,
    // The figures at the end of the plan, before the files above were written.
    doneAt,
    cpuMs: doneCpuMs,
    maxRssKb: rss,
  });
}

main().then(
  () => exitWhenDrained(0),
  (error: unknown) => {
    console.error(error);
    exitWhenDrained(1);
  },
);
