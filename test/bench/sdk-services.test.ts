// The program loads the provider SDKs one service at a time (components/sdk/): a package's own
// index, which loads every service it has, never loads while a stack is planned.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectDir, stacks } from "../support/stacks";

/** The @pulumi files a plan of `stack` loaded, relative to node_modules/@pulumi. */
function loadedSdkFiles(stack: string): string[] {
  const script = [
    `const { runPlan } = require(${JSON.stringify(join(projectDir, "tools/plan/run"))});`,
    `runPlan({ projectDir: ${JSON.stringify(projectDir)}, stack: ${JSON.stringify(stack)} }).then(() => {`,
    "  const files = Object.keys(require.cache).flatMap((file) => {",
    "    const at = file.lastIndexOf('/node_modules/@pulumi/');",
    "    return at < 0 ? [] : [file.slice(at + '/node_modules/@pulumi/'.length)];",
    "  });",
    "  process.stdout.write(JSON.stringify(files));",
    "  process.exitCode = 0;",
    "  setTimeout(() => process.exit(0), 5000).unref();",
    "});",
  ].join("\n");
  const result = spawnSync(
    process.execPath,
    ["--require", join(projectDir, "tools/ts-loader.cjs"), "-e", script],
    { cwd: projectDir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
  );
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as string[];
}

describe("provider SDKs load one service at a time", () => {
  for (const stack of stacks) {
    it(stack, () => {
      const files = loadedSdkFiles(stack);
      // Every stack's public zone is in Route53: the plan did load AWS services.
      assert.ok(files.includes("aws/route53/index.js"), "aws/route53/index.js loaded");
      assert.deepEqual(
        files.filter((file) => /^(aws|gcp|kubernetes)\/index\.js$/.test(file)),
        [],
      );
    });
  }
});
