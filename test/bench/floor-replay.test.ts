// The floor's replay of a plan: order, options and the check that it registered the same thing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareRegistrations, replayInputs, replaySteps } from "../../bench/floor-replay";
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
    inputs: fields.inputs ?? {},
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    ...(fields.provider ? { provider: fields.provider } : {}),
  };
}

const stack: PlannedResource = {
  ...resource("stack", { type: "pulumi:pulumi:Stack", custom: false }),
  urn: STACK,
  parent: undefined,
};

// In URN order, as a plan lists them: children and dependents before what they need.
const plan: PlannedResource[] = [
  resource("a-subnet", {
    parent: "urn:z-site",
    provider: "urn:m-aws",
    dependencies: ["urn:b-vpc"],
  }),
  resource("b-vpc", { parent: "urn:z-site", provider: "urn:m-aws" }),
  resource("m-aws", { type: "pulumi:providers:aws", parent: "urn:z-site" }),
  {
    ...resource("stack", { type: "pulumi:pulumi:Stack", custom: false }),
    urn: STACK,
    parent: undefined,
  },
  resource("z-site", { type: "multicloud:aws:Site", custom: false }),
];

describe("replaySteps", () => {
  const steps = replaySteps(plan);

  it("registers every resource but the stack, each after its parent, provider and dependencies", () => {
    const order = steps.map((step) => step.resource.name);
    assert.deepEqual(order, ["z-site", "m-aws", "b-vpc", "a-subnet"]);
  });

  it("tells what to construct and with which options", () => {
    const [site, provider, vpc, subnet] = steps;
    assert.deepEqual(site?.what, { kind: "component" });
    assert.equal(site?.parent, undefined, "the stack is the default parent, not passed");
    assert.deepEqual(provider?.what, { kind: "provider", pkg: "aws" });
    assert.equal(provider?.parent, "urn:z-site");
    assert.deepEqual(vpc?.what, { kind: "custom" });
    assert.equal(subnet?.provider, "urn:m-aws");
    assert.deepEqual(subnet?.dependsOn, ["urn:b-vpc"]);
  });

  it("rejects a plan that refers to a resource it does not hold, or a cycle", () => {
    assert.throws(
      () => replaySteps([resource("x", { dependencies: ["urn:nowhere"] })]),
      /not in the plan/,
    );
    assert.throws(
      () =>
        replaySteps([
          stack,
          resource("x", { dependencies: ["urn:y"] }),
          resource("y", { dependencies: ["urn:x"] }),
        ]),
      /cycle/,
    );
  });
});

describe("replaySteps with the inputs' own dependencies", () => {
  const fair: PlannedResource[] = [
    stack,
    { ...resource("default_6_0_0", { type: "pulumi:providers:aws" }), parent: undefined },
    resource("vpc", { provider: "urn:default_6_0_0" }),
    resource("secret", { provider: "urn:default_6_0_0" }),
    resource("host", {
      provider: "urn:default_6_0_0",
      dependencies: ["urn:secret", "urn:vpc"],
      inputs: { vpcId: "vpc-1" },
    }),
    resource("router", { type: "pulumi-nodejs:dynamic/sakura:VpcRouter" }),
  ];
  const steps = replaySteps(fair, { "urn:host": { vpcId: ["urn:vpc"] } });
  const byName = new Map(steps.map((step) => [step.resource.name, step]));

  it("passes what an input carries as that input, and only the rest as dependsOn", () => {
    assert.deepEqual(byName.get("host")?.inputsFrom, { vpcId: ["urn:vpc"] });
    assert.deepEqual(byName.get("host")?.dependsOn, ["urn:secret"]);
  });

  it("leaves a package's default provider to the SDK, which makes it itself", () => {
    assert.equal(byName.has("default_6_0_0"), false);
    assert.equal(byName.get("vpc")?.provider, undefined);
  });

  it("tells a dynamic resource's module and type", () => {
    assert.deepEqual(byName.get("router")?.what, {
      kind: "dynamic",
      module: "sakura",
      type: "VpcRouter",
    });
  });
});

describe("replayInputs", () => {
  it("turns secret markers back into secrets, deep inside, and keeps the rest", () => {
    const inputs = replayInputs(
      { name: "db", password: "[secret]", tags: [{ key: "k", value: "[secret]" }], size: 2 },
      (value) => ({ secret: value }),
      "[secret]",
    );
    assert.deepEqual(inputs, {
      name: "db",
      password: { secret: "[secret]" },
      tags: [{ key: "k", value: { secret: "[secret]" } }],
      size: 2,
    });
  });
});

describe("compareRegistrations", () => {
  it("finds nothing when the replay matches the plan", () => {
    assert.deepEqual(compareRegistrations(plan, [...plan].reverse()), []);
  });

  it("names each difference", () => {
    const [subnet, vpc, provider, , site] = plan as [
      PlannedResource,
      PlannedResource,
      PlannedResource,
      PlannedResource,
      PlannedResource,
    ];
    const replayed = [
      { ...subnet, dependencies: [] },
      { ...vpc, provider: undefined },
      provider,
      stack,
      resource("extra"),
    ];
    assert.deepEqual(
      compareRegistrations(plan, replayed).map((m) => [m.urn, m.problem.split(" ")[0]]),
      [
        ["urn:a-subnet", "dependencies"],
        ["urn:b-vpc", "provider"],
        [site.urn, "not"],
        ["urn:extra", "not"],
      ],
    );
  });
});
