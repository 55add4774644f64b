import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { GcpPrivateZone } from "../../components/gcp/private-zone";
import { type Program, runProgram } from "./harness";

describe("GcpPrivateZone", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpPrivateZone("internal", {
        ...context,
        domain: "local",
        zoneName: "uk-internal",
        networkId: "projects/p/global/networks/vpc",
        records: [
          { name: "mysql-1", type: "A", values: ["10.30.66.16"] },
          { name: "mysql", type: "A", values: ["10.30.66.16", "10.30.82.16"] },
        ],
      });
    });
  });

  it("is a private zone seen only from the site's VPC", () => {
    const zone = program.recorder.get("gcp:dns/managedZone:ManagedZone", "internal-zone");
    assert.equal(zone.inputs.dnsName, "local.");
    assert.equal(zone.inputs.visibility, "private");
    assert.deepEqual(zone.inputs.privateVisibilityConfig, {
      networks: [{ networkUrl: "projects/p/global/networks/vpc" }],
    });
    assert.equal(program.optionsOf(zone).protect, true);
  });

  it("holds every record, fully qualified, in the zone", () => {
    const records = program.recorder.ofType("gcp:dns/recordSet:RecordSet");
    assert.deepEqual(
      records
        .map((r) => [r.inputs.name, r.inputs.type, r.inputs.rrdatas, r.inputs.managedZone])
        .sort(),
      [
        ["mysql-1.local.", "A", ["10.30.66.16"], "uk-internal"],
        ["mysql.local.", "A", ["10.30.66.16", "10.30.82.16"], "uk-internal"],
      ],
    );
  });
});
