// Every allow-list admits where operations run (operations.cidrs): the GKE control planes and SSH
// on the Sakura hosts. Read from the plans the policy tests share (test/policy/plans.ts).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { stackRuns } from "../policy/plans";
import { rawRegion, type StackName } from "../support/stacks";

let plans: Record<StackName, Plan>;

before(async () => {
  const runs = await stackRuns();
  plans = { jp: runs.jp.plan, us: runs.us.plan, uk: runs.uk.plan };
});

function authorizedCidrs(plan: Plan): string[][] {
  return plan.resources
    .filter((resource) => resource.type === "gcp:container/cluster:Cluster")
    .map((cluster) => {
      const config = cluster.inputs.masterAuthorizedNetworksConfig as {
        cidrBlocks: { cidrBlock: string }[];
      };
      return config.cidrBlocks.map((block) => block.cidrBlock);
    });
}

describe("allow-lists", () => {
  it("every GKE control plane admits the network pulumi runs from", () => {
    assert.deepEqual(authorizedCidrs(plans.jp), [["198.51.100.0/24", "203.0.113.0/24"]]);
    assert.deepEqual(authorizedCidrs(plans.us), [["198.51.100.0/24"]]);
    for (const stack of ["jp", "us"] as const) {
      const operations = (rawRegion(stack).operations as { cidrs: string[] }).cidrs;
      for (const cidrs of authorizedCidrs(plans[stack])) {
        for (const cidr of operations) assert.ok(cidrs.includes(cidr), `${stack}: ${cidr}`);
      }
    }
  });

  it("SSH on every Sakura host admits the network pulumi runs from, and no other", () => {
    const filters = plans.jp.resources.filter(
      (resource) => resource.type === "pulumi-nodejs:dynamic/sakuracloud:PacketFilter",
    );
    assert.equal(filters.length, 2);
    for (const filter of filters) {
      const ssh = (filter.inputs.expressions as Record<string, string>[]).filter(
        (rule) => rule.destinationPort === "22",
      );
      assert.deepEqual(
        ssh.map((rule) => [rule.action, rule.sourceNetwork]),
        [["allow", "198.51.100.0/24"]],
        filter.name,
      );
    }
  });
});
