// Runs the whole program for one stack under the mocks (once per test process) and shares checks.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { runPlan } from "../../tools/plan/run";
import { loadSpec, projectDir, type StackName } from "../support/stacks";

let cached: Promise<Plan> | undefined;

export function planOf(stack: string): Promise<Plan> {
  cached ??= runPlan({ projectDir, stack });
  return cached;
}

export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((resource) => resource.type === type);
}

/** The resources (`name Type`) whose type starts with `typePrefix` that `name` waits for. */
export function waitsFor(plan: Plan, name: string, typePrefix: string): string[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const resource = plan.resources.find((r) => r.name === name && r.custom);
  assert.ok(resource, `${name} is planned`);
  return resource.dependencies
    .flatMap((urn) => byUrn.get(urn) ?? [])
    .filter((r) => r.type.startsWith(typePrefix))
    .map((r) => `${r.name} ${r.type.split(":").at(-1)}`)
    .sort();
}

/** Checks that hold for every stack. */
export function assertCommonShape(plan: Plan): void {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const [stackResource, ...others] = ofType(plan, "pulumi:pulumi:Stack");
  assert.ok(stackResource && others.length === 0, "exactly one stack resource");
  for (const resource of plan.resources) {
    // The engine keeps default providers (of the dynamic resources) at the root, like the stack.
    const defaultProvider = resource.type.startsWith("pulumi:providers:") && !resource.parent;
    if (resource !== stackResource && !defaultProvider)
      assert.ok(
        resource.parent && byUrn.has(resource.parent),
        `${resource.urn} has a known parent`,
      );
    // Dynamic resources (Sakura Cloud) run in the program's own provider, which has no other.
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
    if (resource.type.startsWith("pulumi-nodejs:dynamic")) continue;
    assert.ok(resource.provider, `${resource.urn} names its provider`);
    const provider = byUrn.get(resource.provider ?? "");
    assert.ok(
      provider?.type.startsWith("pulumi:providers:"),
      `${resource.urn}: provider is one of ours`,
    );
    assert.ok(!provider?.name.startsWith("default"), `${resource.urn} uses a default provider`);
    for (const dependency of resource.dependencies) {
      assert.ok(byUrn.has(dependency), `${resource.urn} depends on an unknown ${dependency}`);
    }
  }
  assert.equal(
    new Set(plan.resources.map((r) => r.urn)).size,
    plan.resources.length,
    "URNs are unique",
  );
}

/** The tests every stack's program passes: call inside the stack's describe(). */
export function commonProgramTests(stack: StackName): void {
  it("builds the region with explicit providers and known parents", async () => {
    const plan = await planOf(stack);
    assertCommonShape(plan);
    const [region] = ofType(plan, "multicloud:index:Region");
    assert.equal(region?.name, stack);
  });

  it("creates the public zone, protected, with CAA at the apex", async () => {
    const plan = await planOf(stack);
    const spec = loadSpec(stack);
    const [zone] = ofType(plan, "aws:route53/zone:Zone").filter(
      (z) => z.inputs.name === spec.domain,
    );
    assert.ok(zone, "public zone for the domain");
    assert.equal(zone.protect, true);
    assert.equal(zone.inputs.forceDestroy, false);
    assert.equal((zone.inputs.tags as Record<string, string>).owner, spec.tags.owner);
    const caa = ofType(plan, "aws:route53/record:Record").find((r) => r.inputs.type === "CAA");
    assert.ok(caa?.dependencies.includes(zone.urn), "the CAA record waits for the zone");
    // jp's nginx hosts order their own certificates from Let's Encrypt; the others' load balancers
    // hold certificates from their clouds' CAs.
    const acme = stack === "jp" ? ['0 issue "letsencrypt.org"'] : [];
    assert.deepEqual(caa?.inputs.records, [
      '0 issue "amazon.com"',
      '0 issue "pki.goog"',
      ...acme,
      '0 issuewild ";"',
      `0 iodef "mailto:hostmaster@${spec.domain}"`,
    ]);
    assert.equal(plan.outputs.domain, spec.domain);
    assert.ok(Array.isArray(plan.outputs.nameServers));
  });
}
