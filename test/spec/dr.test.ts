// The disaster-recovery keys of the spec: defaults, one clear line for each mistake, and the range
// check that lets a rebuild reuse the ranges of the stack it replaces (and only that stack's).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SAKURA_OFFSITE_REGION, offsiteAwsRegion } from "../../components/spec/dr";
import { ConfigError } from "../../components/spec/errors";
import { checkPeerRanges, parseRegionSpec, stackOfFile } from "../../components/spec/load";
import { loadSpec, rawRegion } from "../support/stacks";

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into arbitrary keys of parsed YAML
type Raw = Record<string, any>;

function lines(raw: unknown, file: string): string[] {
  try {
    parseRegionSpec(raw, file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split("\n");
  }
  assert.fail("accepted");
}

const ARN = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-l2ijcexjp7xq7hoj4siexample";

/** The us region rebuilt as stack us-dr (what `npm run dr` writes, in short). */
function usRebuild(): Raw {
  const raw: Raw = rawRegion("us");
  raw.name = "usdr";
  raw.aws.region = "us-east-1";
  raw.aws.zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
  raw.dr = { backupLocation: "us-west-2", replaces: "us" };
  raw.dns = { existingZone: true };
  return raw;
}

describe("disaster-recovery keys", () => {
  it("default to a region that creates its zone and restores nothing", () => {
    for (const stack of ["jp", "us", "uk"] as const) {
      const spec = loadSpec(stack);
      assert.equal(spec.dns.existingZone, false);
      assert.equal(spec.dr.restore, undefined);
      assert.equal(spec.dr.replaces, undefined);
    }
    const plain = rawRegion("us") as Raw;
    delete plain.front.failover;
    assert.equal(parseRegionSpec(plain, "Pulumi.us.yaml").front.failover, undefined);
    const jp = rawRegion("jp") as Raw;
    delete jp.dr.offsiteRegion;
    assert.equal(
      offsiteAwsRegion(parseRegionSpec(jp, "Pulumi.jp.yaml")),
      DEFAULT_SAKURA_OFFSITE_REGION,
    );
    assert.equal(offsiteAwsRegion(loadSpec("us")), "us-east-1");
    assert.equal(offsiteAwsRegion(loadSpec("uk")), undefined);
  });

  it("a rebuild with restores parses, and the restores keep their shape", () => {
    const raw = usRebuild();
    raw.front.failover = { role: "secondary" };
    raw.dr.restore = {
      rds: {
        accounts: {
          pointInTime: { sourceDbInstanceAutomatedBackupsArn: ARN, useLatestRestorableTime: true },
        },
        notifications: { snapshotIdentifier: "us-notifications-final" },
      },
      mysqlDisks: {
        "mysql-1": { snapshot: "snap-0fedcba9876543210" },
        "mysql-2": { snapshot: "snap-0123456789abcdef0" },
      },
    };
    const spec = parseRegionSpec(raw, "Pulumi.us-dr.yaml");
    assert.deepEqual(spec.dr.restore?.rds.accounts, {
      pointInTime: { sourceDbInstanceAutomatedBackupsArn: ARN, useLatestRestorableTime: true },
    });
    assert.equal(spec.dr.restore?.mysqlDisks["mysql-2"]?.snapshot, "snap-0123456789abcdef0");
    assert.equal(spec.front.failover?.role, "secondary");
    assert.equal(spec.dns.existingZone, true);
  });

  it("a GCP disk may name the disk whose latest snapshot it is made from", () => {
    const raw: Raw = rawRegion("uk");
    raw.dr.restore = {
      mysqlDisks: {
        "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
        "mysql-2": { snapshot: "uk-mysql-2-data-europe-west2-b-20250610040012-abcd1234" },
      },
    };
    const spec = parseRegionSpec(raw, "Pulumi.x.yaml");
    assert.deepEqual(spec.dr.restore?.mysqlDisks, {
      "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
      "mysql-2": { snapshot: "uk-mysql-2-data-europe-west2-b-20250610040012-abcd1234" },
    });
  });

  const mistakes: {
    name: string;
    stack: "jp" | "us" | "uk";
    mutate: (raw: Raw) => void;
    expected: string;
  }[] = [
    {
      name: "failover on a DNS round-robin front",
      stack: "jp",
      mutate: (r) => {
        r.front.failover = { role: "primary" };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.front.failover = {"role":"primary"}: expected no failover: a DNS round-robin front answers with multivalue records, which cannot also be failover records (see docs/disaster-recovery.md)',
    },
    {
      name: "an unknown failover role",
      stack: "us",
      mutate: (r) => {
        r.front.failover = { role: "tertiary" };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.front.failover.role = "tertiary": expected one of primary, secondary',
    },
    {
      name: "an offsite region outside Sakura",
      stack: "us",
      mutate: (r) => {
        r.dr.offsiteRegion = "us-east-2";
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.offsiteRegion = "us-east-2": expected no offsiteRegion: aws ships host backups to its own object store in dr.backupLocation',
    },
    {
      name: "a restore of a database the region does not have",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = { rds: { billing: { snapshotIdentifier: "x-final" } } };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.rds.billing = {"snapshotIdentifier":"x-final"}: expected the name of a database in aws.rds (accounts, notifications)',
    },
    {
      name: "a restore from both a point in time and a snapshot",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = {
          rds: {
            accounts: {
              snapshotIdentifier: "x-final",
              pointInTime: { sourceDbiResourceId: "db-ABC", useLatestRestorableTime: true },
            },
          },
        };
      },
      expected: "expected exactly one of pointInTime or snapshotIdentifier",
    },
    {
      name: "a point in time with two sources",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = {
          rds: {
            accounts: {
              pointInTime: {
                sourceDbiResourceId: "db-ABC",
                sourceDbInstanceAutomatedBackupsArn: ARN,
                useLatestRestorableTime: true,
              },
            },
          },
        };
      },
      expected:
        "expected exactly one of sourceDbInstanceAutomatedBackupsArn or sourceDbiResourceId",
    },
    {
      name: "a point in time with no time",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = {
          rds: { accounts: { pointInTime: { sourceDbInstanceAutomatedBackupsArn: ARN } } },
        };
      },
      expected: "expected exactly one of restoreTime or useLatestRestorableTime: true",
    },
    {
      name: "a restore time that is not UTC ISO 8601",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = {
          rds: {
            accounts: {
              pointInTime: { sourceDbInstanceAutomatedBackupsArn: ARN, restoreTime: "yesterday" },
            },
          },
        };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.rds.accounts.pointInTime.restoreTime = "yesterday": expected a UTC time such as 2025-06-10T03:00:00Z',
    },
    {
      name: "disk restores on Sakura",
      stack: "jp",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { db01: { snapshot: "x" } } };
      },
      expected:
        "expected no disk restores on sakura: MySQL there is restored from its dumps (see docs/disaster-recovery.md)",
    },
    {
      name: "a disk restore of a host that is not MySQL",
      stack: "uk",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "util-1": { snapshot: "x" } } };
      },
      expected: "expected a MySQL host name (mysql-1, mysql-2)",
    },
    {
      name: "an EBS restore that is not a snapshot id",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "mysql-1": { snapshot: "latest" } } };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-1.snapshot = "latest": expected an EBS snapshot id such as snap-0123456789abcdef0',
    },
    {
      name: "a disk restore of the primary alone, the replica left empty",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "mysql-1": { snapshot: "snap-0123456789abcdef0" } } };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks = {"mysql-1":{"snapshot":"snap-0123456789abcdef0"}}: expected a disk restore for every MySQL host or for none: mysql-2 would start empty and could not replicate from a restored primary',
    },
    {
      name: "a GCE restore from a snapshot link instead of its name",
      stack: "uk",
      mutate: (r) => {
        r.dr.restore = {
          mysqlDisks: { "mysql-1": { snapshot: "projects/example-uk-prod/global/snapshots/uk-a" } },
        };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-1.snapshot = "projects/example-uk-prod/global/snapshots/uk-a": expected a GCE snapshot name such as uk-mysql-1-data-europe-west2-b-20261201040031-efgh5678, not a link',
    },
    {
      name: "a disk restore from both a named and the latest snapshot",
      stack: "uk",
      mutate: (r) => {
        r.dr.restore = {
          mysqlDisks: { "mysql-1": { snapshot: "uk-a", latestSnapshotOf: "uk-mysql-1-data" } },
        };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-1 = {"snapshot":"uk-a","latestSnapshotOf":"uk-mysql-1-data"}: expected exactly one of snapshot or latestSnapshotOf',
    },
    {
      name: "a disk restore from nothing",
      stack: "uk",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "mysql-2": {} } };
      },
      expected:
        "Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-2 = {}: expected exactly one of snapshot or latestSnapshotOf",
    },
    {
      name: "the latest snapshot of a disk on AWS",
      stack: "us",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "mysql-1": { latestSnapshotOf: "us-mysql-1-data" } } };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-1.latestSnapshotOf = "us-mysql-1-data": expected snapshot instead: on aws a data volume is restored from a named EBS snapshot',
    },
    {
      name: "the latest snapshot of something that is not a disk name",
      stack: "uk",
      mutate: (r) => {
        r.dr.restore = { mysqlDisks: { "mysql-1": { latestSnapshotOf: "UK mysql 1" } } };
      },
      expected:
        'Pulumi.x.yaml: multicloud:region.dr.restore.mysqlDisks.mysql-1.latestSnapshotOf = "UK mysql 1": expected a GCE disk name such as uk-mysql-1-data',
    },
  ];

  for (const mistake of mistakes) {
    it(`${mistake.name}: one line naming the key`, () => {
      const raw = rawRegion(mistake.stack) as Raw;
      mistake.mutate(raw);
      const found = lines(raw, "Pulumi.x.yaml");
      assert.equal(found.length, 1, found.join("\n"));
      if (mistake.expected.startsWith("Pulumi.")) assert.equal(found[0], mistake.expected);
      else assert.ok(found[0]?.endsWith(mistake.expected), found[0]);
    });
  }
});

describe("ranges of a rebuild", () => {
  const us = { file: "Pulumi.us.yaml", raw: rawRegion("us") };
  const rebuildRaw = usRebuild();
  const rebuild = parseRegionSpec(rebuildRaw, "Pulumi.us-dr.yaml");
  const overlap = /regions are connected, so their ranges must not overlap/;

  it("names stacks by their files", () => {
    assert.equal(stackOfFile("Pulumi.us-dr.yaml"), "us-dr");
    assert.equal(stackOfFile("/work/p/Pulumi.uk.yml"), "uk");
    assert.equal(stackOfFile("README.md"), undefined);
  });

  it("may reuse the ranges of the stack it replaces, seen from either side", () => {
    checkPeerRanges(rebuild, "Pulumi.us-dr.yaml", [
      us,
      { file: "Pulumi.jp.yaml", raw: rawRegion("jp") },
      { file: "Pulumi.uk.yaml", raw: rawRegion("uk") },
    ]);
    checkPeerRanges(loadSpec("us"), "Pulumi.us.yaml", [
      { file: "Pulumi.us-dr.yaml", raw: rebuildRaw },
    ]);
  });

  it("may not reuse anyone else's", () => {
    // A second rebuild of us overlaps the first: only one can replace us.
    assert.throws(
      () =>
        checkPeerRanges(rebuild, "Pulumi.us-dr.yaml", [
          { file: "Pulumi.us-dr2.yaml", raw: rebuildRaw },
        ]),
      overlap,
    );
    // A stack that reuses us's ranges without saying it replaces us.
    const copy = rawRegion("us");
    assert.throws(
      () =>
        checkPeerRanges(loadSpec("us"), "Pulumi.us.yaml", [
          { file: "Pulumi.copy.yaml", raw: copy },
        ]),
      overlap,
    );
    // jp's ranges stay jp's, even for a stack that replaces something.
    const jpRanges = rawRegion("jp") as Raw;
    const clash = usRebuild();
    clash.network.cidr = jpRanges.network.cidr;
    clash.gke = undefined;
    // Its VPN link ends at the cluster it no longer has.
    clash.links = undefined;
    const spec = parseRegionSpec(clash, "Pulumi.us-dr.yaml");
    assert.throws(
      () => checkPeerRanges(spec, "Pulumi.us-dr.yaml", [{ file: "Pulumi.jp.yaml", raw: jpRanges }]),
      overlap,
    );
  });
});
