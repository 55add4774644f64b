// The deploy time model: the longest chain of waits, and which dependsOn edges lengthen it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  criticalPath,
  edgeCosts,
  explicitEdges,
  waitsFor,
  withoutEdges,
} from "../../bench/critical-path";
import type { PlannedResource } from "../../tools/plan/plan";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";

function resource(
  name: string,
  fields: Partial<Omit<PlannedResource, "urn" | "name">> = {},
): PlannedResource {
  return {
    urn: `urn:${name}`,
    type: fields.type ?? "test:index:Thing",
    name,
    parent: fields.parent ?? STACK,
    custom: fields.custom ?? true,
    protect: false,
    dependencies: fields.dependencies ?? [],
    inputs: {},
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    ...(fields.provider ? { provider: fields.provider } : {}),
  };
}

const stack = { ...resource("stack", { type: "pulumi:pulumi:Stack", custom: false }), urn: STACK };
const minutes: Record<string, number> = { vpc: 1, db: 15, dns: 1, cluster: 8, pool: 4, app: 2 };
const minutesOf = (r: PlannedResource) => minutes[r.name] ?? 0;

describe("criticalPath", () => {
  it("follows dependencies and sums the longest chain", () => {
    const plan = [
      stack,
      resource("vpc"),
      resource("db", { dependencies: ["urn:vpc"] }),
      resource("dns", { dependencies: ["urn:db"] }),
      resource("cluster", { dependencies: ["urn:vpc"] }),
    ];
    const path = criticalPath(plan, minutesOf);
    assert.equal(path.totalMinutes, 17);
    assert.equal(path.floorMinutes, 15);
    assert.deepEqual(
      path.chain.map((step) => [step.name, step.start, step.finish]),
      [
        ["vpc", 0, 1],
        ["db", 1, 16],
        ["dns", 16, 17],
      ],
    );
  });

  it("makes a resource wait for its provider, which waits for what its inputs came from", () => {
    const plan = [
      stack,
      resource("cluster"),
      resource("pool", { dependencies: ["urn:cluster"] }),
      resource("k8s", { type: "pulumi:providers:kubernetes", dependencies: ["urn:cluster"] }),
      resource("app", { provider: "urn:k8s" }),
    ];
    const path = criticalPath(plan, minutesOf);
    assert.equal(path.totalMinutes, 12);
    assert.deepEqual(
      path.chain.map((step) => step.name),
      ["cluster", "pool"],
    );
    assert.deepEqual(waitsFor(plan[4] as PlannedResource, new Map(plan.map((r) => [r.urn, r]))), [
      "urn:k8s",
    ]);
  });

  it("does not make children wait for a component parent, but does for a custom one", () => {
    const component = resource("site", { custom: false, dependencies: ["urn:db"] });
    const plan = [
      stack,
      resource("db"),
      component,
      resource("vpc", { parent: "urn:site" }),
      resource("app", { parent: "urn:db" }),
    ];
    const byUrn = new Map(plan.map((r) => [r.urn, r]));
    assert.deepEqual(waitsFor(plan[3] as PlannedResource, byUrn), []);
    assert.deepEqual(waitsFor(plan[4] as PlannedResource, byUrn), ["urn:db"]);
    assert.equal(criticalPath(plan, minutesOf).totalMinutes, 17);
  });

  it("rejects a cycle", () => {
    const plan = [
      resource("vpc", { dependencies: ["urn:db"] }),
      resource("db", { dependencies: ["urn:vpc"] }),
    ];
    assert.throws(() => criticalPath(plan, minutesOf), /cycle/);
  });
});

describe("dependsOn edges", () => {
  // pool waits for dns only through dependsOn; app's dependency on pool comes from its inputs.
  const plan = [
    stack,
    resource("vpc"),
    resource("db", { dependencies: ["urn:vpc"] }),
    resource("dns", { dependencies: ["urn:db"] }),
    resource("cluster", { dependencies: ["urn:vpc"] }),
    resource("pool", { dependencies: ["urn:cluster", "urn:dns"] }),
    resource("app", { dependencies: ["urn:pool"] }),
  ];
  const fromInputs = {
    "urn:db": ["urn:vpc"],
    "urn:pool": ["urn:cluster"],
    "urn:app": ["urn:pool"],
  };

  it("are the dependencies that no input carries", () => {
    assert.deepEqual(explicitEdges(plan, fromInputs), [
      { from: "urn:dns", to: "urn:db" },
      { from: "urn:cluster", to: "urn:vpc" },
      { from: "urn:pool", to: "urn:dns" },
    ]);
  });

  it("are costed by how much shorter the deploy gets without each", () => {
    assert.equal(criticalPath(plan, minutesOf).totalMinutes, 23);
    const costs = edgeCosts(plan, minutesOf, explicitEdges(plan, fromInputs));
    // Without dns -> db, dns is done at 1 and the pool waits only for the cluster (9 + 4 + 2);
    // the database alone then ends last, at 16.
    assert.deepEqual(
      costs.map((cost) => [cost.edge.from, cost.edge.to, cost.savesMinutes]),
      [
        ["urn:dns", "urn:db", 7],
        ["urn:pool", "urn:dns", 6],
        ["urn:cluster", "urn:vpc", 0],
      ],
    );
    assert.equal(withoutEdges(plan, minutesOf, explicitEdges(plan, fromInputs)), 16);
  });
});
