// `npm run dr` as people run it, in a scratch copy of the project: it writes Pulumi.us-dr.yaml,
// refuses to overwrite it, says what is wrong in one line, and the offline plan accepts what it
// wrote: no new zone, SECONDARY records in the existing one, databases restored, backups back home.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { Plan } from "../../tools/plan/plan";
import { drScratch, planOf, run } from "./run-tool";

const ARN = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-l2ijcexjp7xq7hoj4siexample";

/** A scratch project with the backups file of a lost us region beside its stack files. */
function scratchProject(): string {
  const dir = drScratch();
  writeFileSync(
    join(dir, "us-backups.json"),
    JSON.stringify({
      cloud: "aws",
      offsite: {
        region: "us-east-1",
        bucket: "multicloud-us-offsite-1",
        keyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555",
      },
      rds: {
        accounts: { identifier: "us-accounts", replicatedBackupsArn: ARN },
        notifications: { identifier: "us-notifications", replicatedBackupsArn: `${ARN}2` },
      },
    }),
  );
  return dir;
}

/** An hour ago, to the second: inside any retention, before any latest restorable time. */
const FOURTEEN_DAYS_AGO = new Date(Date.now() - 14 * 24 * 3600_000)
  .toISOString()
  .replace(/\.\d{3}Z$/, "Z");
const RECENT = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000)
  .toISOString()
  .replace(/\.\d{3}Z$/, "Z");

describe("npm run dr", { concurrency: true }, () => {
  it("writes the file, refuses to overwrite it, and the offline plan accepts it", async () => {
    const dir = scratchProject();
    const target = join(dir, "Pulumi.us-dr.yaml");
    const args = ["--stack", "us", "--to", "us-east-1", "--backups", "us-backups.json"];
    const time = ["--restore-time", RECENT];

    const written = await run("dr", [...args, ...time], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(
      written.stdout,
      /^Wrote Pulumi\.us-dr\.yaml: us rebuilt in us-east-1 as region usdr\./,
    );
    assert.match(
      written.stdout,
      new RegExp(
        `database accounts: from ${ARN} \\(${RECENT}, within us's retention; not checked against the latest restorable time, which --restore-window would check\\)`,
      ),
    );
    const before = readFileSync(target, "utf8");
    const region = (parse(before) as { config: Record<string, Record<string, unknown>> }).config[
      "multicloud:region"
    ];
    assert.equal(region?.name, "usdr");

    const refused = await run("dr", args, dir);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr.trim(),
      "dr: Pulumi.us-dr.yaml exists already: not overwriting it (add --force to replace it) (nothing written)",
    );
    assert.equal(readFileSync(target, "utf8"), before);
    const forced = await run("dr", [...args, ...time, "--force"], dir);
    assert.equal(forced.code, 0, forced.stderr);

    const json = join(dir, "us-dr.json");
    const planned = await run("plan", ["--stack", "us-dr", "--json", json], dir);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(readFileSync(json, "utf8")) as Plan;
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    const publicZones = of("aws:route53/zone:Zone").filter((z) => z.inputs.name === "example.com");
    assert.deepEqual(publicZones, [], "no second zone for the domain");
    assert.equal(plan.outputs.publicZoneId, "Z0EXISTINGPUBLICZONE");
    const front = of("aws:route53/record:Record").filter(
      (r) => r.name.startsWith("usdr-aws-front-") && r.name.endsWith("-a"),
    );
    assert.equal(front.length, 2);
    for (const record of front) {
      assert.equal(record.inputs.zoneId, "Z0EXISTINGPUBLICZONE");
      assert.deepEqual(record.inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
    }
    const accounts = of("aws:rds/instance:Instance").find(
      (r) => r.name === "usdr-aws-db-accounts-instance",
    );
    assert.deepEqual(accounts?.inputs.restoreToPointInTime, {
      sourceDbInstanceAutomatedBackupsArn: ARN,
      restoreTime: RECENT,
    });
    assert.equal(accounts?.protect, true);
    const providers = Object.fromEntries(
      of("pulumi:providers:aws").map((p) => [p.name, p.inputs.region]),
    );
    assert.equal(providers["usdr-aws-aws"], "us-east-1");
    assert.equal(providers["usdr-aws-backups-aws"], "us-west-2");
    const clusters = of("gcp:container/cluster:Cluster");
    assert.deepEqual(
      clusters.map((cluster) => cluster.inputs.location),
      ["us-east4"],
      "the GKE cluster moved with the region",
    );
  });

  it("without --backups, restores name the lost stack to read the ARNs from (planned in rebuild-plans.test.ts)", async () => {
    const dir = scratchProject();
    const written = await run("dr", ["--stack", "us", "--to", "us-east-1"], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(
      written.stdout,
      /database accounts: from the replicated backups in stack us's drBackups output \(latest restorable time\)/,
    );
    const region = (
      parse(readFileSync(join(dir, "Pulumi.us-dr.yaml"), "utf8")) as {
        config: Record<string, { dr: { restore: { rds: Record<string, unknown> } } }>;
      }
    ).config["multicloud:region"];
    assert.deepEqual(region?.dr.restore.rds, {
      accounts: { pointInTime: { fromStack: "us", useLatestRestorableTime: true } },
      notifications: { pointInTime: { fromStack: "us", useLatestRestorableTime: true } },
    });
  });

  it("a fail-back plans, and its file breaks neither the stack it replaces nor the one before", async () => {
    const dir = scratchProject();
    const rebuilt = await run("dr", ["--stack", "us", "--to", "us-east-1"], dir);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    // Back home: us-dr rebuilt where us was.
    const back = await run("dr", ["--stack", "us-dr", "--to", "us-west-2"], dir);
    assert.equal(back.code, 0, back.stderr);
    assert.match(
      back.stdout,
      /^Wrote Pulumi\.us-dr-dr\.yaml: us-dr rebuilt in us-west-2 as region usdrdr\./,
    );
    const stacks = ["us", "us-dr", "us-dr-dr"];
    const plans = await Promise.all(
      stacks.map((stack) =>
        run("plan", ["--stack", stack, "--json", join(dir, `${stack}.json`)], dir),
      ),
    );
    for (const [index, planned] of plans.entries()) {
      assert.equal(planned.code, 0, `${stacks[index]}: ${planned.stderr}`);
    }
    // The fail-back's databases come from the backups us-dr replicates to its backup region, which
    // the offline plan answers from us-dr's stack file.
    const failBack = JSON.parse(readFileSync(join(dir, "us-dr-dr.json"), "utf8")) as Plan;
    const accounts = failBack.resources.find(
      (r) => r.type === "aws:rds/instance:Instance" && r.name === "usdrdr-aws-db-accounts-instance",
    );
    assert.deepEqual(accounts?.inputs.restoreToPointInTime, {
      sourceDbInstanceAutomatedBackupsArn:
        "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-offline-accounts",
      useLatestRestorableTime: true,
    });
  });

  it("jp: the hosts line says the lost region's counts where the rebuild's differ", async () => {
    const dir = scratchProject();
    const written = await run("dr", ["--stack", "jp", "--to", "is1a"], dir);
    assert.equal(written.code, 0, written.stderr);
    // jp's four dedicated app servers (16 vCPU, 64 GiB) outgrow every Sakura Cloud plan: the
    // rebuild has more of them, so its counts are not jp's.
    const hosts = /^ {2}hosts: (.*)$/m.exec(written.stdout)?.[1] ?? "";
    assert.match(hosts, /\(jp: nginx 3, app 4, mysql 2, memcached 2, util 3, chocon 2\)$/);
    assert.doesNotMatch(hosts, /\(as jp\)/);
    const us = await run("dr", ["--stack", "us", "--to", "us-east-1"], dir);
    assert.equal(us.code, 0, us.stderr);
    assert.match(
      us.stdout,
      /^ {2}hosts: nginx 3, app 6, mysql 2, memcached 2, util 3, chocon 2 \(as us\)$/m,
    );
  });

  it("a stack file that cannot be read is one line naming it and why, exit 2", async () => {
    const dir = scratchProject();
    // A directory where the stack file should be: even root cannot read it as a file.
    rmSync(join(dir, "Pulumi.us.yaml"));
    mkdirSync(join(dir, "Pulumi.us.yaml"));
    const result = await run("dr", ["--stack", "us", "--to", "us-east-1"], dir);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr.trim(),
      "dr: Pulumi.us.yaml: cannot read it (EISDIR: illegal operation on a directory, read) (nothing written)",
    );
    assert.ok(!existsSync(join(dir, "Pulumi.us-dr.yaml")));
  });

  it("uk: each MySQL disk from the latest snapshot of the lost disk (planned in rebuild-plans.test.ts)", async () => {
    const dir = scratchProject();
    const written = await run("dr", ["--stack", "uk", "--to", "europe-west1"], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.ok(
      written.stdout.includes(
        "  mysql-1 data: from the latest snapshot of disk uk-mysql-1-data; the snapshot's time is " +
          "the recovery point, in Consul KV multicloud/mysql/recovery-point",
      ),
      written.stdout,
    );
    const region = (
      parse(readFileSync(join(dir, "Pulumi.uk-dr.yaml"), "utf8")) as {
        config: Record<string, { dr: { restore: Record<string, unknown> } }>;
      }
    ).config["multicloud:region"];
    assert.deepEqual(region?.dr.restore, {
      mysqlDisks: {
        "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
        "mysql-2": { latestSnapshotOf: "uk-mysql-2-data" },
      },
    });
  });

  it("us: MySQL volumes from named EBS snapshots, each host tagged with its snapshot's time (planned here)", async () => {
    const dir = scratchProject();
    const written = await run(
      "dr",
      [
        ...["--stack", "us", "--to", "us-east-1", "--backups", "us-backups.json"],
        ...["--snapshot", "mysql-1=snap-0123456789abcdef0"],
        ...["--snapshot", "mysql-2=snap-0fedcba9876543210"],
      ],
      dir,
    );
    assert.equal(written.code, 0, written.stderr);
    assert.ok(
      written.stdout.includes(
        "  mysql-1 data: from snapshot snap-0123456789abcdef0; the snapshot's time is " +
          "the recovery point, in Consul KV multicloud/mysql/recovery-point",
      ),
      written.stdout,
    );
    const plan = await planOf(dir, "us-dr");
    const points = Object.fromEntries(
      plan.resources
        .filter((r) => r.type === "aws:ec2/instance:Instance")
        .flatMap((r) => {
          const point = (r.inputs.tags as Record<string, unknown> | undefined)?.[
            "multicloud-recovery-point"
          ];
          return point === undefined ? [] : [[r.name, point]];
        }),
    );
    // The offline answer's startTime, then the snapshot named on the command line.
    assert.deepEqual(points, {
      "usdr-aws-fleet-mysql-1-instance": "2025-06-10T10:00:07Z snap-0123456789abcdef0",
      "usdr-aws-fleet-mysql-2-instance": "2025-06-10T10:00:07Z snap-0fedcba9876543210",
    });
  });

  it("says what is wrong in one line, exit 2, and writes nothing", async () => {
    const dir = scratchProject();
    const cases: [string[], string][] = [
      [
        ["--stack", "nope", "--to", "us-east-1"],
        'dr: unknown stack "nope": there is no Pulumi.nope.yaml (stacks here: jp, uk, us) (nothing written)',
      ],
      [
        ["--stack", "us", "--to", "eu-west"],
        "dr: --to eu-west: not an AWS region (partition aws of botocore 1.44.18's partitions.json); known: eu-west-1, eu-west-2, eu-west-3 (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-9", "--snapshot", "final"],
        "dr: --to us-east-9: not an AWS region (partition aws of botocore 1.44.18's partitions.json); known: us-east-1, us-east-2 (nothing written)",
      ],
      [
        ["--stack", "uk", "--to", "europe-west7"],
        "dr: --to europe-west7: not a GCP region (cloud.google.com/compute/docs/regions-zones, December 2026); known: europe-west1, europe-west3, europe-west4, europe-west6, europe-west8, europe-west9, europe-west10, europe-west12 (nothing written)",
      ],
      [
        ["--stack", "uk", "--to", "europe-west3", "--zones", "europe-west3-a,europe-west3-d"],
        "dr: --zones: europe-west3-d is not a zone of europe-west3 (cloud.google.com/compute/docs/regions-zones, December 2026: europe-west3-a, europe-west3-b, europe-west3-c) (nothing written)",
      ],
      [
        ["--stack", "jp", "--to", "tk1v"],
        "dr: --to tk1v: the Sakura Cloud sandbox zone runs no servers; known zones: tk1b, is1a, is1b, is1c (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--backup-location", "europe-west1"],
        "dr: --backup-location europe-west1: not an AWS region (partition aws of botocore 1.44.18's partitions.json); known: af-south-1, ap-east-1, ap-east-2 (all 35: tools/dr/locations/aws-regions.ts) (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", "2019-01-01T00:00:00Z"],
        `dr: --restore-time 2019-01-01T00:00:00Z: older than us's backups go back (dr.backupRetentionDays 14: from ${FOURTEEN_DAYS_AGO}) (nothing written)`,
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", "tuesday"],
        "dr: --restore-time tuesday: expected an ISO 8601 time with a zone, such as 2025-06-10T03:00:00Z (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", RECENT, "--snapshot", "final"],
        "dr: give --restore-time or --snapshot, not both (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--backups", "missing.json"],
        "dr: --backups missing.json: cannot be read (ENOENT: no such file or directory, open 'missing.json') (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", RECENT, "--restore-window", "."],
        "dr: --restore-window .: cannot be read (EISDIR: illegal operation on a directory, read) (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--zones", "us-east-1a,,us-east-1b"],
        "dr: --zones us-east-1a,,us-east-1b: an empty zone name: expected zones separated by commas, such as us-east-1a,us-east-1b (nothing written)",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--x\ny\u001b[31m"],
        'dr: unknown option "--x\\ny\\u001b[31m" (see --help) (nothing written)',
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", "2026\n12"],
        "dr: --restore-time 2026\\n12: expected an ISO 8601 time with a zone, such as 2025-06-10T03:00:00Z (nothing written)",
      ],
      [["--stack", "us"], "dr: missing --to <location> (see --help) (nothing written)"],
      [
        ["--stack", "us", "--to", "us-east-1", "--colour"],
        'dr: unknown option "--colour" (see --help) (nothing written)',
      ],
    ];
    const results = await Promise.all(cases.map(([argv]) => run("dr", argv, dir)));
    cases.forEach(([argv, expected], index) => {
      const result = results[index];
      assert.equal(result?.code, 2, argv.join(" "));
      // The retention's first instant moves with the clock: within two minutes of the test's.
      const stamp = /from (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/;
      const seen = stamp.exec(result?.stderr ?? "")?.[1];
      if (seen) {
        assert.ok(Math.abs(Date.parse(seen) - Date.parse(FOURTEEN_DAYS_AGO)) < 120_000, seen);
      }
      const anyStamp = (text: string) => text.trim().replace(stamp, "from <time>");
      assert.equal(anyStamp(result?.stderr ?? ""), anyStamp(expected));
      assert.equal(result?.stdout, "");
    });
    for (const stack of ["us", "uk", "jp"])
      assert.ok(!existsSync(join(dir, `Pulumi.${stack}-dr.yaml`)), `no ${stack}-dr file`);
    const help = await run("dr", ["--help"], dir);
    assert.match(help.stdout, /^usage: npm run dr -- --stack <name> --to <location>/);
  });
});
