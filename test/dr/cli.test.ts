// `npm run dr` as people run it, in a scratch copy of the project: it writes Pulumi.us-dr.yaml,
// refuses to overwrite it, says what is wrong in one line, and the offline plan accepts what it
// wrote: no new zone, SECONDARY records in the existing one, databases restored, backups back home.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { Plan } from "../../tools/plan/plan";
import { scratchProject as scratchCopy } from "../support/scratch-project";
import { projectDir } from "../support/stacks";

const ARN = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-l2ijcexjp7xq7hoj4siexample";

function run(tool: "dr" | "plan", args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(cwd, `tools/${tool}/cli.ts`), ...args],
      { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A scratch project with the backups file of a lost us region beside its stack files. */
function scratchProject(): string {
  const dir = scratchCopy("multicloud-dr-");
  // The offline plan checks the policy pack too.
  symlinkSync(join(projectDir, "policy"), join(dir, "policy"));
  writeFileSync(
    join(dir, "us-backups.json"),
    JSON.stringify({
      cloud: "aws",
      rds: {
        accounts: { identifier: "us-accounts", replicatedBackupsArn: ARN },
        notifications: { identifier: "us-notifications", replicatedBackupsArn: `${ARN}2` },
      },
    }),
  );
  return dir;
}

describe("npm run dr", { concurrency: true }, () => {
  it("writes the file, refuses to overwrite it, and the offline plan accepts it", async () => {
    const dir = scratchProject();
    const target = join(dir, "Pulumi.us-dr.yaml");
    const args = ["--stack", "us", "--to", "us-east-1", "--backups", "us-backups.json"];
    const time = ["--restore-time", "2025-06-10T03:00:00Z"];

    const written = await run("dr", [...args, ...time], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(
      written.stdout,
      /^Wrote Pulumi\.us-dr\.yaml: us rebuilt in us-east-1 as region usdr\./,
    );
    assert.match(
      written.stdout,
      new RegExp(`database accounts: from ${ARN} \\(2025-06-10T03:00:00Z\\)`),
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
      "dr: Pulumi.us-dr.yaml exists already: not overwriting it (add --force to replace it)",
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
      restoreTime: "2025-06-10T03:00:00Z",
    });
    assert.equal(accounts?.protect, true);
    const providers = Object.fromEntries(
      of("pulumi:providers:aws").map((p) => [p.name, p.inputs.region]),
    );
    assert.equal(providers["usdr-aws-aws"], "us-east-1");
    assert.equal(providers["usdr-aws-backups-aws"], "us-west-2");
    assert.ok(!plan.resources.some((r) => r.type.startsWith("gcp:container")), "no GKE cluster");
  });

  it("without --backups, restores read the ARNs from the lost stack's drBackups output", async () => {
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

    const json = join(dir, "us-dr.json");
    const planned = await run("plan", ["--stack", "us-dr", "--json", json], dir);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(readFileSync(json, "utf8")) as Plan;
    // The plan's organization is a self-managed backend's, as the engine names it there.
    const reference =
      "urn:pulumi:us-dr::multicloud::multicloud:index:Region$pulumi:pulumi:StackReference::organization/multicloud/us";
    for (const db of ["accounts", "notifications"]) {
      const instance = plan.resources.find(
        (r) => r.type === "aws:rds/instance:Instance" && r.name === `usdr-aws-db-${db}-instance`,
      );
      assert.deepEqual(instance?.inputs.restoreToPointInTime, {
        sourceDbInstanceAutomatedBackupsArn: `arn:aws:rds:us-east-1:123456789012:auto-backup:ab-offline-${db}`,
        useLatestRestorableTime: true,
      });
      assert.ok(instance?.dependencies.includes(reference), `${db} depends on the stack reference`);
    }
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

  it("uk: each MySQL disk from the latest snapshot of the lost disk, looked up by the plan", async () => {
    const dir = scratchProject();
    const written = await run("dr", ["--stack", "uk", "--to", "europe-west1"], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /mysql-1 data: from the latest snapshot of disk uk-mysql-1-data/);
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

    const json = join(dir, "uk-dr.json");
    const planned = await run("plan", ["--stack", "uk-dr", "--json", json], dir);
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(readFileSync(json, "utf8")) as Plan;
    const disks = plan.resources.filter((r) => r.type === "gcp:compute/disk:Disk");
    // The offline answer names the snapshot after the disk in the lookup's filter.
    assert.deepEqual(
      Object.fromEntries(disks.map((d) => [d.inputs.name, d.inputs.snapshot])),
      Object.fromEntries(
        ["mysql-1", "mysql-2"].map((host) => [
          `ukdr-${host}-data`,
          `https://www.googleapis.com/compute/v1/projects/example-uk-prod/global/snapshots/uk-${host}-data-offline-latest`,
        ]),
      ),
    );
    for (const disk of disks) assert.deepEqual(disk.ignoreChanges, ["snapshot"]);
  });

  it("says what is wrong in one line, exit 2, and writes nothing", async () => {
    const dir = scratchProject();
    const cases: [string[], string][] = [
      [
        ["--stack", "nope", "--to", "us-east-1"],
        'dr: unknown stack "nope": there is no Pulumi.nope.yaml (stacks here: jp, uk, us)',
      ],
      [
        ["--stack", "us", "--to", "eu-west"],
        "dr: --to eu-west: expected an AWS region other than us-west-2, such as us-east-1",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--restore-time", "tuesday"],
        "dr: --restore-time tuesday: expected an ISO 8601 time with a zone, such as 2025-06-10T03:00:00Z",
      ],
      [
        [
          "--stack",
          "us",
          "--to",
          "us-east-1",
          "--restore-time",
          "2025-06-10T03:00:00Z",
          "--snapshot",
          "final",
        ],
        "dr: give --restore-time or --snapshot, not both",
      ],
      [
        ["--stack", "us", "--to", "us-east-1", "--backups", "missing.json"],
        "dr: --backups missing.json: cannot be read",
      ],
      [["--stack", "us"], "dr: missing --to <location> (see --help)"],
      [
        ["--stack", "us", "--to", "us-east-1", "--colour"],
        'dr: unknown option "--colour" (see --help)',
      ],
    ];
    const results = await Promise.all(cases.map(([argv]) => run("dr", argv, dir)));
    cases.forEach(([argv, expected], index) => {
      const result = results[index];
      assert.equal(result?.code, 2, argv.join(" "));
      assert.equal(result?.stderr.trim(), expected);
      assert.equal(result?.stdout, "");
    });
    assert.ok(!existsSync(join(dir, "Pulumi.us-dr.yaml")));
    const help = await run("dr", ["--help"], dir);
    assert.match(help.stdout, /^usage: npm run dr -- --stack <name> --to <location>/);
  });
});
