// The rebuild's stack file, made from the real stack files: what moves, what is restored from
// where, what stays, and one line for each request that cannot be met.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { checkPeerRanges, parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import { readPeerStacks } from "../../components/spec/peers";
import { DrInputError } from "../../tools/dr/errors";
import { type DrRequest, type DrStackFile, makeDrStackFile } from "../../tools/dr/make-dr-spec";
import { renderDrStackFile, wrap } from "../../tools/dr/render";
import { parseRestoreTime } from "../../tools/dr/restore-choices";
import { projectDir } from "../support/stacks";

const NOW = new Date("2025-06-10T06:00:00Z");
const ARN = (n: number) => `arn:aws:rds:us-east-1:123456789012:auto-backup:ab-example${n}`;
/** What `pulumi stack output -s us drBackups --json` prints. */
const usBackups = {
  cloud: "aws",
  offsite: {
    region: "us-east-1",
    bucket: "multicloud-us-backups-20250601",
    keyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555",
  },
  rds: {
    accounts: { identifier: "us-accounts", region: "us-east-1", replicatedBackupsArn: ARN(1) },
    notifications: {
      identifier: "us-notifications",
      region: "us-east-1",
      replicatedBackupsArn: ARN(2),
    },
  },
};

function configOf(stack: string): Record<string, unknown> {
  const document = parse(readFileSync(join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  return document.config;
}

function make(stack: string, to: string, extra: Partial<DrRequest> = {}): DrStackFile {
  return makeDrStackFile({ stack, config: configOf(stack), to, now: NOW, ...extra });
}

// biome-ignore lint/suspicious/noExplicitAny: reads into the written YAML mapping
function regionOf(file: DrStackFile): Record<string, any> {
  return file.config[REGION_CONFIG_KEY] as Record<string, unknown>;
}

function refused(request: () => unknown, expected: RegExp): void {
  assert.throws(request, (error: unknown) => {
    assert.ok(error instanceof DrInputError, String(error));
    assert.equal(error.message.split("\n").length, 1, "one line");
    assert.match(error.message, expected);
    return true;
  });
}

describe("us (AWS) rebuilt in us-east-1", () => {
  const file = make("us", "us-east-1", { backups: usBackups });
  const region = regionOf(file);

  it("moves the region, keeps the domain and the Consul datacenter, takes a name of its own", () => {
    assert.equal(file.stack, "us-dr");
    assert.equal(file.file, "Pulumi.us-dr.yaml");
    assert.equal(region.name, "usdr");
    assert.equal(region.domain, "example.com");
    assert.equal(region.aws.region, "us-east-1");
    // AWS names zones per account: the account's own first three are taken at deploy time.
    assert.equal(region.aws.zones, undefined);
    assert.equal(region.consul.datacenter, "us-west-2");
    assert.equal(region.network.cidr, "10.20.0.0/16");
    assert.deepEqual(file.config["pulumi:disable-default-providers"], [
      "aws",
      "gcp",
      "kubernetes",
      "random",
      "command",
      "tls",
    ]);
  });

  it("moves the GKE cluster to the GCP region by the rebuild, with the same ranges and workloads", () => {
    assert.equal(region.gke.region, "us-east4", "Ashburn, beside N. Virginia");
    assert.equal(region.gke.project, "example-us-prod");
    assert.deepEqual(region.gke.network, {
      nodes: "10.21.0.0/20",
      services: "10.21.16.0/20",
      pods: "10.24.0.0/14",
      controlPlane: "172.16.0.16/28",
    });
    assert.deepEqual(
      region.gke.gateway.routes.map((route: { prefix: string }) => route.prefix),
      ["/v1/items", "/v1/search"],
    );
    assert.equal(
      region.gke.gateway.image,
      "us-west1-docker.pkg.dev/example-us-prod/services/api-gateway:1.0.0",
    );
    const moved = make("us", "us-east-1", { backups: usBackups, gkeRegion: "us-central1" });
    assert.equal(regionOf(moved).gke.region, "us-central1");
    refused(
      () => make("us", "us-east-1", { backups: usBackups, gkeRegion: "us-west1" }),
      /^--gke-region us-west1: expected a GCP region other than us-west1, the lost cluster's region/,
    );
    refused(
      () => make("us", "us-east-1", { backups: usBackups, gkeRegion: "us-west9" }),
      /^--gke-region us-west9: not a GCP region/,
    );
  });

  it("loads the lost primary's newest dump into mysql-1, from the bucket and key of the saved drBackups", () => {
    assert.deepEqual(region.dr.restore.mysqlDumps, {
      store: "s3",
      location: "us-east-1",
      bucket: "multicloud-us-backups-20250601",
      keyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555",
      primary: "mysql-1",
    });
    const fromStack = regionOf(make("us", "us-east-1"));
    assert.deepEqual(fromStack.dr.restore.mysqlDumps, {
      store: "s3",
      location: "us-east-1",
      fromStack: "us",
      primary: "mysql-1",
    });
  });

  it("replaces us, keeps its backups in the lost region, serves from us's zone as the secondary", () => {
    assert.equal(region.dr.replaces, "us");
    assert.equal(region.dr.backupLocation, "us-west-2");
    assert.equal(region.dr.backupRetentionDays, 14);
    assert.equal(region.dns.existingZone, true);
    assert.deepEqual(region.front.failover, { role: "secondary" });
  });

  it("restores every database from its replicated backups at the latest restorable time", () => {
    assert.deepEqual(region.dr.restore.rds, {
      accounts: {
        pointInTime: {
          sourceDbInstanceAutomatedBackupsArn: ARN(1),
          useLatestRestorableTime: true,
        },
      },
      notifications: {
        pointInTime: {
          sourceDbInstanceAutomatedBackupsArn: ARN(2),
          useLatestRestorableTime: true,
        },
      },
    });
    assert.deepEqual(
      file.spec.dr.restore?.rds.accounts?.pointInTime?.useLatestRestorableTime,
      true,
    );
  });

  it("without --backups, names the lost stack to read the ARNs from (fromStack)", () => {
    const timed = make("us", "us-east-1", { restoreTime: "2025-06-10T05:00:00+02:00" });
    const pointInTime = { fromStack: "us", restoreTime: "2025-06-10T03:00:00Z" };
    assert.deepEqual(regionOf(timed).dr.restore.rds, {
      accounts: { pointInTime },
      notifications: { pointInTime },
    });
    assert.deepEqual(timed.spec.dr.restore?.rds.accounts?.pointInTime, pointInTime);
  });

  it("validates, and passes the range check against the real stack files", () => {
    const again = parseRegionSpec(region, file.file);
    assert.equal(again.cloud, "aws");
    checkPeerRanges(again, file.file, readPeerStacks(projectDir));
  });

  it("says why above each key it changed", () => {
    const paths = file.notes.map((note) => note.path.join("."));
    for (const path of [
      "name",
      "aws.region",
      "gke.region",
      "gke.gateway",
      "dr.replaces",
      "dr.backupLocation",
      "dr.restore",
      "dns.existingZone",
      "front.failover",
      "consul.datacenter",
      "hosts.mysql",
    ]) {
      assert.ok(paths.includes(path), `a note on ${path}`);
    }
  });

  it("tells whether the lost stack's records must be deleted first (no failover there) or not", () => {
    const noteOn = (failover: unknown) => {
      const config = configOf("us");
      const front = (config[REGION_CONFIG_KEY] as Record<string, Record<string, unknown>>).front;
      if (front) front.failover = failover;
      const made = makeDrStackFile({
        stack: "us",
        config,
        to: "us-east-1",
        now: NOW,
        backups: usBackups,
      });
      return made.notes.find((n) => n.path.join(".") === "front.failover")?.text ?? "";
    };
    assert.match(
      noteOn(undefined),
      /plain records for these names, which must be deleted before `pulumi up`: npm run dr -- --stack us --retire prints the command/,
    );
    assert.match(noteOn({ role: "primary" }), /SECONDARY records beside us's PRIMARY ones/);
  });
});

describe("restore choices", () => {
  it("--restore-time: any ISO 8601 zone, normalised to UTC seconds", () => {
    assert.equal(parseRestoreTime("2025-06-10T12:00:00+09:00", NOW), "2025-06-10T03:00:00Z");
    assert.equal(parseRestoreTime("2025-06-10T03:04:05.678Z", NOW), "2025-06-10T03:04:05Z");
    assert.equal(parseRestoreTime("2025-06-09T22:30-0430", NOW), "2025-06-10T03:00:00Z");
    const file = make("us", "us-east-1", {
      backups: usBackups,
      restoreTime: "2025-06-10T05:00:00Z",
    });
    assert.deepEqual(regionOf(file).dr.restore.rds.notifications.pointInTime, {
      sourceDbInstanceAutomatedBackupsArn: ARN(2),
      restoreTime: "2025-06-10T05:00:00Z",
    });
  });

  it("--restore-time refuses what is not ISO 8601, not a date, or in the future", () => {
    for (const bad of [
      "yesterday",
      "2025-06-10 03:00:00",
      "2025-06-10T03:00:00",
      "2025-02-30T00:00:00Z",
    ]) {
      refused(() => parseRestoreTime(bad, NOW), /expected an ISO 8601 time with a zone/);
    }
    refused(() => parseRestoreTime("2025-06-10T07:00:00Z", NOW), /is in the future/);
  });

  it("--restore-time refuses a time older than the lost region's backups go back", () => {
    const retention = { stack: "us", days: 14 };
    assert.equal(
      parseRestoreTime("2025-05-27T06:00:00Z", NOW, retention),
      "2025-05-27T06:00:00Z",
      "exactly 14 days back is kept",
    );
    refused(
      () => parseRestoreTime("2025-05-27T05:59:59Z", NOW, retention),
      /^--restore-time 2025-05-27T05:59:59Z: older than us's backups go back \(dr\.backupRetentionDays 14: from 2025-05-27T06:00:00Z\)$/,
    );
    refused(
      () => make("us", "us-east-1", { restoreTime: "2019-01-01T00:00:00Z" }),
      /older than us's backups go back/,
    );
  });

  it("--snapshot LABEL: each database from <its identifier>-LABEL, in any region", () => {
    const file = make("us", "us-east-2", { snapshots: ["final"] });
    assert.deepEqual(regionOf(file).dr.restore.rds, {
      accounts: { snapshotIdentifier: "us-accounts-final" },
      notifications: { snapshotIdentifier: "us-notifications-final" },
    });
  });

  it("--snapshot NAME=ID: a database or a MySQL host's data volume", () => {
    const file = make("us", "us-east-1", {
      backups: usBackups,
      snapshots: [
        "notifications=arn:aws:rds:us-east-1:123456789012:snapshot:us-notifications-copy",
        "mysql-1=snap-0123456789abcdef0",
        "mysql-2=snap-0fedcba9876543210",
      ],
    });
    const restore = regionOf(file).dr.restore;
    assert.deepEqual(restore.rds.notifications, {
      snapshotIdentifier: "arn:aws:rds:us-east-1:123456789012:snapshot:us-notifications-copy",
    });
    assert.equal(restore.rds.accounts.pointInTime.sourceDbInstanceAutomatedBackupsArn, ARN(1));
    assert.deepEqual(restore.mysqlDisks, {
      "mysql-1": { snapshot: "snap-0123456789abcdef0" },
      "mysql-2": { snapshot: "snap-0fedcba9876543210" },
    });
    // Every MySQL host starts from its snapshot: no dump to load.
    assert.equal(restore.mysqlDumps, undefined);
  });

  it("--snapshot for the primary alone is refused: the replica would start empty", () => {
    refused(
      () =>
        make("us", "us-east-1", {
          backups: usBackups,
          snapshots: ["mysql-1=snap-0123456789abcdef0"],
        }),
      /^--snapshot: name an EBS snapshot for every MySQL host of us, or none to load its dumps; missing mysql-2=snap-\.\.\. \(a host that starts empty cannot replicate from a primary restored from a snapshot\)$/,
    );
  });

  it("one line for each request that cannot be met", () => {
    refused(
      () =>
        make("us", "us-east-1", {
          backups: usBackups,
          restoreTime: "2025-06-10T00:00:00Z",
          snapshots: ["final"],
        }),
      /^give --restore-time or --snapshot, not both$/,
    );
    refused(
      () => make("us", "us-west-2", { backups: usBackups }),
      /^--to us-west-2: expected an AWS region other than us-west-2, where us was/,
    );
    refused(
      () => make("us", "europe-west1", { backups: usBackups }),
      /^--to europe-west1: not an AWS region/,
    );
    refused(
      () => make("us", "us-east-9", { snapshots: ["final"] }),
      /^--to us-east-9: not an AWS region .*; known: us-east-1, us-east-2$/,
    );
    refused(
      () => make("us", "us-east-2", { backups: usBackups }),
      /replicated to us-east-1, so a point-in-time restore of accounts, notifications can only be made there/,
    );
    refused(
      () => make("us", "us-east-1", { snapshots: ["billing=x"] }),
      /billing is neither a database/,
    );
    refused(
      () => make("us", "us-east-1", { snapshots: ["mysql-1=vol-1"], backups: usBackups }),
      /expected an EBS snapshot id/,
    );
    refused(
      () => make("us", "us-east-1", { backups: { rds: "nope" } }),
      /--backups: expected the output of/,
    );
    refused(
      () =>
        make("us", "us-east-1", {
          backups: { rds: { accounts: { replicatedBackupsArn: "arn:aws:rds:x" } } },
        }),
      /is not the ARN of replicated backups/,
    );
    refused(
      () =>
        make("us", "us-east-1", {
          backups: { rds: { accounts: { replicatedBackupsArn: ARN(1) } } },
        }),
      /no replicatedBackupsArn for database notifications/,
    );
    const named = renderDrStackFile(
      make("us", "us-east-1", { backups: usBackups, zones: ["us-east-1a", "us-east-1b"] }),
    );
    assert.match(
      named,
      /# As --zones named them\. In AWS's oldest regions the letters are the account's own, so\n\s+# only AWS can check them, at `pulumi up`: aws ec2 describe-availability-zones --region\n\s+# us-east-1 lists this account's\.\n\s+zones: \[us-east-1a, us-east-1b\]\n/,
    );
    refused(
      () => make("us", "us-east-1", { backups: usBackups, zones: ["eu-west-1a", "us-east-1b"] }),
      /^--zones: eu-west-1a is not a zone of us-east-1/,
    );
    refused(
      () => make("us", "us-east-1", { backups: usBackups, backupLocation: "us-east-1" }),
      /^--backup-location us-east-1: expected an AWS region other than us-east-1, where the rebuild runs/,
    );
    // Once said with the file named and the advice contradicting itself; now the option alone.
    refused(
      () => make("us", "us-east-1", { backups: usBackups, backupLocation: "europe-west1" }),
      /^--backup-location europe-west1: not an AWS region/,
    );
    const long = configOf("us");
    (long[REGION_CONFIG_KEY] as Record<string, unknown>).name = "unitedsta";
    refused(
      () =>
        makeDrStackFile({
          stack: "us",
          config: long,
          to: "us-east-1",
          now: NOW,
          backups: usBackups,
        }),
      /unitedstadr .* is longer than 10 characters/,
    );
  });
});

describe("uk (GCP) and jp (Sakura)", () => {
  it("uk: disks from named snapshots, zones that exist in europe-west1, backups back in europe-west2", () => {
    const file = make("uk", "europe-west1", {
      snapshots: ["mysql-1=uk-mysql-1-data-a", "mysql-2=uk-mysql-2-data-b"],
    });
    const region = regionOf(file);
    assert.equal(region.name, "ukdr");
    assert.equal(region.gcp.region, "europe-west1");
    assert.equal(region.gcp.project, "example-uk-prod");
    assert.deepEqual(region.gcp.zones, ["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
    assert.equal(region.dr.backupLocation, "europe-west2");
    assert.deepEqual(region.dr.restore, {
      mysqlDisks: {
        "mysql-1": { snapshot: "uk-mysql-1-data-a" },
        "mysql-2": { snapshot: "uk-mysql-2-data-b" },
      },
    });
    const label = regionOf(make("uk", "europe-west3", { snapshots: ["before-move"] }));
    assert.equal(label.dr.restore.mysqlDisks["mysql-2"].snapshot, "uk-mysql-2-data-before-move");
    // Without --snapshot each disk comes from the latest snapshot of uk's disk; one named
    // snapshot overrides it for its host only.
    assert.deepEqual(regionOf(make("uk", "europe-west1")).dr.restore, {
      mysqlDisks: {
        "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
        "mysql-2": { latestSnapshotOf: "uk-mysql-2-data" },
      },
    });
    const older = regionOf(make("uk", "europe-west1", { snapshots: ["mysql-2=uk-mysql-2-old"] }));
    assert.deepEqual(older.dr.restore.mysqlDisks, {
      "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
      "mysql-2": { snapshot: "uk-mysql-2-old" },
    });
    refused(
      () => make("uk", "europe-west1", { restoreTime: "2025-06-10T00:00:00Z" }),
      /keeps no point-in-time backups/,
    );
    refused(
      () => make("uk", "europe-west1", { snapshots: ["util-1=x"] }),
      /util-1 is not a MySQL host of uk/,
    );
  });

  it("jp: every role on Sakura Cloud in the new zone, the SSH key to set again, no snapshots to name", () => {
    const file = make("jp", "is1a");
    const region = regionOf(file);
    assert.equal(region.sakura.zone, "is1a");
    assert.equal(region.sakura.dedicated, undefined);
    assert.equal(region.hosts.app.placement, undefined);
    assert.equal(region.hosts.mysql.placement, undefined);
    assert.equal(file.spec.hosts.mysql.placement, "cloud");
    assert.equal(region.dr.backupLocation, "tk1a");
    assert.equal(region.front.failover, undefined, "multivalue records cannot fail over");
    assert.deepEqual(file.secretsToSet, ["multicloud:sshPrivateKey"]);
    assert.ok(
      file.header.some((line) =>
        line.includes("pulumi config set --secret multicloud:sshPrivateKey -s jp-dr"),
      ),
    );
    refused(
      () => make("jp", "tk1a"),
      /^--to tk1a: expected a Sakura Cloud zone other than tk1a, where jp was/,
    );
    refused(() => make("jp", "tk1v"), /^--to tk1v: the Sakura Cloud sandbox zone runs no servers/);
    refused(() => make("jp", "is1d"), /^--to is1d: not a Sakura Cloud zone/);
    refused(() => make("jp", "is1b", { snapshots: ["final"] }), /comes back from its newest dump/);
  });

  it("does not copy encrypted secrets: they are the old stack's; it lists them to set again", () => {
    const config = {
      ...configOf("us"),
      "multicloud:apiToken": { secure: "v1:AAAABBBBCCCC" },
    };
    const file = makeDrStackFile({
      stack: "us",
      config,
      to: "us-east-1",
      now: NOW,
      backups: usBackups,
    });
    assert.equal(file.config["multicloud:apiToken"], undefined);
    assert.deepEqual(file.secretsToSet, ["multicloud:apiToken"]);
  });
});

describe("the written YAML", () => {
  const file = make("us", "us-east-1", { backups: usBackups, restoreTime: "2025-06-10T05:00:00Z" });
  const text = renderDrStackFile(file);

  it("reads back as exactly the config, with times kept as strings", () => {
    assert.deepEqual(parse(text), { config: file.config });
    assert.match(text, /restoreTime: "2025-06-10T05:00:00Z"/);
  });

  it("has the header, and a comment above each changed key", () => {
    assert.match(
      text,
      /^# Disaster-recovery rebuild of stack us \(Pulumi\.us\.yaml\) in us-east-1/,
    );
    assert.match(text, /# Was us-west-2 \(US West \(Oregon\)\)\.\n/);
    assert.match(text, /# Replaces stack us: .*\n\s+replaces: us\n/);
    for (const line of text.split("\n").filter((l) => l.trimStart().startsWith("#"))) {
      assert.ok(line.trim().length <= 100, `a short comment line: ${line}`);
    }
  });

  it("wraps long notes at spaces and keeps indents", () => {
    assert.deepEqual(wrap("  pulumi config set --secret x"), ["  pulumi config set --secret x"]);
    const lines = wrap("word ".repeat(40).trim());
    assert.ok(lines.length > 1 && lines.every((line) => line.length <= 88));
  });
});

describe("jp's dedicated servers on Sakura Cloud", () => {
  const file = make("jp", "is1a");
  const region = regionOf(file);

  it("runs their roles on the largest Sakura Cloud plan known, with more app servers to keep the cores", () => {
    // 2xlarge asks 16 cores / 64 GiB; the largest standard plan known is 10 cores / 48 GiB.
    assert.deepEqual(region.hosts.app, { count: 7, size: "2xlarge", machineType: "10c48g" });
    assert.deepEqual(region.hosts.mysql, {
      count: 2,
      size: "2xlarge",
      dataDiskGb: 2000,
      machineType: "10c48g",
    });
    const appNote = file.notes.find((n) => n.path.join(".") === "hosts.app")?.text ?? "";
    assert.match(appNote, /app01 -> app-1, app02 -> app-2, app03 -> app-3, app04 -> app-4/);
    assert.match(appNote, /plan 10 cores \/ 48 GiB/);
    assert.match(appNote, /on 7 servers instead of 4/);
    const mysqlNote = file.notes.filter((n) => n.path.join(".") === "hosts.mysql");
    assert.match(
      mysqlNote[0]?.text ?? "",
      /disk of 2048 GB \(Sakura's smallest size that holds 2000 GB\)/,
    );
    assert.match(mysqlNote[0]?.text ?? "", /has less than its metal had/);
  });

  it("answers the servers' old names with their successors, and loads db01's newest dump", () => {
    assert.deepEqual(region.dr.formerHosts, {
      app01: "app-1",
      app02: "app-2",
      app03: "app-3",
      app04: "app-4",
      db01: "mysql-1",
      db02: "mysql-2",
    });
    assert.deepEqual(region.dr.restore, {
      mysqlDumps: { store: "s3", location: "ap-northeast-3", fromStack: "jp", primary: "db01" },
    });
    const saved = regionOf(
      make("jp", "is1a", {
        backups: {
          cloud: "sakura",
          offsite: {
            region: "ap-northeast-3",
            bucket: "jp-offsite-x1",
            keyArn:
              "arn:aws:kms:ap-northeast-3:123456789012:key/11111111-2222-4333-8444-555555555555",
          },
        },
      }),
    );
    assert.equal(saved.dr.restore.mysqlDumps.bucket, "jp-offsite-x1");
    assert.equal(
      saved.dr.restore.mysqlDumps.keyArn,
      "arn:aws:kms:ap-northeast-3:123456789012:key/11111111-2222-4333-8444-555555555555",
    );
    refused(
      () => make("jp", "is1a", { backups: { cloud: "sakura" } }),
      /^--backups: no offsite\.bucket/,
    );
    // Without the key the rebuild's readers could not decrypt the dumps: refused, not written.
    refused(
      () =>
        make("jp", "is1a", {
          backups: { cloud: "sakura", offsite: { region: "ap-northeast-3", bucket: "jp-x1" } },
        }),
      /^--backups: no offsite\.keyArn .*decrypt the dumps$/,
    );
  });

  it("moves the GKE cluster from Tokyo to Osaka, its authorized networks kept and said", () => {
    assert.equal(region.gke.region, "asia-northeast2");
    assert.deepEqual(region.gke.authorizedNetworks, [
      { name: "sakura-tokyo", cidr: "203.0.113.0/24" },
    ]);
    assert.ok(file.notes.some((n) => n.path.join(".") === "gke.authorizedNetworks"));
    // From Tokyo itself, Tokyo is the lost cluster's region: the next nearest is taken.
    assert.equal(regionOf(make("jp", "tk1b")).gke.region, "asia-northeast2");
  });
});
