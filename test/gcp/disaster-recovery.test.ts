// Disaster recovery on GCP, under the mocks: the off-site bucket in the backup region that util and
// mysql hosts write to (each under its prefix, create only), the daily snapshots there, failover
// records with a Route53 health check on the load balancer, and a rebuild's data disks made from
// snapshots.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { GcpLoadBalancer } from "../../components/gcp/load-balancer";
import { offsiteBucketName, prefixCondition } from "../../components/gcp/offsite-bucket";
import { GcpSite } from "../../components/gcp/site";
import { roles } from "../../components/spec/hosts";
import { parseRegionSpec } from "../../components/spec/load";
import type { GcpRegionSpec } from "../../components/spec/schema";
import { fakeOutputs } from "../support/mocks";
import { rawRegion } from "../support/stacks";
import { dnsProvider, field, type Program, runProgram } from "./harness";
import { hostSecrets } from "./uk-site";

const BUCKET = "gcp:storage/bucket:Bucket";
const MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const INSTANCE = "gcp:compute/instance:Instance";
const DISK = "gcp:compute/disk:Disk";
const RECORD = "aws:route53/record:Record";
const CHECK = "aws:route53/healthCheck:HealthCheck";
const POLICY = "gcp:compute/resourcePolicy:ResourcePolicy";

/** The uk region, changed before validation. */
function uk(change: (raw: Record<string, unknown>) => void): GcpRegionSpec {
  const raw = rawRegion("uk");
  change(raw);
  const spec = parseRegionSpec(raw, "Pulumi.uk.yaml");
  if (spec.cloud !== "gcp") throw new Error("not a gcp spec");
  return spec;
}

const primary = uk((raw) => {
  (raw.front as Record<string, unknown>).failover = { role: "primary" };
});

describe("disaster recovery on GCP", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpSite("uk", {
        spec: primary,
        publicZoneId: "ZUKPUBLIC",
        dnsProvider: dnsProvider(),
        userData: Object.fromEntries(roles.map((role) => [role, `#cloud-config\n# ${role}\n`])),
        hostSecrets,
        dataSnapshots: { "mysql-2": "uk-mysql-2-data-europe-west2-b-20250610040012-abcd1234" },
      });
      new GcpLoadBalancer("ukdr-lb", {
        ...context,
        domain: "example.co.uk",
        names: ["@", "www"],
        healthCheckPath: "/healthz",
        instanceGroup: "https://compute/instanceGroups/nginx",
        publicZoneId: "ZUKPUBLIC",
        dnsProvider: dnsProvider(),
        failover: {
          role: "secondary",
          setIdentifier: "ukdr-secondary",
          healthCheckPath: "/healthz",
        },
      });
    });
  });
  const get = (type: string, name: string) => program.recorder.get(type, name);

  it("keeps a bucket in the backup region: uniform access, no public access, versioned, emptied after retention, protected", () => {
    const bucket = get(BUCKET, "uk-offsite-bucket");
    const name = offsiteBucketName("example-uk-prod", "uk");
    assert.equal(bucket.inputs.name, name);
    assert.equal(bucket.inputs.location, "EUROPE-WEST1");
    assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
    assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
    assert.deepEqual(bucket.inputs.versioning, { enabled: true });
    assert.equal(bucket.inputs.forceDestroy, false);
    assert.deepEqual(
      (bucket.inputs.lifecycleRules as Record<string, unknown>[]).map((r) => r.condition),
      [{ age: 14 }, { withState: "ARCHIVED", daysSinceNoncurrentTime: 14 }],
    );
    assert.equal(program.optionsOf(bucket).protect, true);
  });

  it("lets util and mysql hosts create objects under their own prefix, and nothing else", () => {
    const name = offsiteBucketName("example-uk-prod", "uk");
    const members = program.recorder.ofType(MEMBER);
    assert.deepEqual(members.map((m) => m.name).sort(), [
      "uk-offsite-mysql-creates",
      "uk-offsite-util-creates",
    ]);
    for (const [role, prefix] of [
      ["util", "consul"],
      ["mysql", "mysql"],
    ] as const) {
      const member = get(MEMBER, `uk-offsite-${role}-creates`).inputs;
      assert.equal(member.role, "roles/storage.objectCreator");
      assert.equal(
        member.member,
        `serviceAccount:uk-${role}-host@example-uk-prod.iam.gserviceaccount.com`,
      );
      assert.equal(field(member, "condition", "expression"), prefixCondition(name, prefix));
      assert.equal(
        prefixCondition(name, prefix),
        `resource.name.startsWith("projects/_/buckets/${name}/objects/${prefix}/")`,
      );
    }
  });

  it("tells util and mysql hosts the bucket through metadata, and no other host", () => {
    const name = offsiteBucketName("example-uk-prod", "uk");
    for (const instance of program.recorder.ofType(INSTANCE)) {
      const bucket = field(instance.inputs, "metadata", "multicloud-backup-bucket");
      const ships = /-(util|mysql)-\d+$/.test(instance.name);
      assert.equal(bucket, ships ? name : undefined, instance.name);
    }
  });

  it("snapshots MySQL data daily into the backup location, kept for the retention", () => {
    const schedule = get(POLICY, "uk-hosts-daily-snapshots").inputs;
    assert.equal(
      field(schedule, "snapshotSchedulePolicy", "snapshotProperties", "storageLocations"),
      "europe-west1",
    );
    assert.equal(
      field(schedule, "snapshotSchedulePolicy", "retentionPolicy", "maxRetentionDays"),
      14,
    );
  });

  it("a rebuild makes a data disk from its snapshot and ignores it afterwards", () => {
    const restored = get(DISK, "uk-hosts-mysql-2-data");
    assert.equal(
      restored.inputs.snapshot,
      "uk-mysql-2-data-europe-west2-b-20250610040012-abcd1234",
    );
    assert.ok(program.optionsOf(restored).ignoreChanges.includes("snapshot"));
    assert.equal(get(DISK, "uk-hosts-mysql-1-data").inputs.snapshot, undefined);
  });

  it("tells the restored host its snapshot's time and name through one metadata key, and no other host", () => {
    for (const instance of program.recorder.ofType(INSTANCE)) {
      const point = field(instance.inputs, "metadata", "multicloud-recovery-point");
      // The offline answer's creationTimestamp, 2025-06-10T04:00:12.000-07:00, in UTC.
      const expected =
        instance.name === "uk-hosts-mysql-2"
          ? "2025-06-10T11:00:12Z uk-mysql-2-data-europe-west2-b-20250610040012-abcd1234"
          : undefined;
      assert.equal(point, expected, instance.name);
    }
  });

  it("keeps the recovery point the host was created with, whatever a later lookup finds", () => {
    const restored = program.optionsOf(get(INSTANCE, "uk-hosts-mysql-2"));
    assert.ok(restored.ignoreChanges.includes('metadata["multicloud-recovery-point"]'));
    const other = program.optionsOf(get(INSTANCE, "uk-hosts-mysql-1"));
    assert.ok(!other.ignoreChanges.includes('metadata["multicloud-recovery-point"]'));
  });

  it("primary: A and AAAA failover records, decided by an HTTPS check of the load balancer's address", () => {
    const check = get(CHECK, "uk-lb-failover-health").inputs;
    assert.equal(check.type, "HTTPS");
    assert.equal(
      check.ipAddress,
      fakeOutputs("gcp:compute/globalAddress:GlobalAddress", "uk-lb-ipv4").address,
      "the IPv4 front itself, not a name that fails over",
    );
    assert.equal(check.fqdn, "example.co.uk", "SNI and Host of the public name");
    assert.equal(check.enableSni, true);
    assert.equal(check.resourcePath, "/healthz");
    for (const type of ["a", "aaaa"]) {
      for (const key of ["apex", "www"]) {
        const record = get(RECORD, `uk-lb-${key}-${type}`);
        assert.equal(record.inputs.setIdentifier, "uk-primary");
        assert.deepEqual(record.inputs.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
        assert.equal(record.inputs.healthCheckId, "uk-lb-failover-health-id");
        assert.equal(record.inputs.ttl, 60);
        assert.equal(program.optionsOf(record).deleteBeforeReplace, true);
      }
    }
  });

  it("secondary: failover records of the rebuild, no check of its own", () => {
    assert.throws(() => get(CHECK, "ukdr-lb-failover-health"));
    const record = get(RECORD, "ukdr-lb-apex-a").inputs;
    assert.equal(record.setIdentifier, "ukdr-secondary");
    assert.deepEqual(record.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
    assert.equal(record.healthCheckId, undefined);
  });

  it("certificate authorization records may be rewritten by a rebuild serving the same names", () => {
    const records = program.recorder
      .ofType(RECORD)
      .filter((r) => String(r.inputs.name).startsWith("_acme-challenge."));
    assert.ok(records.length >= 4);
    for (const record of records) assert.equal(record.inputs.allowOverwrite, true, record.name);
  });
});
