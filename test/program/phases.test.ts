// The region is built in phases: its first resources reach the monitor before the rest of the
// program is loaded, and an error in a later part still fails the run with its message.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseDocument } from "yaml";
import { scratchProject } from "../support/scratch-project";
import { projectDir, stacks } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

interface Registration {
  readonly resource: string;
  readonly custom: boolean;
  /** Whether the rest of the region (components/region-build.ts) was loaded by then. */
  readonly restLoaded: boolean;
}

/** Every registration of a plan of `stack`, in the order the monitor got them. */
function registrationsOf(stack: string): Registration[] {
  const script = [
    "const { MockMonitor } = require('@pulumi/pulumi/runtime/mocks');",
    "const seen = [];",
    "const register = MockMonitor.prototype.registerResource;",
    "MockMonitor.prototype.registerResource = function (req, callback) {",
    "  const restLoaded = Object.keys(require.cache).some((f) => f.endsWith('/components/region-build.ts'));",
    "  seen.push({ resource: req.getType() + ' ' + req.getName(), custom: req.getCustom(), restLoaded });",
    "  return register.call(this, req, callback);",
    "};",
    `const { runPlan } = require(${JSON.stringify(join(projectDir, "tools/plan/run"))});`,
    `runPlan({ projectDir: ${JSON.stringify(projectDir)}, stack: ${JSON.stringify(stack)} }).then(() => {`,
    "  process.stdout.write(JSON.stringify(seen));",
    "  setTimeout(() => process.exit(0), 5000).unref();",
    "});",
  ].join("\n");
  const result = spawnSync(process.execPath, [...TS_ROUTE, "-e", script], {
    cwd: projectDir,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
    maxBuffer: 64 << 20,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Registration[];
}

describe("the region's first phase", () => {
  for (const stack of stacks) {
    it(`${stack}: the Route53 provider and the public zone are registered before the rest loads`, () => {
      const registrations = registrationsOf(stack);
      const early = registrations.filter((r) => r.custom && !r.restLoaded).map((r) => r.resource);
      assert.deepEqual(early, [
        `pulumi:providers:aws ${stack}-dns`,
        `aws:route53/zone:Zone ${stack}-public-zone`,
        `aws:route53/record:Record ${stack}-public-caa`,
      ]);
      // The rest did come, later.
      assert.ok(registrations.filter((r) => r.restLoaded).length > 200, "the rest of the region");
    });
  }
});

interface Finished {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
}

/** `npm run plan -- --stack <stack>` in `dir`, stopped after a minute if it hangs. */
function plan(dir: string, stack: string): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TS_ROUTE, join(dir, "tools", "plan", "cli.ts"), "--stack", stack],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
        maxBuffer: 64 << 20,
        timeout: 60_000,
      },
      (error, _stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : null) : 0,
          signal: error?.signal ?? null,
          stderr,
        }),
    );
  });
}

describe("an error in the region's last part (the alerts)", () => {
  it("fails npm run plan with its message, no stack trace, no hang", async () => {
    const dir = scratchProject();
    const file = join(dir, "Pulumi.uk.yaml");
    // Paging through PagerDuty without the integration keys: the alerts refuse a `pulumi up`
    // (which the offline plan runs as), and they are built last, after every other part.
    const document = parseDocument(readFileSync(file, "utf8"));
    document.setIn(["config", "multicloud:region", "alerts", "pagerDuty"], true);
    writeFileSync(file, document.toString());
    const finished = await plan(dir, "uk").finally(() =>
      rmSync(dir, { recursive: true, force: true }),
    );
    assert.equal(finished.signal, null, "the plan was stopped: it hung");
    assert.equal(finished.code, 2, finished.stderr);
    assert.equal(
      finished.stderr,
      "plan: Pulumi.uk.yaml: multicloud:pagerDutyCloudWatchKey is missing: alerts.pagerDuty pages " +
        'through PagerDuty and the region has a target that needs the integration key of a PagerDuty "Amazon CloudWatch" ' +
        "integration; set it with `pulumi config set --secret multicloud:pagerDutyCloudWatchKey`\n",
    );
  });
});
