// Consul's join, checked over each stack's whole plan (tools/plan/consul-join.ts): the auto-join
// query finds exactly the Consul servers (AWS instance tags, GCE network tags, Sakura's static
// addresses). Then the same plans, broken the ways a refactor could break them, must fail.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { promisify } from "node:util";
import { checkConsulJoin } from "../../tools/plan/consul-join";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { TS_ROUTE } from "../support/ts-route";
import { loadStack, STACKS, type Stack, scratchDir } from "./support";

const exec = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const plans = new Map<Stack, Plan>();

/** The plan of a stack as `npm run plan -- --json` writes it. */
async function planOf(stack: Stack): Promise<Plan> {
  const file = join(scratchDir(`plan-${stack}`), "plan.json");
  await exec(
    process.execPath,
    [...TS_ROUTE, "tools/plan/cli.ts", "--stack", stack, "--json", file],
    {
      cwd: ROOT,
      timeout: 120_000,
    },
  );
  return JSON.parse(readFileSync(file, "utf8")) as Plan;
}

/** Dedicated servers' addresses, which the plan cannot show (they are ordered by hand). */
function dedicatedAddresses(stack: Stack): Record<string, string> {
  const spec = loadStack(stack);
  return spec.cloud === "sakura"
    ? Object.fromEntries(spec.sakura.dedicated.map((server) => [server.name, server.address]))
    : {};
}

function named(plan: Plan, name: string): PlannedResource {
  const resource = plan.resources.find((candidate) => candidate.name === name);
  assert.ok(resource, name);
  return resource;
}

/** The plan with one resource's inputs changed. */
function withInputs(
  plan: Plan,
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): Plan {
  return {
    ...plan,
    resources: plan.resources.map((resource) =>
      resource.name === name
        ? { ...resource, inputs: change(structuredClone(resource.inputs)) }
        : resource,
    ),
  };
}

function userDataOf(resource: PlannedResource): string {
  const raw = resource.inputs.cloudInitUserData;
  return typeof raw === "string" && raw.startsWith('"') ? (JSON.parse(raw) as string) : String(raw);
}

describe("Consul join matches exactly the Consul servers", { concurrency: true }, () => {
  before(async () => {
    const built = await Promise.all(
      STACKS.map(async (stack) => [stack, await planOf(stack)] as const),
    );
    for (const [stack, plan] of built) plans.set(stack, plan);
  });

  for (const stack of STACKS) {
    test(`${stack}: the plan's join finds its util hosts and nothing else`, () => {
      const plan = plans.get(stack);
      assert.ok(plan);
      assert.deepEqual(checkConsulJoin(plan, dedicatedAddresses(stack)), []);
    });
  }

  test("uk: the util hosts carry the network tag the gce auto-join asks for; no other host does", () => {
    const plan = plans.get("uk");
    assert.ok(plan);
    for (const util of ["uk-gcp-hosts-util-1", "uk-gcp-hosts-util-2", "uk-gcp-hosts-util-3"])
      assert.deepEqual(named(plan, util).inputs.tags, ["util", "consul-server-uk"]);
    for (const other of [
      "uk-gcp-hosts-chocon-1",
      "uk-gcp-hosts-mysql-1",
      "uk-gcp-app-template",
      "uk-gcp-nginx-template",
    ])
      assert.ok(!(named(plan, other).inputs.tags as string[]).includes("consul-server-uk"), other);
    const userData = (named(plan, "uk-gcp-hosts-util-1").inputs.metadata as Record<string, string>)[
      "user-data"
    ];
    assert.ok(
      userData?.includes('"provider=gce project_name=example-uk-prod tag_value=consul-server-uk"'),
    );
  });

  test("uk: the tags it had before (consul-<datacenter> on every host) fail the check", () => {
    const plan = plans.get("uk");
    assert.ok(plan);
    let broken = plan;
    for (const resource of plan.resources.filter((r) =>
      r.type.startsWith("gcp:compute/instance"),
    )) {
      const role = (resource.inputs.tags as string[])[0];
      broken = withInputs(broken, resource.name, (inputs) => ({
        ...inputs,
        tags: [role, "consul-europe-west2"],
      }));
    }
    const problems = checkConsulJoin(broken);
    assert.ok(
      problems.includes(
        "retry_join (provider=gce project_name=example-uk-prod tag_value=consul-server-uk) does not find the Consul servers uk-gcp-hosts-util-1, uk-gcp-hosts-util-2, uk-gcp-hosts-util-3",
      ),
      problems.join("\n"),
    );
  });

  test("us: a util host without the tag, or another host with it, fails the check", () => {
    const plan = plans.get("us");
    assert.ok(plan);
    const untagged = withInputs(plan, "us-aws-fleet-util-2-instance", (inputs) => {
      const tags = { ...(inputs.tags as Record<string, string>) };
      delete tags["consul-server"];
      return { ...inputs, tags };
    });
    assert.deepEqual(checkConsulJoin(untagged), [
      "retry_join (provider=aws region=us-west-2 tag_key=consul-server tag_value=consul-server-us) does not find the Consul servers us-aws-fleet-util-2-instance",
    ]);
    const stray = withInputs(plan, "us-aws-fleet-chocon-1-instance", (inputs) => ({
      ...inputs,
      tags: { ...(inputs.tags as Record<string, string>), "consul-server": "consul-server-us" },
    }));
    assert.deepEqual(checkConsulJoin(stray), [
      "retry_join (provider=aws region=us-west-2 tag_key=consul-server tag_value=consul-server-us) also finds us-aws-fleet-chocon-1-instance, which are no Consul servers",
    ]);
  });

  test("jp: a util host at an address the static join does not list fails the check", () => {
    const plan = plans.get("jp");
    assert.ok(plan);
    const moved = withInputs(plan, "jp-sakura-util-3", (inputs) => ({
      ...inputs,
      cloudInitUserData: userDataOf(named(plan, "jp-sakura-util-3")).replace(
        "10.10.68.18/16",
        "10.10.68.40/16",
      ),
    }));
    const problems = checkConsulJoin(moved, dedicatedAddresses("jp"));
    assert.ok(
      problems.includes('retry_join "10.10.68.18" finds no Consul server') &&
        problems.includes(
          "retry_join (10.10.68.16, 10.10.68.17, 10.10.68.18) does not find the Consul servers jp-sakura-util-3",
        ),
      problems.join("\n"),
    );
  });
});
