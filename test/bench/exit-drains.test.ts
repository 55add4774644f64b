// The commands end by letting Node's event loop drain, so what they write asynchronously is
// complete: tsx's transform cache above all, which a `process.exit()` leaves as 0-byte files (the
// next run then transforms every module again).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectDir } from "../support/stacks";

/** Runs a command under tsx with a cache directory of its own; returns the cache's file sizes. */
function cacheAfter(args: readonly string[]): { code: number | null; sizes: number[] } {
  const temp = mkdtempSync(join(tmpdir(), "multicloud-exit-"));
  const result = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: projectDir,
    encoding: "utf8",
    // tsx keeps its cache in <os.tmpdir()>/tsx-<uid>.
    env: { ...process.env, NODE_OPTIONS: "", TMPDIR: temp },
  });
  const cache = readdirSync(temp).find((name) => name.startsWith("tsx-"));
  const files = cache ? readdirSync(join(temp, cache)).map((name) => join(temp, cache, name)) : [];
  return { code: result.status, sizes: files.map((file) => statSync(file).size) };
}

describe("commands leave complete transform caches", () => {
  for (const [name, args, code] of [
    ["plan --help", ["tools/plan/cli.ts", "--help"], 0],
    ["plan with a bad stack", ["tools/plan/cli.ts", "--stack", "nowhere"], 2],
    ["dr with a bad stack", ["tools/dr/cli.ts", "--stack", "nowhere", "--to", "us-east-1"], 2],
  ] as const) {
    it(name, () => {
      const run = cacheAfter(args);
      assert.equal(run.code, code);
      // Every module the command loaded is cached, none of them cut short.
      assert.ok(run.sizes.length >= 5, `only ${run.sizes.length} cache files`);
      assert.deepEqual(
        run.sizes.filter((size) => size === 0),
        [],
      );
    });
  }
});
