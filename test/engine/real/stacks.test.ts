// `npm run test:engine`: the real Pulumi engine (the CLI built by tools/peers/build.sh pulumi, or
// the user's own with MULTICLOUD_PULUMI=/path/to/pulumi) runs the program on every stack, on a
// local file backend with a passphrase, with stand-in cloud plugins and the loopback Sakura API.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { drLine, type StackSummary, stackLine } from "../../../tools/engine/summary";
import type { EngineWorkspace } from "../../../tools/engine/workspace";
import { offlineConfig } from "../../../tools/plan/offline-config";
import { FakeSakuraApi } from "../../sakura/fake-api";
import { addUbuntuArchives } from "../../sakura/harness";
import { projectDir } from "../../support/stacks";
import { EngineRun, type StackSetup } from "./engine-run";
import { engineWorkspace, removeEngineWorkspace } from "./engine-workspace";

const SAKURA_TOKEN = "engine-test-token-5d1e";
const SAKURA_SECRET = "engine-test-secret-93ab";
const SSH_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nengine-test-key-not-a-real-one-7c41\n-----END OPENSSH PRIVATE KEY-----\n";

const API_WAIT_SECONDS = 5;
const lines: string[] = [];
let workspace: EngineWorkspace;
let run: EngineRun;
let sakura: FakeSakuraApi;
let sakuraRoot: string;

before(async () => {
  workspace = engineWorkspace(["jp", "us", "uk"]);
  // The language host's stand-in notes each program it starts here.
  workspace.env.MULTICLOUD_LANGUAGE_HOST_LOG = join(workspace.root, "language-host.log");
  run = new EngineRun(workspace, projectDir);
  // The waits after enabling Google Cloud APIs run for real in the dynamic provider host: five
  // seconds each prove what the stacks' minute would, in less time.
  for (const stack of ["jp", "us", "uk"])
    run.editStack(stack, [{ path: ["googleApiWaitSeconds"], value: API_WAIT_SECONDS }]);
  sakura = new FakeSakuraApi("tk1a", SAKURA_TOKEN, SAKURA_SECRET);
  // Sakura's public Ubuntu 24.04 archives, the cloud-init one among them.
  addUbuntuArchives(sakura);
  sakuraRoot = await sakura.start();
});

after(async () => {
  await sakura?.stop();
  for (const line of lines) console.log(line);
  removeEngineWorkspace(workspace);
});

const plain: StackSetup = { secrets: {}, config: { ...offlineConfig } };

function setupOf(stack: string): StackSetup {
  if (stack !== "jp") return plain;
  return {
    secrets: {
      "multicloud:sshPrivateKey": SSH_KEY,
      "sakuracloud:token": SAKURA_TOKEN,
      "sakuracloud:secret": SAKURA_SECRET,
    },
    config: { ...offlineConfig, "sakuracloud:apiRootUrl": sakuraRoot },
  };
}

/** Pairs in the order of their first element (the engine reports steps as they come). */
function byName(a: unknown[], b: unknown[]): number {
  return String(a[0]).localeCompare(String(b[0]));
}

/**
 * The state as the program left it before its waits recorded `enabledBefore`: the same export
 * without that field in any wait's inputs or outputs.
 */
function withoutEnabledBefore(exported: unknown): { state: unknown; waits: number } {
  const state = structuredClone(exported) as {
    deployment: { resources: { type: string; inputs?: object; outputs?: object }[] };
  };
  let waits = 0;
  for (const resource of state.deployment.resources) {
    if (resource.type !== "pulumi-nodejs:dynamic/multicloud:GoogleApiWait") continue;
    waits++;
    for (const properties of [resource.inputs, resource.outputs])
      if (properties) delete (properties as { enabledBefore?: unknown }).enabledBefore;
  }
  return { state, waits };
}

function record(summary: StackSummary): void {
  lines.push(stackLine(summary));
}

describe("the real Pulumi engine runs the program", { concurrency: 1 }, () => {
  for (const stack of ["us", "uk", "jp"]) {
    it(`${stack}: preview, up, no changes, destroy refused, same URNs and policy verdicts`, async () => {
      record(await run.wholeStack(stack, setupOf(stack)));
      if (stack === "jp") {
        // The dynamic providers made jp's Sakura Cloud side through the API, and destroy took
        // none of it away: 3 nginx, 2 memcached, 3 util and 2 chocon servers with a disk each,
        // the private switch and the two packet filters.
        assert.deepEqual(
          {
            servers: sakura.servers.size,
            up: [...sakura.servers.values()].filter((s) => s.Instance?.Status === "up").length,
            disks: sakura.disks.size,
            switches: sakura.switches.size,
            packetFilters: sakura.packetFilters.size,
          },
          { servers: 10, up: 10, disks: 10, switches: 1, packetFilters: 2 },
        );
      }
    });
  }

  it("uk: a state from before the waits recorded whether their API was on previews with no changes", async () => {
    const exported = await run.exported("uk");
    const older = withoutEnabledBefore(exported);
    assert.ok(older.waits > 0, "uk's state holds no wait");
    await run.importState("uk", older.state);
    const preview = await run.preview("uk", { expectNoChanges: true });
    assert.equal(
      preview.error,
      undefined,
      `the preview of the older state failed:\n${preview.error}`,
    );
    assert.deepEqual(
      preview.steps.filter((step) => step.op !== "same").map((step) => `${step.op} ${step.urn}`),
      [],
    );
    await run.importState("uk", exported);
  });

  it("the language host started each program as Pulumi.yaml says, and the policy pack by RunPlugin", () => {
    const starts = run.languageHostStarts();
    const programs = starts.filter((start) => start.plugin === undefined);
    const packs = starts.filter((start) => start.plugin !== undefined);
    // Per stack: the first preview, up, the second preview and the policy preview.
    assert.ok(programs.length >= 12, `the language host started ${programs.length} programs`);
    for (const start of programs) {
      assert.deepEqual(start.args.slice(0, 2), ["--require", "./tools/ts-loader.cjs"]);
      assert.match(start.args[2] ?? "", /\/node_modules\/@pulumi\/pulumi\/cmd\/run\/index\.js$/);
      assert.equal(start.args.at(-1), ".");
      assert.equal(start.options?.typescript, false);
    }
    assert.ok(packs.length >= 3, `the language host started ${packs.length} policy packs`);
    for (const start of packs) {
      assert.equal(start.plugin, "analyzer");
      assert.match(start.args[0] ?? "", /\/@pulumi\/pulumi\/cmd\/run-policy-pack\/index\.js$/);
      assert.equal(start.args.at(-1), join(projectDir, "policy"));
    }
  });

  it("dr: the rebuild of us reads drBackups through the stack reference", async () => {
    let readBackups = false;
    try {
      readBackups = await run.drRebuild("us", "us-east-1");
    } finally {
      lines.push(drLine("us-dr", readBackups));
    }
  });

  it("dr: the rebuild of uk makes each MySQL disk from the latest snapshot and tells its host the snapshot's time", async () => {
    const preview = await run.rebuildPreview("uk", "europe-west1");
    const disks = preview.steps
      .filter((step) => step.type === "gcp:compute/disk:Disk" && step.urn.endsWith("-data"))
      .map((step) => [step.urn.split("::").at(-1), step.inputs?.snapshot])
      .sort(byName);
    // The stand-in answers a lookup of a disk's latest snapshot with <disk>-offline-latest, made
    // 2025-06-10T04:00:12-07:00 (tools/plan/offline-answers.ts).
    const link = (disk: string) =>
      `https://www.googleapis.com/compute/v1/projects/example-uk-prod/global/snapshots/${disk}-offline-latest`;
    assert.deepEqual(disks, [
      ["ukdr-gcp-hosts-mysql-1-data", link("uk-mysql-1-data")],
      ["ukdr-gcp-hosts-mysql-2-data", link("uk-mysql-2-data")],
    ]);
    const points = preview.steps
      .filter((step) => step.type === "gcp:compute/instance:Instance")
      .map((step) => {
        const metadata = step.inputs?.metadata as Record<string, string> | undefined;
        return [step.urn.split("::").at(-1), metadata?.["multicloud-recovery-point"]];
      })
      .filter(([, point]) => point !== undefined)
      .sort(byName);
    assert.deepEqual(points, [
      ["ukdr-gcp-hosts-mysql-1", "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest"],
      ["ukdr-gcp-hosts-mysql-2", "2025-06-10T11:00:12Z uk-mysql-2-data-offline-latest"],
    ]);
  });

  it("an error in the region's last part (the alerts) fails pulumi up with its message", {
    timeout: 600_000,
  }, async () => {
    // Paging through PagerDuty without the integration keys: the alerts, built after every other
    // part of the region went to the engine, refuse a `pulumi up`. A stack of its own, uk's with
    // a range of its own (regions' ranges must not overlap).
    const failed = await run.failedUp(
      "uk-paging",
      "uk",
      [
        { path: ["network", "cidr"], value: "10.99.0.0/16" },
        { path: ["alerts", "pagerDuty"], value: true },
      ],
      plain,
    );
    const message =
      "Pulumi.uk-paging.yaml: multicloud:pagerDutyCloudWatchKey is missing: alerts.pagerDuty " +
      "pages through PagerDuty";
    assert.ok(failed.error.includes(message), failed.error);
    // Reported once: the program's runner prints it and exits 32, after which the language host
    // adds nothing (the SDK's inline server, which serves Automation API programs, reports it a
    // second time).
    assert.deepEqual(
      failed.errors.map((error) => error.startsWith(message)),
      [true],
      failed.errors.join("\n"),
    );
  });

  it("policy: us edited to break three rules gets the offline plan's violations", async () => {
    const broken = await run.brokenStackPolicy("us", [
      { path: ["aws", "rds", 0, "multiAz"], value: false },
      { path: ["aws", "rds", 0, "deletionProtection"], value: false },
      // An access key id pasted into a path that every nginx host's configuration carries.
      { path: ["front", "healthCheckPath"], value: "/healthz/AKIAIOSFODNN7ABCDEFG" },
    ]);
    assert.deepEqual(broken, [
      "aws-rds-deletion-protection",
      "aws-rds-multi-az",
      "no-secrets-in-user-data",
    ]);
  });
});
