// tools/ts-loader.cjs, the route Pulumi.yaml and the commands run the program by: each file's
// transform is cached by the hash of its text, so an edited file runs as edited, an unchanged one
// is not transformed again, and the cache lives where it is told (node_modules/.cache by default).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { routeOfNodeargs } from "../../bench/commands";
import { projectDir } from "../support/stacks";

const LOADER = join(projectDir, "tools/ts-loader.cjs");

/** Runs `main.ts` of `dir` under the loader with `cache` as its cache; returns its stdout. */
function run(dir: string, cache: string): string {
  const result = spawnSync(process.execPath, ["--require", LOADER, join(dir, "main.ts")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", MULTICLOUD_TS_CACHE: cache },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe("tools/ts-loader.cjs", () => {
  it("runs an edited file as edited, and reuses the transform of an unchanged one", () => {
    const dir = mkdtempSync(join(tmpdir(), "multicloud-ts-loader-"));
    const cache = join(dir, "cache");
    writeFileSync(join(dir, "main.ts"), 'import { word } from "./word";\nconsole.log(word);\n');
    writeFileSync(join(dir, "word.ts"), 'export const word: string = "first";\n');
    assert.equal(run(dir, cache), "first");
    const cached = readdirSync(cache).map((name) => join(cache, name));
    assert.equal(cached.length, 2);
    const before = new Map(cached.map((file) => [file, statSync(file).mtimeMs]));

    // Same length, so nothing but the text's hash tells the two apart.
    writeFileSync(join(dir, "word.ts"), 'export const word: string = "again";\n');
    assert.equal(run(dir, cache), "again");
    const after = readdirSync(cache).map((name) => join(cache, name));
    assert.equal(after.length, 2);
    const rewritten = after.filter((file) => statSync(file).mtimeMs !== before.get(file));
    assert.deepEqual(
      rewritten.map((file) => file.endsWith("-word.js")),
      [true],
    );
    assert.match(readFileSync(rewritten[0] ?? "", "utf8"), /"again"/);
  });

  it("resolves as tsc does: `.ts` before `.json`, and through `import()` too", () => {
    const dir = mkdtempSync(join(tmpdir(), "multicloud-ts-loader-"));
    writeFileSync(
      join(dir, "main.ts"),
      [
        'import { word } from "./facts";',
        'import("./later").then((later) => console.log(word, later.other));',
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "facts.ts"), 'export const word: string = "typescript";\n');
    writeFileSync(join(dir, "facts.json"), '{ "word": "json" }\n');
    writeFileSync(join(dir, "later.ts"), 'export const other: string = "later";\n');
    assert.equal(run(dir, join(dir, "cache")), "typescript later");
  });

  it("reads the route of a project from its Pulumi.yaml nodeargs", () => {
    assert.equal(routeOfNodeargs("--require ./tools/ts-loader.cjs", "Pulumi.yaml"), "ts-loader");
    assert.equal(routeOfNodeargs("--import tsx", "Pulumi.yaml"), "tsx");
    assert.throws(() => routeOfNodeargs(undefined, "old/Pulumi.yaml"), /old\/Pulumi\.yaml/);
  });

  it("is the route Pulumi.yaml runs the program by", () => {
    const yaml = readFileSync(join(projectDir, "Pulumi.yaml"), "utf8");
    assert.match(yaml, /^\s*nodeargs: "--require \.\/tools\/ts-loader\.cjs"$/m);
  });
});
