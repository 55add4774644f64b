// Pulumi mocks for unit tests: every registered resource is recorded, and invokes are answered
// from the same offline table as the plan.
import * as pulumi from "@pulumi/pulumi";
import { fakeOutputs } from "../../tools/plan/fake-outputs";
import type { OfflineCloud } from "../../tools/plan/offline-answers";
import { offlineMocks } from "../../tools/plan/offline-mocks";
import { waitForRegistrations } from "../../tools/plan/registrations";

export { fakeOutputs };

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
  readonly custom: boolean;
}

export interface Recorder {
  readonly resources: RecordedResource[];
  /** Every recorded resource of one type token, e.g. "aws:ec2/vpc:Vpc". */
  ofType(type: string): RecordedResource[];
  /** The one resource with this type and name; fails when absent. */
  get(type: string, name: string): RecordedResource;
}

/**
 * Installs mocks that record resources; call before creating any resource in the test file.
 * `preview` runs the program as `pulumi preview` would (unknowns stay unknown); `cloud` says what
 * the offline cloud is like (by default, projects with their APIs on).
 */
export function installMocks(
  stack = "test",
  project = "multicloud",
  preview = false,
  cloud?: OfflineCloud,
): Recorder {
  const resources: RecordedResource[] = [];
  pulumi.runtime.setMocks(
    offlineMocks(
      (args) => {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider,
          custom: args.custom ?? true,
        });
      },
      undefined,
      cloud,
    ),
    project,
    stack,
    preview,
  );
  return {
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    get(type, name) {
      const found = resources.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name} was registered`);
      return found;
    },
  };
}

/** Resolves an Output in a test. */
export function resolveOutput<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

export { waitForRegistrations };

/** A resource as the stack transformation saw it: the options the mocks never see. */
export interface SeenResource {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.ResourceOptions;
  readonly props: pulumi.Inputs;
}

/**
 * Runs build inside a stack (installMocks must have run), recording every resource's options
 * through a stack transformation, and waits until every registration has reached the mocks
 * (`build` may be asynchronous, as a Region is: await its `ready` there).
 * Pulumi's runtime is global: one stack per test file.
 */
export async function runInStack(build: () => unknown): Promise<SeenResource[]> {
  const seen: SeenResource[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      seen.push({ type: args.type, name: args.name, opts: args.opts, props: args.props });
      return undefined;
    });
    await build();
    return {};
  });
  await waitForRegistrations();
  return seen;
}

/**
 * The resources in a dependsOn option, as the SDK gathers them: a promise there (where the answer
 * came from the cloud first, such as an API on or off) is settled once the program has run, and
 * the generated resource classes turn it into an Output of a list when they merge their options.
 */
export async function dependsOnResources(dependsOn: unknown): Promise<pulumi.Resource[]> {
  if (Array.isArray(dependsOn))
    return (await Promise.all(dependsOn.map((item) => dependsOnResources(item)))).flat();
  if (dependsOn instanceof Promise) return dependsOnResources(await dependsOn);
  if (pulumi.Output.isInstance(dependsOn))
    return dependsOnResources(await resolveOutput(dependsOn));
  return pulumi.Resource.isInstance(dependsOn) ? [dependsOn] : [];
}
