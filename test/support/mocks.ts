// Pulumi mocks for unit tests: every registered resource is recorded, and invokes are answered
// from the same offline table as the plan.
import * as pulumi from "@pulumi/pulumi";
import { fakeOutputs } from "../../tools/plan/fake-outputs";
import { answerInvoke } from "../../tools/plan/offline-answers";

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

/** Installs mocks that record resources; call before creating any resource in the test file. */
export function installMocks(stack = "test", project = "multicloud"): Recorder {
  const resources: RecordedResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider,
          custom: args.custom ?? true,
        });
        return {
          id: `${args.name}-id`,
          state: { ...fakeOutputs(args.type, args.name), ...args.inputs },
        };
      },
      call(args) {
        return answerInvoke(args.token, args.inputs);
      },
    },
    project,
    stack,
    false,
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

/** Waits until every registration started so far has reached the mocks. */
export async function waitForRegistrations(): Promise<void> {
  // waitForRPCs is exported by the runtime's settings module but not declared in its typings.
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs?: () => Promise<void>;
  };
  if (settings.waitForRPCs) await settings.waitForRPCs();
}
