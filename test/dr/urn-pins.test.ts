// No refactor silently changes the URN of a stateful resource: a resource whose URN changes is
// deleted and created anew by Pulumi (a database, a disk, a Consul server, a zone...). The URNs of
// every protected resource of every stack are pinned in stateful-urns.json; a changed one must be
// listed in the new resource's `aliases`, or the pin must be updated on purpose.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { projectDir, stacks } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";
import { checkPins, engineUrns, type PinFile, statefulUrns } from "./urn-pins";

const PIN_FILE = join(__dirname, "stateful-urns.json");
const UPDATE =
  "UPDATE_URN_PINS=1 node --require ./tools/ts-loader.cjs --test test/dr/urn-pins.test.ts";

/** One offline plan per stack, each in its own process (Pulumi's runtime is global). */
function planOf(stack: string, dir: string): Promise<Plan> {
  const json = join(dir, `${stack}.json`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...TS_ROUTE, "tools/plan/cli.ts", "--stack", stack, "--json", json],
      { cwd: projectDir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`plan of ${stack} failed: ${stderr}`));
        else resolve(JSON.parse(readFileSync(json, "utf8")) as Plan);
      },
    );
  });
}

describe("pinned URNs of stateful resources", () => {
  const plans = new Map<string, Plan>();
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "multicloud-pins-"));
    const done = await Promise.all(stacks.map((stack) => planOf(stack, dir)));
    stacks.forEach((stack, index) => {
      const plan = done[index];
      if (plan) plans.set(stack, plan);
    });
    if (process.env.UPDATE_URN_PINS === "1") {
      const pins: PinFile = Object.fromEntries(
        stacks.map((stack) => [stack, statefulUrns(plans.get(stack) as Plan)]),
      );
      writeFileSync(PIN_FILE, `${JSON.stringify(pins, null, 2)}\n`);
    }
  });

  it("every pinned URN is still created, or answered by an alias; every stateful URN is pinned", () => {
    const pins = JSON.parse(readFileSync(PIN_FILE, "utf8")) as PinFile;
    assert.deepEqual(Object.keys(pins).sort(), [...stacks].sort(), "a pin list per stack");
    const report: string[] = [];
    for (const stack of stacks) {
      const plan = plans.get(stack);
      assert.ok(plan, `no plan of ${stack}`);
      const { lost, unpinned } = checkPins(pins[stack] ?? [], plan);
      for (const urn of lost) report.push(`  ${stack}: no longer created: ${urn}`);
      for (const urn of unpinned) report.push(`  ${stack}: not pinned: ${urn}`);
    }
    assert.equal(
      report.length,
      0,
      [
        "Stateful resources changed (Pulumi would delete the old and create a new one):",
        ...report,
        "A renamed or moved resource keeps its state with `aliases: [<old URN>]` on the new one",
        "(or an alias of one of its parents). For a deliberate change (a resource really added or",
        `removed), update the pins with \`${UPDATE}\`, review the diff of test/dr/stateful-urns.json`,
        "and commit it.",
      ].join("\n"),
    );
  });

  it("the pins cover what must survive: databases, their disks, Consul servers, public zones", () => {
    const pins = JSON.parse(readFileSync(PIN_FILE, "utf8")) as PinFile;
    const has = (stack: string, pattern: RegExp) =>
      assert.ok(
        (pins[stack] ?? []).some((urn) => pattern.test(urn)),
        `${stack}: ${pattern}`,
      );
    for (const stack of stacks) {
      has(stack, /multicloud:dns:PublicZone\$aws:route53\/zone:Zone::/);
      has(
        stack,
        /ConsulSecrets\$random:index\/randomUuid:RandomUuid::\w+-consul-management-token$/,
      );
    }
    has("us", /\$aws:rds\/instance:Instance::us-aws-db-accounts-instance$/);
    has("us", /\$aws:ebs\/volume:Volume::us-aws-fleet-mysql-1-data$/);
    has("us", /\$aws:ec2\/instance:Instance::us-aws-fleet-mysql-1-instance$/);
    has("us", /\$aws:ec2\/instance:Instance::us-aws-fleet-util-3-instance$/);
    has("uk", /\$gcp:compute\/disk:Disk::uk-gcp-hosts-mysql-2-data$/);
    has("uk", /\$gcp:compute\/instance:Instance::uk-gcp-hosts-mysql-1$/);
    has("uk", /\$gcp:compute\/instance:Instance::uk-gcp-hosts-util-1$/);
    has("jp", /jp-sakura-util-1$/);
    has("jp", /jp-sakura-util-1-disk$/);
    // Engine URNs: the whole chain of parent types below the stack.
    has("us", /^urn:pulumi:us::multicloud::multicloud:index:Region\$multicloud:aws:Site\$/);
  });
});

describe("the pin check", () => {
  const resource = (
    name: string,
    type: string,
    parent: string | undefined,
    extra: Partial<PlannedResource> = {},
  ): PlannedResource => ({
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    ...(parent ? { parent } : {}),
    custom: !type.startsWith("my:"),
    protect: false,
    dependencies: [],
    inputs: {},
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    ...extra,
  });
  const stack = resource("p-s", "pulumi:pulumi:Stack", undefined);
  const site = (name: string, aliases: string[] = []) =>
    resource(name, "my:Site", stack.urn, { aliases });
  const db = (name: string, parent: PlannedResource, aliases: string[] = []) =>
    resource(name, "aws:rds/instance:Instance", parent.urn, { protect: true, aliases });
  const plan = (...resources: PlannedResource[]): Plan => ({
    stack: "s",
    project: "p",
    resources: [stack, ...resources],
    outputs: {},
  });
  const pinned = ["urn:pulumi:s::p::my:Site$aws:rds/instance:Instance::db"];

  it("forms engine URNs from the chain of parents", () => {
    const parent = site("site");
    const child = db("db", parent);
    assert.equal(
      engineUrns(plan(parent, child)).get(child.urn),
      "urn:pulumi:s::p::my:Site$aws:rds/instance:Instance::db",
    );
  });

  it("passes when nothing changed, fails when a URN changed without an alias", () => {
    const parent = site("site");
    assert.deepEqual(checkPins(pinned, plan(parent, db("db", parent))), { lost: [], unpinned: [] });
    const renamed = checkPins(pinned, plan(parent, db("database", parent)));
    assert.deepEqual(renamed.lost, pinned);
    assert.deepEqual(renamed.unpinned, [
      "urn:pulumi:s::p::my:Site$aws:rds/instance:Instance::database",
    ]);
  });

  it("passes when the renamed resource lists its old URN, or inherits it from a renamed parent", () => {
    const parent = site("site");
    assert.deepEqual(checkPins(pinned, plan(parent, db("database", parent, pinned))), {
      lost: [],
      unpinned: [],
    });
    const movedParent = site("region-site", ["urn:pulumi:s::p::my:Site::site"]);
    assert.deepEqual(checkPins(pinned, plan(movedParent, db("db", movedParent))), {
      lost: [],
      unpinned: [],
    });
  });

  it("fails when a resource stops being protected", () => {
    const parent = site("site");
    const unprotected = resource("db", "aws:rds/instance:Instance", parent.urn);
    assert.deepEqual(checkPins(pinned, plan(parent, unprotected)).lost, pinned);
  });
});
