// The deploy time model: the longest chain of waits, and which dependsOn edges lengthen it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  apiEnablementEdges,
  criticalPath,
  dataOnlyPath,
  edgeCosts,
  explicitEdges,
  neededPath,
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

describe("locks and the data-only path", () => {
  // Three IAM members under one project lock; the third also waits for db through dependsOn.
  const plan = [
    stack,
    resource("db"),
    resource("m1"),
    resource("m2"),
    resource("m3", { dependencies: ["urn:db"] }),
  ];
  const iamMinutes: Record<string, number> = { db: 15, m1: 2, m2: 2, m3: 2 };
  const iamMinutesOf = (r: PlannedResource) => iamMinutes[r.name] ?? 0;
  const lockOf = (r: PlannedResource) => (r.name.startsWith("m") ? "iam-project-p" : undefined);

  it("creates resources that share a lock one at a time, in the order they become ready", () => {
    assert.equal(criticalPath(plan, iamMinutesOf).totalMinutes, 17);
    const path = criticalPath(plan, iamMinutesOf, { lockOf });
    // m1 0-2, m2 2-4 (held by m1), m3 ready at 15 once db is done, the lock long free: 17.
    assert.equal(path.totalMinutes, 17);
    const parallel = [stack, resource("m1"), resource("m2"), resource("m3")];
    assert.equal(criticalPath(parallel, iamMinutesOf).totalMinutes, 2);
    const locked = criticalPath(parallel, iamMinutesOf, { lockOf });
    assert.equal(locked.totalMinutes, 6);
    assert.deepEqual(
      locked.chain.map((step) => [step.name, step.start, step.finish]),
      [
        ["m1", 0, 2],
        ["m2", 2, 4],
        ["m3", 4, 6],
      ],
    );
  });

  it("leaves out every dependsOn edge, and keeps the locks", () => {
    const explicit = explicitEdges(plan, {});
    assert.deepEqual(explicit, [{ from: "urn:m3", to: "urn:db" }]);
    const data = dataOnlyPath(plan, iamMinutesOf, explicit, lockOf);
    // Without m3 -> db, the members queue on the lock (6 min) and db alone ends last.
    assert.equal(data.totalMinutes, 15);
    const dataParallel = dataOnlyPath(
      [stack, resource("m1"), resource("m2"), resource("m3")],
      iamMinutesOf,
      [],
      lockOf,
    );
    assert.equal(dataParallel.totalMinutes, 6);
  });
});

describe("the path through needs", () => {
  // An API (1 min) that the network is created through, an ordering edge from app to db that no
  // need explains, and data from network to app.
  const api = resource("api", { type: "gcp:projects/service:Service" });
  const plan = [
    stack,
    api,
    resource("network", { dependencies: ["urn:api"] }),
    resource("db"),
    resource("app", { dependencies: ["urn:network", "urn:db"] }),
  ];
  const needMinutes: Record<string, number> = { api: 1, network: 0.5, db: 3, app: 2 };
  const needMinutesOf = (r: PlannedResource) => needMinutes[r.name] ?? 0;
  const explicit = explicitEdges(plan, { "urn:app": ["urn:network"] });

  it("finds the edges that wait for an API's enablement", () => {
    assert.deepEqual(explicit, [
      { from: "urn:network", to: "urn:api" },
      { from: "urn:app", to: "urn:db" },
    ]);
    assert.deepEqual(apiEnablementEdges(plan, explicit), [{ from: "urn:network", to: "urn:api" }]);
  });

  it("keeps the needed edges and drops the other ordering", () => {
    // All: db 0-3, then app 3-5. Data alone: network 0-0.5, app 0.5-2.5, db ends at 3.
    assert.equal(criticalPath(plan, needMinutesOf).totalMinutes, 5);
    assert.equal(dataOnlyPath(plan, needMinutesOf, explicit).totalMinutes, 3);
    // With the API kept: api 0-1, network 1-1.5, app 1.5-3.5.
    const needed = neededPath(plan, needMinutesOf, explicit, apiEnablementEdges(plan, explicit));
    assert.equal(needed.totalMinutes, 3.5);
    assert.deepEqual(
      needed.chain.map((step) => step.name),
      ["api", "network", "app"],
    );
  });
});
