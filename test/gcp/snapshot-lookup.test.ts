// The snapshot lookup a GCP rebuild makes for each restored MySQL data disk, and the recovery point
// it gives the host: the field it reads, checked against Google's Compute discovery document and the
// provider's SDK; the offline answer, in the form that document gives; the metadata of a host whose
// disk comes from the latest snapshot of a lost disk.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as gcp from "@pulumi/gcp";
import { GcpSite } from "../../components/gcp/site";
import { roles } from "../../components/spec/hosts";
import { parseRegionSpec } from "../../components/spec/load";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { answerInvoke } from "../../tools/plan/offline-answers";
import { atPath, discoveryDocument } from "../limits/references";
import { rawRegion } from "../support/stacks";
import { dnsProvider, field, type Program, runProgram } from "./harness";

const GET_SNAPSHOT = "gcp:compute/getSnapshot:getSnapshot";
const INSTANCE = "gcp:compute/instance:Instance";
/** RFC 3339 date-time (section 5.6), as Compute's discovery document says the field is written. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// The fields the program reads from the lookup, as the provider's SDK types its result: this file
// does not compile if the provider stops returning one of them.
const READ: readonly (keyof gcp.compute.GetSnapshotResult)[] = [
  "name",
  "selfLink",
  "creationTimestamp",
];

describe("the snapshot lookup, against Google's Compute discovery document", () => {
  const snapshot = discoveryDocument("compute.v1").schemas?.Snapshot?.properties;

  it("Compute's Snapshot has every field the program reads; its creation time is RFC 3339 text", () => {
    for (const name of READ) assert.ok(snapshot?.[name], `Snapshot has no ${name}`);
    assert.equal(snapshot.creationTimestamp.type, "string");
    assert.match(snapshot.creationTimestamp.description, /Creation timestamp in\s*RFC3339/);
  });

  it("a snapshot is read by name, and listed by a filter", () => {
    const methods = atPath(discoveryDocument("compute.v1"), "resources.snapshots.methods");
    assert.deepEqual(methods.get.parameterOrder, ["project", "snapshot"]);
    assert.ok(methods.list.parameters.filter, "snapshots.list takes a filter");
  });

  it("the offline answer, by name and by filter, gives the fields in that form", () => {
    const byName = answerInvoke(GET_SNAPSHOT, {
      project: "example-uk-prod",
      name: "uk-mysql-2-data-europe-west2-b-20261201040031-efgh5678",
    });
    const byFilter = answerInvoke(GET_SNAPSHOT, {
      project: "example-uk-prod",
      filter: 'sourceDisk eq ".*/uk-mysql-1-data$"',
      mostRecent: true,
    });
    assert.equal(byName.name, "uk-mysql-2-data-europe-west2-b-20261201040031-efgh5678");
    assert.equal(byFilter.name, "uk-mysql-1-data-offline-latest");
    assert.equal(
      byFilter.selfLink,
      "https://www.googleapis.com/compute/v1/projects/example-uk-prod/global/snapshots/uk-mysql-1-data-offline-latest",
    );
    for (const answer of [byName, byFilter]) {
      for (const name of READ) assert.ok(name in snapshot, `${name} is no Snapshot field`);
      assert.match(String(answer.creationTimestamp), RFC3339);
    }
  });
});

describe("a rebuild's MySQL hosts whose disks come from the latest snapshots of lost disks", () => {
  let program: Program;
  before(async () => {
    const raw = rawRegion("uk");
    raw.dr = {
      ...(raw.dr as Record<string, unknown>),
      replaces: "uk-old",
      restore: {
        mysqlDisks: {
          "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
          "mysql-2": { latestSnapshotOf: "uk-mysql-2-data" },
        },
      },
    };
    const spec = parseRegionSpec(raw, "Pulumi.uk.yaml");
    if (spec.cloud !== "gcp") throw new Error("not a gcp spec");
    const hostSecrets = Object.fromEntries(
      hostSecretIds.map((id) => [id, `fake-${id}-value`]),
    ) as Record<HostSecretId, string>;
    program = await runProgram(() => {
      new GcpSite("uk", {
        spec,
        publicZoneId: "ZUKPUBLIC",
        dnsProvider: dnsProvider(),
        userData: Object.fromEntries(roles.map((role) => [role, `#cloud-config\n# ${role}\n`])),
        hostSecrets,
        latestDataSnapshotsOf: { "mysql-1": "uk-mysql-1-data", "mysql-2": "uk-mysql-2-data" },
      });
    });
  });

  it("is told the snapshot's time in UTC and its name; no other host has the key", () => {
    const instances = program.recorder.ofType(INSTANCE);
    assert.ok(instances.length >= 9, `${instances.length} instances`);
    for (const instance of instances) {
      const point = field(instance.inputs, "metadata", "multicloud-recovery-point");
      const expected = {
        "uk-hosts-mysql-1": "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest",
        "uk-hosts-mysql-2": "2025-06-10T11:00:12Z uk-mysql-2-data-offline-latest",
      }[instance.name];
      assert.equal(point, expected, instance.name);
    }
  });
});
