// The SSH deploy key reaches the Sakura hosts only in `pulumi up`: a preview runs without it (a
// pull request's preview must not hold the key that is root on every host), and the SSH steps keep
// the key in their state so that such a preview shows no change.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { TEST_CHOCON_RELEASE } from "../support/chocon-release";
import { installMocks, runInStack } from "../support/mocks";
import { loadSpec } from "../support/stacks";

const recorder = installMocks("jp", "multicloud", true);

describe("the SSH deploy key", () => {
  it("is not needed by a preview: the SSH steps plan with it unknown and keep the state's", async () => {
    const { Region } = await import("../../components/region");
    const seen = await runInStack(
      () => new Region("jp", { spec: loadSpec("jp"), chocon: TEST_CHOCON_RELEASE }).ready,
    );
    const steps = seen.filter((r) => r.type === "command:remote:Command");
    // Every Sakura host gets its secrets pushed; the six dedicated servers also get the bootstrap;
    // the ten cloud servers also get their route to GKE through the VPC router.
    assert.equal(steps.length, 10 + 6 + 6 + 10);
    for (const step of steps)
      assert.deepEqual(step.opts.ignoreChanges, ["connection.privateKey"], step.name);
    for (const step of recorder.ofType("command:remote:Command")) {
      const connection = step.inputs.connection as { privateKey?: unknown; host?: unknown };
      assert.equal(connection.privateKey, undefined, `${step.name} holds no key in the preview`);
    }
  });

  it("is required by pulumi up, with the command that sets it", async () => {
    const { deployKey } = await import("../../components/deploy-key");
    installMocks("jp", "multicloud", false);
    assert.throws(
      () => deployKey(undefined),
      (error: unknown) =>
        error instanceof pulumi.RunError &&
        error.message ===
          "Pulumi.jp.yaml: multicloud:sshPrivateKey is missing: `pulumi up` reaches the Sakura hosts over SSH; set it with `pulumi config set --secret multicloud:sshPrivateKey < deploy_key`",
    );
    assert.equal(deployKey("KEY"), "KEY");
  });
});
