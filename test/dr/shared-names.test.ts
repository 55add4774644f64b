// The model of what two stacks share: a record or name claimed by both is a collision unless both
// mean to share it, and destroying one stack removes what it does not retain, even from the other.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { claimsOf, collisions, lostByDestroying } from "../../tools/dr/shared-names";
import type { Plan, PlannedResource } from "../../tools/plan/plan";

function resource(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: `urn:pulumi:${stack}::multicloud::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    dependencies: [],
    inputs,
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    ...options,
  };
}

function plan(stack: string, resources: PlannedResource[]): Plan {
  return { stack, project: "multicloud", resources, outputs: { domain: "example.com" } };
}

const RECORD = "aws:route53/record:Record";
const INSTANCE = "gcp:compute/instance:Instance";
const challenge = (stack: string, retain: boolean) =>
  resource(
    stack,
    RECORD,
    `${stack}-challenge`,
    {
      zoneId: `Z${stack}`,
      name: "_acme-challenge.www.example.com",
      type: "CNAME",
      allowOverwrite: true,
    },
    { retainOnDelete: retain },
  );

describe("shared names", () => {
  it("the same public record from two zone ids is one record: the public zone is known by its domain", () => {
    const keys = [
      claimsOf(plan("us", [challenge("us", true)])),
      claimsOf(plan("usdr", [challenge("usdr", true)])),
    ].map((claims) => claims.map((claim) => claim.key));
    assert.deepEqual(keys[0], keys[1]);
  });

  it("a record both write on purpose is no collision; destroying either keeps it only when retained", () => {
    const lost = plan("us", [challenge("us", false)]);
    const rebuild = plan("usdr", [challenge("usdr", true)]);
    assert.deepEqual(collisions(lost, rebuild), []);
    assert.equal(
      lostByDestroying(lost, rebuild).length,
      1,
      "us's delete takes the rebuild's record",
    );
    assert.deepEqual(lostByDestroying(rebuild, lost), [], "the rebuild retains it for us");
    const retained = plan("us", [challenge("us", true)]);
    assert.deepEqual(lostByDestroying(retained, rebuild), []);
  });

  it("a record one stack does not mean to share, an instance name taken twice, plain beside routed: collisions", () => {
    const plain = (stack: string, set?: string) =>
      resource(stack, RECORD, `${stack}-www`, {
        zoneId: `Z${stack}`,
        name: "www.example.com",
        type: "A",
        ...(set ? { setIdentifier: set } : {}),
      });
    assert.equal(collisions(plan("us", [plain("us")]), plan("usdr", [plain("usdr")])).length, 1);
    assert.equal(
      collisions(
        plan("us", [plain("us", "us-primary")]),
        plan("usdr", [plain("usdr", "usdr-secondary")]),
      ).length,
      0,
    );
    assert.match(
      collisions(plan("us", [plain("us")]), plan("usdr", [plain("usdr", "usdr-secondary")]))[0]
        ?.key ?? "",
      /plain and routed/,
    );
    const instance = (stack: string, name: string, zone: string) =>
      resource(stack, INSTANCE, `${stack}-${name}`, { name, zone, project: "example-uk-prod" });
    // Zones differ, yet the names collide: a rebuild's names must never meet, wherever it runs.
    assert.equal(
      collisions(
        plan("uk", [instance("uk", "mysql-1", "europe-west2-a")]),
        plan("ukdr", [instance("ukdr", "mysql-1", "europe-west1-b")]),
      ).length,
      1,
    );
    assert.equal(
      collisions(
        plan("uk", [instance("uk", "mysql-1", "europe-west2-a")]),
        plan("ukdr", [instance("ukdr", "ukdr-mysql-1", "europe-west1-b")]),
      ).length,
      0,
    );
  });

  it("a project API left enabled on destroy survives it; one disabled does not", () => {
    const service = (stack: string, disable: boolean) =>
      resource(stack, "gcp:projects/service:Service", `${stack}-api`, {
        project: "p",
        service: "container.googleapis.com",
        disableOnDestroy: disable,
      });
    assert.deepEqual(
      lostByDestroying(plan("us", [service("us", false)]), plan("usdr", [service("usdr", false)])),
      [],
    );
    assert.equal(
      lostByDestroying(plan("us", [service("us", true)]), plan("usdr", [service("usdr", false)]))
        .length,
      1,
    );
  });
});
