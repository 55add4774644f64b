// The first `pulumi up` of a region whose domain is new, as the README's "A new domain" runs it,
// with the real engine on a fresh copy of us: the zone is created while the up still runs, its
// name servers are read then with `npm run name-servers`, and the finished up gives the same ones
// as the stack output. A targeted up of the zone alone, the other way one might try, is refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pulumi, pulumiOk } from "../../../tools/engine/processes";
import type { EngineWorkspace } from "../../../tools/engine/workspace";
import { offlineConfig } from "../../../tools/plan/offline-config";
import { projectDir } from "../../support/stacks";
import { EngineRun } from "./engine-run";
import { engineWorkspace, removeEngineWorkspace } from "./engine-workspace";

// The waits after enabling us's Google Cloud APIs hold the up open, as ACM's validation holds a
// real first up open until the domain is delegated: long enough to read the name servers in.
const API_WAIT_SECONDS = 20;
// The four name servers the stand-in aws plugin gives every zone it creates.
const STAND_IN_NAME_SERVERS = [
  "ns-1.awsdns-00.com",
  "ns-2.awsdns-00.net",
  "ns-3.awsdns-00.org",
  "ns-4.awsdns-00.co.uk",
];

let workspace: EngineWorkspace;
let run: EngineRun;

before(async () => {
  workspace = engineWorkspace(["us"]);
  // `npm run name-servers` runs in the copy as in a checkout.
  for (const entry of ["tools/dns", "tools/exit-when-drained.ts"])
    cpSync(join(projectDir, entry), join(workspace.projectDir, entry), { recursive: true });
  run = new EngineRun(workspace, projectDir);
  run.editStack("us", [{ path: ["googleApiWaitSeconds"], value: API_WAIT_SECONDS }]);
  await run.initStack("us", { secrets: {}, config: { ...offlineConfig } });
});

after(() => {
  removeEngineWorkspace(workspace);
});

/** `npm run name-servers -- --stack S` in the copy: its exit code and the lines it printed. */
function nameServers(stack: string): Promise<{ code: number; names: string[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "name-servers", "--", "--stack", stack],
      { cwd: workspace.projectDir, env: workspace.env, encoding: "utf8" },
      (error, stdout, stderr) => {
        // npm's own lines (`> multicloud@... name-servers`) start with `>`.
        const names = stdout.split("\n").filter((line) => line !== "" && !line.startsWith(">"));
        resolve({ code: error ? Number(error.code ?? 1) : 0, names, stderr });
      },
    );
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a new domain's first pulumi up", { concurrency: 1 }, () => {
  it("creates the zone first; its name servers are read while the up runs, then from the output", {
    timeout: 600_000,
  }, async () => {
    // Targeting the zone and its two parents is refused: explicit providers are always part of a
    // targeted up, and their parents and dependencies (components, API waits) are not.
    const region = "urn:pulumi:us::multicloud::multicloud:index:Region";
    const targeted = await pulumi(workspace, [
      "preview",
      "-s",
      "us",
      "--target",
      `${region}::us`,
      "--target",
      `${region}$multicloud:dns:PublicZone::us-public`,
      "--target",
      `${region}$multicloud:dns:PublicZone$aws:route53/zone:Zone::us-public-zone`,
    ]);
    assert.notEqual(targeted.code, 0, "a targeted preview of the zone alone succeeded");
    assert.match(
      targeted.stdout + targeted.stderr,
      /pulumi:providers:aws::us-aws-aws' depends on '[^']*multicloud:aws:Site::us-aws' which was was not specified in --target list/,
    );

    // Before the first up the state holds no zone, and the tool says so.
    const before = await nameServers("us");
    assert.equal(before.code, 1, before.stderr);
    assert.match(before.stderr, /stack us: its state holds no public zone yet/);

    let upEnded = false;
    const started = Date.now();
    const up = pulumi(workspace, ["up", "--yes", "-s", "us"]).finally(() => {
      upEnded = true;
    });
    let read: { code: number; names: string[]; stderr: string } | undefined;
    let readWhileRunning = false;
    let readAfter = 0;
    while (!upEnded) {
      const attempt = await nameServers("us");
      if (attempt.code === 0) {
        read = attempt;
        readWhileRunning = !upEnded;
        readAfter = Date.now() - started;
        break;
      }
      await delay(1000);
    }
    const done = await up;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `engine first domain: name servers read ${seconds(readAfter)} s into an up of ${seconds(Date.now() - started)} s`,
    );
    assert.equal(done.code, 0, `pulumi up -s us failed:\n${done.stdout.slice(-3000)}`);
    assert.ok(read, "npm run name-servers never printed the name servers during the up");
    assert.ok(readWhileRunning, "the name servers were read only after the up had ended");
    assert.deepEqual(read.names, STAND_IN_NAME_SERVERS);

    // Once the up has finished, the stack output gives the same name servers.
    const output = JSON.parse(
      await pulumiOk(workspace, ["stack", "output", "nameServers", "--json", "-s", "us"]),
    ) as unknown;
    assert.deepEqual(output, STAND_IN_NAME_SERVERS);
    assert.deepEqual((await nameServers("us")).names, STAND_IN_NAME_SERVERS);
  });
});
