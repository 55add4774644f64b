// The committed replace-on-change table: regenerated from the pinned sources it can reach and the
// installed SDKs, it must not differ; and it must cover every resource type the program plans.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import table from "../../tools/references/replace-on-change.json";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

const run = promisify(execFile);
const env = { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1" };

/** Types the diff judges without the table: Sakura's providers carry their own replace lists. */
const OWN_RULES = /^(pulumi-nodejs:dynamic\/|pulumi:providers:)/;

describe("the replace-on-change table", () => {
  it("regenerates to the committed table from the pinned sources and SDKs", async () => {
    const { stdout } = await run(
      process.execPath,
      [...TS_ROUTE, path.join(projectDir, "tools/references/replace-generate.ts"), "--check"],
      { cwd: projectDir, env, maxBuffer: 16 * 1024 * 1024 },
    );
    assert.match(stdout, /^replace-generate: checked \d+ types .*re-read: kubernetes;/m);
  });

  it("names a source for every type, and every rule names where it was read", () => {
    const types = table.types as Record<string, { source: string; rules: { at: string }[] }>;
    for (const [token, entry] of Object.entries(types)) {
      assert.ok(entry.source in table.sources, `${token}: unknown source ${entry.source}`);
      for (const rule of entry.rules)
        assert.match(rule.at, /\S/, `${token}: a rule without a source`);
    }
  });

  it("covers every custom resource type of the jp, us and uk plans", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "multicloud-replace-"));
    const planned = await Promise.all(
      ["jp", "us", "uk"].map(async (stack) => {
        const file = path.join(work, `${stack}.json`);
        await run(
          process.execPath,
          [
            ...TS_ROUTE,
            path.join(projectDir, "tools/plan/cli.ts"),
            "--stack",
            stack,
            "--json",
            file,
          ],
          { cwd: projectDir, env, maxBuffer: 64 * 1024 * 1024 },
        );
        const plan = JSON.parse(readFileSync(file, "utf8")) as {
          resources: { type: string; custom: boolean }[];
        };
        return plan.resources.filter((r) => r.custom).map((r) => r.type);
      }),
    );
    const known = new Set([...Object.keys(table.types), ...table.sources.notRead.types]);
    const uncovered = [...new Set(planned.flat())]
      .filter((type) => !OWN_RULES.test(type) && !known.has(type))
      .sort();
    assert.deepEqual(
      uncovered,
      [],
      "add these to tools/references/replace-sources.json and regenerate",
    );
  });
});
