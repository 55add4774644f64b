// The floor: a program that registers exactly the resources of a plan (same types, names, parents,
// inputs, providers, dependencies and options) under the same mock monitor and runtime setup as
// tools/plan/run.ts, and loads the same @pulumi modules, but runs none of our components, config
// parsing or rendering. What the real plan costs beyond this is the program's own overhead.
//   node --import tsx bench/floor.ts --stack S --plan FILE --details FILE
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMonitor } from "../tools/plan/monitor";
import { offlineMocks } from "../tools/plan/offline-mocks";
import type { Plan } from "../tools/plan/plan";
import { SECRET } from "../tools/plan/plan";
import { waitForRegistrations } from "../tools/plan/registrations";
import { PROJECT } from "../tools/plan/run";
import { emitResult, nowMs, parseOptions, required } from "./children/protocol";
import { compareRegistrations, replayInputs, replaySteps } from "./floor-replay";

const mainAt = nowMs();
const options = parseOptions(process.argv.slice(2));
// As on the plan's side (and in `npm run plan`): no source-mapped stack traces.
process.setSourceMapsEnabled(false);

// The SDK's base classes are abstract in their typings; these add nothing to them.
class FloorCustom extends pulumi.CustomResource {}
class FloorProvider extends pulumi.ProviderResource {}
class FloorComponent extends pulumi.ComponentResource {
  finish(): void {
    this.registerOutputs({});
  }
}

interface Details {
  readonly modules: readonly string[];
}

async function main(): Promise<void> {
  const stack = required(options, "stack");
  const details = JSON.parse(readFileSync(required(options, "details"), "utf8")) as Details;
  // The real program loads these while it runs (provider SDK classes, invoke modules); so does this.
  for (const file of details.modules) require(file);
  const plan = JSON.parse(readFileSync(required(options, "plan"), "utf8")) as Plan;

  // The same mocks and monitor as runPlan.
  const mocks = offlineMocks();
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  const monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor, PROJECT, stack, false);

  await pulumi.runtime.runInPulumiStack(async () => {
    const made = new Map<string, pulumi.Resource>();
    const get = (urn: string): pulumi.Resource => {
      const resource = made.get(urn);
      if (!resource) throw new Error(`replay order broken: ${urn} not yet made`);
      return resource;
    };
    for (const step of replaySteps(plan.resources)) {
      const { resource } = step;
      const opts: pulumi.CustomResourceOptions = {
        ...(step.parent ? { parent: get(step.parent) } : {}),
        ...(step.dependsOn.length > 0 ? { dependsOn: step.dependsOn.map(get) } : {}),
        ...(resource.protect ? { protect: true } : {}),
        ...(resource.ignoreChanges.length > 0
          ? { ignoreChanges: [...resource.ignoreChanges] }
          : {}),
        ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
        ...(resource.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        ...(resource.aliases.length > 0 ? { aliases: [...resource.aliases] } : {}),
      };
      const inputs = replayInputs(resource.inputs, (value) => pulumi.secret(value), SECRET);
      let replayed: pulumi.Resource;
      if (step.what.kind === "provider") {
        replayed = new FloorProvider(step.what.pkg, resource.name, inputs, opts);
      } else if (step.what.kind === "custom") {
        const provider = step.provider ? get(step.provider) : undefined;
        replayed = new FloorCustom(resource.type, resource.name, inputs, {
          ...opts,
          ...(provider ? { provider: provider as pulumi.ProviderResource } : {}),
        });
      } else {
        const component = new FloorComponent(resource.type, resource.name, {}, opts);
        component.finish();
        replayed = component;
      }
      made.set(resource.urn, replayed);
    }
    return plan.outputs;
  });
  await waitForRegistrations();
  const doneAt = nowMs();
  const maxRssKb = process.resourceUsage().maxRSS;
  const mismatches = compareRegistrations(plan.resources, monitor.resourcesInEngineForm());
  emitResult({
    kind: "floor",
    mainAt,
    resources: monitor.planned.length,
    mismatches: mismatches.slice(0, 5),
    mismatchCount: mismatches.length,
    doneAt,
    maxRssKb,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
