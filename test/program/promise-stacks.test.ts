// The program leaves the SDK's per-promise stack traces out (components/sdk/promise-stacks.ts):
// the promises behind a resource's outputs carry no trace, errors still do, the SDK's own debug
// switch keeps them, and the program really makes the setting when a stack is planned.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as random from "@pulumi/random";
import { leavePromiseStacksOut } from "../../components/sdk/promise-stacks";
import { installMocks, waitForRegistrations } from "../support/mocks";
import { projectDir } from "../support/stacks";

installMocks();

interface TaggedPromise {
  readonly _debugCtx?: unknown;
  readonly _debugStackTrace?: unknown;
}
/** The SDK's store of promises still pending (internal to the SDK: its typings leave it out). */
const sdkState = require("@pulumi/pulumi/runtime/state") as {
  getStore(): { leakCandidates: Set<TaggedPromise> };
};

/** The stack traces the SDK tagged onto the promises behind a resource's outputs, still pending. */
function outputTags(resourceName: string): string[] {
  const tags = [...sdkState.getStore().leakCandidates]
    .filter((promise) => {
      const context = String(promise._debugCtx);
      return (
        context.startsWith("transferProperty(") && context.includes(`(resource:${resourceName}[`)
      );
    })
    .map((promise) => String(promise._debugStackTrace));
  assert.ok(tags.length > 0, `the SDK tagged the promises behind ${resourceName}'s outputs`);
  return tags;
}

const FRAME = /\n\s+at /;

describe("the SDK's promise stack traces", () => {
  it("are kept while PULUMI_DEBUG_PROMISE_LEAKS is set", async () => {
    assert.equal(leavePromiseStacksOut({ PULUMI_DEBUG_PROMISE_LEAKS: "1" }), false);
    new random.RandomId("kept", { byteLength: 8 });
    for (const tag of outputTags("kept")) assert.match(tag, FRAME, "frames, as the SDK makes them");
    await waitForRegistrations();
  });

  it("are left out once the program's setting is made; errors keep theirs", async () => {
    assert.equal(leavePromiseStacksOut({}), true);
    new random.RandomId("left-out", { byteLength: 8 });
    for (const tag of outputTags("left-out")) assert.equal(tag, "Error", "no frames");
    assert.match(new Error("still traced").stack ?? "", FRAME);
    assert.equal(leavePromiseStacksOut({}), true, "a second call changes nothing");
    new random.RandomId("again", { byteLength: 8 });
    for (const tag of outputTags("again")) assert.equal(tag, "Error");
    await waitForRegistrations();
  });

  it("are left out by the program itself when a stack is planned", () => {
    const script = [
      `const { runPlan } = require(${JSON.stringify(join(projectDir, "tools/plan/run"))});`,
      `runPlan({ projectDir: ${JSON.stringify(projectDir)}, stack: "uk" }).then(() => {`,
      "  const tagger = require('@pulumi/pulumi/runtime/debuggable');",
      "  const probe = Promise.resolve();",
      "  tagger.debuggablePromise(probe, 'probe');",
      "  process.stdout.write(String(probe._debugStackTrace));",
      "  setTimeout(() => process.exit(0), 5000).unref();",
      "});",
    ].join("\n");
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "" };
    delete env.PULUMI_DEBUG_PROMISE_LEAKS;
    const result = spawnSync(
      process.execPath,
      ["--require", join(projectDir, "tools/ts-loader.cjs"), "-e", script],
      { cwd: projectDir, encoding: "utf8", env },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "Error");
  });
});
