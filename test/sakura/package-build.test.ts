// The package @multicloud/sakura-cloud is what the provider process loads with plain `node`: its
// entry runs the JavaScript built from src/ as it is now. Run on a copy of the package, so the
// real build is not touched: `npm ci`'s prepare builds it, a change to src/ is built on the next
// load (never the old code), parallel loads do not trip over each other, and prepare keeps
// only the current build.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const projectDir = join(__dirname, "..", "..");
const packageDir = join(projectDir, "packages", "sakura-cloud");

/** Runs plain `node` (no TypeScript loader) and returns what it printed. */
function node(args: string[], cwd: string): Promise<string> {
  const { NODE_OPTIONS: _loader, ...env } = process.env;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd, env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    ),
  );
}

/** The package's packet filter rule limit, as a fresh plain-node process loads the package. */
function loadedLimit(copy: string): Promise<string> {
  return node(["-e", "console.log(require('./index.cjs').packetFilterMaxRules)"], copy);
}

function setLimit(copy: string, value: number): void {
  const file = join(copy, "src", "provider", "limits.ts");
  const text = readFileSync(file, "utf8");
  const changed = text.replace(/packetFilterMaxRules = \d+;/, `packetFilterMaxRules = ${value};`);
  assert.notEqual(changed, text, "the limit's line is where the test expects it");
  writeFileSync(file, changed);
}

describe("@multicloud/sakura-cloud builds itself from its sources", () => {
  let root: string;
  let copy: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "sakura-package-"));
    copy = join(root, "sakura-cloud");
    for (const entry of ["package.json", "build.cjs", "index.cjs", "src"]) {
      cpSync(join(packageDir, entry), join(copy, entry), { recursive: true });
    }
    // The TypeScript compiler the build uses, found as in the project.
    symlinkSync(join(projectDir, "node_modules"), join(root, "node_modules"), "dir");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("builds at prepare, to JavaScript that plain node loads", async () => {
    const printed = await node(["build.cjs"], copy);
    assert.match(printed, /^@multicloud\/sakura-cloud: built dist\/[0-9a-f]{16}\/index\.js$/);
    assert.equal(await loadedLimit(copy), "30");
  });

  it("builds a changed source on the next load instead of running the old build", async () => {
    setLimit(copy, 31);
    assert.equal(await loadedLimit(copy), "31");
  });

  it("lets parallel processes build the same change without a half-built tree", async () => {
    setLimit(copy, 32);
    const printed = await Promise.all([loadedLimit(copy), loadedLimit(copy), loadedLimit(copy)]);
    assert.deepEqual(printed, ["32", "32", "32"]);
    const builds = readdirSync(join(copy, "dist"));
    assert.equal(builds.length, 3, `one build per source state, no scratch left: ${builds}`);
  });

  it("keeps only the current build after prepare", async () => {
    await node(["build.cjs"], copy);
    assert.equal(readdirSync(join(copy, "dist")).length, 1);
    assert.equal(await loadedLimit(copy), "32");
  });
});
