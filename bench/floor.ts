// The floor: a program that registers exactly the resources of a plan under the same mock monitor
// and runtime setup as tools/plan/run.ts, with what any program that declares them must pay:
// - the provider SDKs' own classes for every resource (bench/floor-classes.ts), the same
//   modules loaded (the plan child lists the @pulumi modules the real program loaded);
// - the dynamic resources (Sakura's, the Google API waits) with the same provider objects, which
//   the SDK serializes;
// - each input whose value came from other resources as an Output of those resources, other
//   ordering as `dependsOn`, the same parents, providers and options;
// - the same data-source calls (invokes), through the same providers;
// and nothing of our own: no components' code, config parsing or rendering (components are
// registered as plain component resources). What the real plan costs beyond this is the
// program's own overhead.
//   node --require ./tools/ts-loader.cjs --require ./bench/children/load-clock.ts bench/floor.ts
//     --stack S --plan FILE --details FILE
import { readFileSync } from "node:fs";
import type { SakuraResourceKind } from "@multicloud/sakura-cloud";
import * as pulumi from "@pulumi/pulumi";
import { googleApiWaitProvider } from "../components/gcp/api-wait";
import { packagedProvider } from "../components/sakura/provider/packaged";
import { leavePromiseStacksOut } from "../components/sdk/promise-stacks";
import { exitWhenDrained } from "../tools/exit-when-drained";
import { RecordingMonitor } from "../tools/plan/monitor";
import { offlineMocks } from "../tools/plan/offline-mocks";
import type { Plan } from "../tools/plan/plan";
import { SECRET } from "../tools/plan/plan";
import { waitForRegistrations } from "../tools/plan/registrations";
import { ORGANIZATION, PROJECT } from "../tools/plan/run";
import type { PropertyDependencies } from "./children/dependency-recorder";
import type { RecordedInvoke } from "./children/invoke-recorder";
import { emitResult, nowMs, parseOptions, required } from "./children/protocol";
import { type ResourceClass, type ResourceClasses, resourceClasses } from "./floor-classes";
import { compareRegistrations, type ReplayStep, replayInputs, replaySteps } from "./floor-replay";

const mainAt = nowMs();
const options = parseOptions(process.argv.slice(2));

/** As the program's Sakura classes are: a plain subclass (the SDK's class is abstract in its typings). */
class DynamicResource extends pulumi.dynamic.Resource {}

class FloorComponent extends pulumi.ComponentResource {
  finish(): void {
    this.registerOutputs({});
  }
}

interface Details {
  readonly modules: readonly string[];
  readonly propertyDependencies: PropertyDependencies;
  readonly invokes: readonly RecordedInvoke[];
}

async function main(): Promise<void> {
  // As the program does: a setting any program can make, so the floor makes it too.
  leavePromiseStacksOut();
  const stack = required(options, "stack");
  const details = JSON.parse(readFileSync(required(options, "details"), "utf8")) as Details;
  // The real program loads these while it runs (provider SDK classes, invoke modules); so does this.
  const classes = resourceClasses(
    details.modules.map((file) => [file, require(file) as unknown] as const),
  );
  const plan = JSON.parse(readFileSync(required(options, "plan"), "utf8")) as Plan;

  // The same mocks and monitor as runPlan.
  const mocks = offlineMocks();
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false, ORGANIZATION);
  const monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor, PROJECT, stack, false, ORGANIZATION);

  // One provider object per kind, as the program has: the SDK serializes each once.
  const dynamicProviders = new Map<string, pulumi.dynamic.ResourceProvider>();
  const dynamicProvider = (module: string, kind: string) => {
    if (module === "multicloud" && kind === "GoogleApiWait") return googleApiWaitProvider;
    const known = dynamicProviders.get(kind);
    if (known) return known;
    const made = packagedProvider(kind as SakuraResourceKind);
    dynamicProviders.set(kind, made);
    return made;
  };

  await pulumi.runtime.runInPulumiStack(async () => {
    const made = new Map<string, pulumi.Resource>();
    const get = (urn: string): pulumi.Resource => {
      const resource = made.get(urn);
      if (!resource) throw new Error(`replay order broken: ${urn} not yet made`);
      return resource;
    };
    for (const step of replaySteps(plan.resources, details.propertyDependencies)) {
      made.set(step.resource.urn, construct(step, get, classes, dynamicProvider));
    }
    // The program's data-source calls, through the same providers: any program asks them too.
    await Promise.all(
      details.invokes.map((call) =>
        pulumi.runtime.invoke(
          call.token,
          call.args,
          call.provider ? { provider: get(call.provider) as pulumi.ProviderResource } : {},
        ),
      ),
    );
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

function construct(
  step: ReplayStep,
  get: (urn: string) => pulumi.Resource,
  classes: ResourceClasses,
  dynamicProvider: (module: string, kind: string) => pulumi.dynamic.ResourceProvider,
): pulumi.Resource {
  const { resource } = step;
  const opts: pulumi.CustomResourceOptions = {
    ...(step.parent ? { parent: get(step.parent) } : {}),
    ...(step.dependsOn.length > 0 ? { dependsOn: step.dependsOn.map(get) } : {}),
    ...(step.provider ? { provider: get(step.provider) as pulumi.ProviderResource } : {}),
    ...(resource.protect ? { protect: true } : {}),
    ...(resource.ignoreChanges.length > 0 ? { ignoreChanges: [...resource.ignoreChanges] } : {}),
    ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(resource.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(resource.aliases.length > 0 ? { aliases: [...resource.aliases] } : {}),
  };
  if (step.what.kind === "component") {
    const component = new FloorComponent(resource.type, resource.name, {}, opts);
    component.finish();
    return component;
  }
  const plain = replayInputs(
    step.what.kind === "provider"
      ? providerArgs(resource.inputs, classes.classOf(resource.type))
      : resource.inputs,
    (value) => pulumi.secret(value),
    SECRET,
  );
  // Inputs that came from other resources arrive as those resources' Outputs.
  const inputs: Record<string, unknown> = { ...plain };
  for (const [key, urns] of Object.entries(step.inputsFrom)) {
    if (urns.length === 0 || !(key in plain)) continue;
    const value = plain[key];
    inputs[key] = pulumi.all(urns.map((urn) => get(urn).urn)).apply(() => value);
  }
  if (step.what.kind === "dynamic") {
    // The SDK adds the serialized provider itself.
    delete inputs.__provider;
    return new DynamicResource(
      dynamicProvider(step.what.module, step.what.type),
      resource.name,
      inputs,
      opts,
      step.what.module,
      step.what.type,
    );
  }
  const Class = classes.classOf(resource.type);
  if (!Class) throw new Error(`no SDK class registers ${resource.type} among the loaded modules`);
  return new Class(resource.name, inputs, opts);
}

/**
 * A provider class sends some inputs as JSON text (its constructor applies `JSON.stringify` to
 * them), which is what the plan shows: the class is given those values parsed, so it sends the
 * same text again. Which inputs those are is read from the class itself.
 */
function providerArgs(
  inputs: Record<string, unknown>,
  providerClass: ResourceClass | undefined,
): Record<string, unknown> {
  const source = providerClass?.toString() ?? "";
  const stringified = new Set(
    [
      ...source.matchAll(
        /resourceInputs\["(\w+)"\] = pulumi\.output\([^;]*\.apply\(JSON\.stringify\)/g,
      ),
    ].map((match) => match[1]),
  );
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) =>
      stringified.has(key) && typeof value === "string" ? [key, JSON.parse(value)] : [key, value],
    ),
  );
}

main().then(
  () => exitWhenDrained(0),
  (error: unknown) => {
    console.error(error);
    exitWhenDrained(1);
  },
);
