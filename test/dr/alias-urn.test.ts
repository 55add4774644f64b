// The engine's URNs for resources and their aliases, as the plan's monitor can record them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aliasEngineUrn, engineUrn, type UrnContext } from "../../tools/plan/alias-urn";

// Registrations name parents by the mock monitor's URNs; the engine's carry the whole chain.
const engine = new Map<string, string>([
  [
    "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us",
    "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us",
  ],
  [
    "urn:pulumi:us::multicloud::pulumi:pulumi:Stack$multicloud:index:Region::us",
    "urn:pulumi:us::multicloud::multicloud:index:Region::us",
  ],
  [
    "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Site::us-aws",
    "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Site::us-aws",
  ],
]);
const context: UrnContext = {
  stack: "us",
  project: "multicloud",
  engineUrnOf: (urn) => engine.get(urn),
};
const site = "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Site::us-aws";
const region = "urn:pulumi:us::multicloud::pulumi:pulumi:Stack$multicloud:index:Region::us";
const stack = "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us";
const database = { type: "multicloud:aws:Database", name: "us-aws-db-accounts", parentUrn: site };

describe("engine URNs", () => {
  it("chain every ancestor's type below the root stack", () => {
    assert.equal(
      engineUrn(database, context),
      "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Site$multicloud:aws:Database::us-aws-db-accounts",
    );
    assert.equal(
      engineUrn({ type: "multicloud:index:Region", name: "us", parentUrn: stack }, context),
      "urn:pulumi:us::multicloud::multicloud:index:Region::us",
    );
  });

  it("an alias fills what it leaves out from the resource", () => {
    assert.equal(
      aliasEngineUrn({ name: "accounts" }, database, context),
      "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Site$multicloud:aws:Database::accounts",
    );
    assert.equal(
      aliasEngineUrn({ parentUrn: region }, database, context),
      "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Database::us-aws-db-accounts",
    );
    assert.equal(
      aliasEngineUrn({ noParent: true, type: "my:Db" }, database, context),
      "urn:pulumi:us::multicloud::my:Db::us-aws-db-accounts",
    );
    assert.equal(
      aliasEngineUrn({ urn: "urn:pulumi:us::multicloud::x::y" }, database, context),
      "urn:pulumi:us::multicloud::x::y",
    );
  });
});
