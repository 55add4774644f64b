// Two resources with one URN: the engine refuses the second, so the plan does too, naming both.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { duplicateUrnProblems } from "../../tools/plan/urns";

const SITE = "urn:pulumi:jp::multicloud::multicloud:index:Region$multicloud:sakura:Site::jp-sakura";
const PUSH =
  "urn:pulumi:jp::multicloud::multicloud:index:Region$multicloud:sakura:Site$command:remote:Command::jp-sakura-nginx-1-secrets";

function command(dependsOn: string): PlannedResource {
  return {
    urn: PUSH,
    type: "command:remote:Command",
    name: "jp-sakura-nginx-1-secrets",
    parent: SITE,
    custom: true,
    protect: false,
    dependencies: [dependsOn],
    inputs: {},
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
  };
}

function planOf(resources: PlannedResource[]): Plan {
  return { stack: "jp", project: "multicloud", resources, outputs: {} };
}

describe("duplicate URNs", () => {
  it("are one line each, naming both resources and what tells them apart", () => {
    const cloud = `${SITE.replace("::jp-sakura", "$pulumi-nodejs:dynamic:Resource")}::jp-sakura-nginx-1`;
    const metal = `${SITE.replace("::jp-sakura", "$command:remote:Command")}::jp-sakura-nginx-1-bootstrap`;
    assert.deepEqual(duplicateUrnProblems(planOf([command(cloud), command(metal)])), [
      `duplicate resource URN ${PUSH}: two command:remote:Command resources named jp-sakura-nginx-1-secrets under jp-sakura (one depends on jp-sakura-nginx-1, the other on jp-sakura-nginx-1-bootstrap); the engine refuses the second: give one of them a unique name`,
    ]);
  });

  it("are none in a plan whose URNs are all different", () => {
    const other = { ...command("x"), urn: `${PUSH}-2` };
    assert.deepEqual(duplicateUrnProblems(planOf([command("x"), other])), []);
  });
});
