// The internal zone as a Route53 private zone, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { PrivateZone } from "../../components/aws/private-zone";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import { installMocks } from "../support/mocks";
import { named, optionsOf, runProgram, type SeenOptions, T, testProvider, usSpec } from "./harness";

const rec = installMocks("us");
let seen: SeenOptions[] = [];

describe("PrivateZone", () => {
  before(async () => {
    seen = await runProgram(() => {
      const spec = usSpec();
      new PrivateZone(
        "pz",
        {
          spec,
          provider: testProvider(),
          vpcId: "vpc-1",
          records: internalRecords(fixedHosts(spec)),
          aliases: [{ name: "accounts-db", target: "us-accounts.abc.us-west-2.rds.amazonaws.com" }],
        },
        {},
      );
    });
  });

  it("is a protected private zone on the VPC", () => {
    const zone = rec.get(T.zone, "pz-zone").inputs;
    assert.equal(zone.name, "local");
    assert.deepEqual(zone.vpcs, [{ vpcId: "vpc-1", vpcRegion: "us-west-2" }]);
    assert.equal(optionsOf(seen, T.zone, "pz-zone").protect, true);
  });

  it("names every fixed host and role", () => {
    const byName = Object.fromEntries(
      named(rec, T.record, "pz-").map((r) => [r.inputs.name, r.inputs]),
    );
    assert.deepEqual(byName["mysql-1.local"]?.records, ["10.20.66.16"]);
    assert.deepEqual(byName["util.local"]?.records, ["10.20.68.16", "10.20.84.16", "10.20.100.16"]);
    assert.equal(byName["util.local"]?.type, "A");
    assert.equal(Object.keys(byName).length, 9 + 4 + 1);
  });

  it("names databases by CNAME", () => {
    const cname = rec.get(T.record, "pz-accounts-db-cname").inputs;
    assert.equal(cname.name, "accounts-db.local");
    assert.equal(cname.type, "CNAME");
    assert.deepEqual(cname.records, ["us-accounts.abc.us-west-2.rds.amazonaws.com"]);
    assert.equal(cname.zoneId, "ZPZZONE");
  });
});
