// The real program end to end: architecture.svg for every stack, the offline-preview scripts of
// CI, and a diff that must flag a stateful resource the head no longer has.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";
import { assertWellFormedXml, svgTexts } from "./plans";

const run = promisify(execFile);
const env = { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1" };

function planCli(args: string[]) {
  return run(process.execPath, [...TS_ROUTE, join(projectDir, "tools/plan/cli.ts"), ...args], {
    cwd: projectDir,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

const work = mkdtempSync(join(tmpdir(), "multicloud-delivery-"));
const preview = join(work, "preview");
/** The SVG of each stack: jp and us from `--out`, uk from CI's offline-plans.sh. */
const svgPath = {
  jp: join(work, "jp", "architecture.svg"),
  us: join(work, "us", "architecture.svg"),
  uk: join(preview, "head", "uk", "architecture.svg"),
};

before(async () => {
  // An empty directory stands for a base commit that cannot plan: the script compares with nothing.
  const noBase = mkdtempSync(join(tmpdir(), "multicloud-nobase-"));
  await Promise.all([
    planCli(["--stack", "jp", "--out", join(work, "jp")]),
    planCli(["--stack", "us", "--out", join(work, "us")]),
    run(join(projectDir, "tools/ci/offline-plans.sh"), [noBase, projectDir, preview, "uk"], {
      cwd: projectDir,
      env,
    }),
  ]);
});

describe("architecture.svg", () => {
  const expected: Record<keyof typeof svgPath, string[]> = {
    jp: [
      "Region jp: example.jp",
      "Sakura Internet tk1a",
      "dedicated servers",
      "nginx x3",
      "app x4",
      "mysql x2",
      "memcached x2",
      "util x3",
      "chocon x2",
      "GKE asia-northeast1",
      "API gateway",
      "round robin to nginx, 3 health checks",
      "pooled HTTPS to GKE asia-northeast1",
    ],
    us: [
      "Region us: example.com",
      "Application Load Balancer",
      "nginx x3",
      "app x6",
      "RDS MySQL 8.4 x2",
      "Route53 private zone local.",
      "GKE us-west1",
      "Secrets Manager",
    ],
    uk: [
      "Region uk: example.co.uk",
      "Cloud Load Balancer",
      "nginx x2",
      "app x4",
      "mysql x2",
      "data disk 300 GB each",
      "Cloud DNS private zone local.",
      "every host (15): unbound + Consul agent",
    ],
  };
  for (const stack of ["jp", "us", "uk"] as const) {
    it(`is drawn for ${stack}: well-formed, with the region's boxes`, () => {
      const svg = readFileSync(svgPath[stack], "utf8");
      assertWellFormedXml(svg);
      const texts = svgTexts(svg);
      for (const label of expected[stack])
        assert.ok(texts.includes(label), `${stack}: "${label}" not in ${texts.join(" | ")}`);
      const boxes = (svg.match(/<g id="node\d+" class="node">/g) ?? []).length;
      assert.ok(boxes >= 10 && boxes <= 25, `${stack} has ${boxes} boxes`);
    });
  }
});

describe("CI's offline preview scripts", () => {
  it("offline-plans.sh compares with an empty plan when the base cannot plan", () => {
    const markdown = readFileSync(join(preview, "uk.md"), "utf8");
    const head = JSON.parse(readFileSync(join(preview, "head", "uk", "plan.json"), "utf8")) as Plan;
    assert.ok(head.resources.length > 100);
    assert.ok(
      markdown.startsWith(
        `### Stack \`uk\`: ${head.resources.length} to add, 0 to remove, 0 to replace, 0 to update\n`,
      ),
      markdown.slice(0, 200),
    );
    assert.match(markdown, /every resource shows as added\.\n/);
    // The policy pack's verdict follows the diff.
    assert.match(markdown, /```text\nPolicies: \d+ rules, no violations\.\n```\n$/);
    assert.equal(
      JSON.parse(readFileSync(join(preview, "base", "uk.json"), "utf8")).resources.length,
      0,
    );
  });

  it("preview-comment.sh starts with the marker and holds each stack's section", async () => {
    const parts = mkdtempSync(join(tmpdir(), "comment-parts-"));
    mkdirSync(join(parts, "offline-preview"));
    copyFileSync(join(preview, "uk.md"), join(parts, "offline-preview", "uk.md"));
    const { stdout } = await run(
      join(projectDir, "tools/ci/preview-comment.sh"),
      [parts, "a".repeat(40), "b".repeat(40), "skipped", "https://example.invalid/artifact"],
      { env },
    );
    assert.equal(stdout.split("\n")[0], "<!-- multicloud-preview -->");
    assert.match(stdout, /Head `bbbbbbbbbbbb` against base `aaaaaaaaaaaa`/);
    assert.match(stdout, /\[download the artifact\]\(https:\/\/example\.invalid\/artifact\)/);
    assert.ok(stdout.includes(readFileSync(join(preview, "uk.md"), "utf8")));
    assert.match(
      stdout,
      /Real preview: not run \(a pull request from a fork, or the tests failed\)/,
    );
  });
});

describe("npm run plan -- --diff BASE.json --markdown", () => {
  it("flags a stateful resource that the base has and the head no longer has", async () => {
    const head = JSON.parse(readFileSync(join(preview, "head", "uk", "plan.json"), "utf8")) as Plan;
    const disk = head.resources.find((r) => r.name === "uk-gcp-hosts-mysql-2-data");
    assert.ok(disk?.protect, "the uk plan has a protected MySQL data disk");
    // The base: one more MySQL data disk than the head, as before a host was taken away.
    const extra: PlannedResource = {
      ...disk,
      urn: disk.urn.replace("mysql-2-data", "mysql-3-data"),
      name: "uk-gcp-hosts-mysql-3-data",
      inputs: { ...disk.inputs, name: "uk-mysql-3-data" },
    };
    const base = join(work, "uk-base.json");
    writeFileSync(base, JSON.stringify({ ...head, resources: [...head.resources, extra] }));
    const { stdout } = await planCli(["--stack", "uk", "--diff", base, "--markdown"]);
    assert.match(
      stdout,
      /^### Stack `uk`: 0 to add, 1 to remove, 0 to replace, 0 to update :red_circle: \*\*DANGER\*\*$/m,
    );
    assert.ok(
      stdout.includes(
        "| :red_circle: **DANGER** | `gcp:compute/disk:Disk` | `uk-gcp-hosts-mysql-3-data` | deletes a protected GCE disk |",
      ),
      stdout,
    );
    assert.match(
      stdout,
      /^- +[│ ]*[├└]─ gcp:compute\/disk:Disk +uk-gcp-hosts-mysql-3-data .*DANGER: deletes a protected GCE disk$/m,
    );
    assert.match(
      stdout,
      /^- :red_circle: \*\*DANGER\*\* `gcp:compute\/disk:Disk uk-gcp-hosts-mysql-3-data`/m,
    );
  });
});

describe("npm run plan -- --new-project", () => {
  it("plans the first up in a new project: the network waits for Compute's API, else it does not", async () => {
    const file = join(work, "uk-new-project.json");
    await planCli(["--stack", "uk", "--new-project", "--json", file]);
    const fresh = JSON.parse(readFileSync(file, "utf8")) as Plan;
    const head = JSON.parse(readFileSync(join(preview, "head", "uk", "plan.json"), "utf8")) as Plan;
    const wait =
      "urn:pulumi:uk::multicloud::multicloud:index:Region$multicloud:gcp:Site$pulumi-nodejs:dynamic/multicloud:GoogleApiWait::uk-gcp-api-compute-wait";
    const network = (plan: Plan) => plan.resources.find((r) => r.name === "uk-gcp-network-vpc");
    assert.ok(network(fresh)?.dependencies.includes(wait), "the new project's network waits");
    assert.ok(network(head)?.dependencies.includes(wait) === false, "the running one's does not");
    assert.deepEqual(
      fresh.resources.map((r) => r.urn),
      head.resources.map((r) => r.urn),
      "the same resources either way",
    );
  });
});
