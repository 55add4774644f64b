// The mocks every offline run uses (the plan, the benchmark, the tests): a resource's state is
// its inputs plus recognisable stand-ins for what only a cloud would assign, and invokes are
// answered from the offline table.
import type * as pulumi from "@pulumi/pulumi";
import { fakeId, fakeState } from "./fake-outputs";
import { answerInvoke, ESTABLISHED_CLOUD, type OfflineCloud } from "./offline-answers";

export function offlineMocks(
  onResource?: (args: pulumi.runtime.MockResourceArgs) => void,
  /** Where referenced stacks' files are (the plan's project); this repository by default. */
  projectDir?: string,
  cloud: OfflineCloud = ESTABLISHED_CLOUD,
): pulumi.runtime.Mocks {
  return {
    newResource: (args) => {
      onResource?.(args);
      return {
        id: args.custom === false ? undefined : fakeId(args.name),
        state: fakeState(args.type, args.name, args.inputs, projectDir),
      };
    },
    call: (args) => answerInvoke(args.token, args.inputs, cloud),
  };
}
