// The whole region comes back, for each stack: `npm run dr -- --stack <s> --to <elsewhere>`, then
// `npm run plan -- --stack <s>-dr` exits 0, and the rebuild's plan holds every role of the
// original's hosts and, where the original has GKE, a cluster elsewhere with the same workloads.
// Both stacks' plans together share nothing that either's creation or destruction breaks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gkeContents, hostsByRole } from "../../tools/dr/plan-contents";
import { DISK_SNAPSHOT } from "../../tools/dr/recovery-points";
import { claimsOf, collisions, lostByDestroying } from "../../tools/dr/shared-names";
import type { Plan } from "../../tools/plan/plan";
import { drScratch, planOf, run } from "./run-tool";

interface Case {
  readonly stack: "jp" | "us" | "uk";
  readonly to: string;
  /** The original's hosts, as its stack file has them. */
  readonly hosts: Record<string, number>;
  /** Where the rebuild's cluster runs; none when the original has no GKE. */
  readonly gkeRegion?: string;
}

const CASES: readonly Case[] = [
  {
    stack: "jp",
    to: "is1a",
    // app and mysql on dedicated servers, the rest on Sakura Cloud.
    hosts: { app: 4, chocon: 2, memcached: 2, mysql: 2, nginx: 3, util: 3 },
    gkeRegion: "asia-northeast2",
  },
  {
    stack: "us",
    to: "us-east-1",
    hosts: { app: 6, chocon: 2, memcached: 2, mysql: 2, nginx: 3, util: 3 },
    gkeRegion: "us-east4",
  },
  {
    stack: "uk",
    to: "europe-west1",
    hosts: { app: 4, chocon: 2, memcached: 2, mysql: 2, nginx: 2, util: 3 },
  },
];

const dir = drScratch();
const plans = new Map<string, Promise<{ original: Plan; rebuild: Plan }>>();

function plansOf(c: Case): Promise<{ original: Plan; rebuild: Plan }> {
  let found = plans.get(c.stack);
  if (!found) {
    found = (async () => {
      const written = await run("dr", ["--stack", c.stack, "--to", c.to], dir);
      assert.equal(written.code, 0, written.stderr);
      const [original, rebuild] = await Promise.all([
        planOf(dir, c.stack),
        planOf(dir, `${c.stack}-dr`),
      ]);
      return { original, rebuild };
    })();
    plans.set(c.stack, found);
  }
  return found;
}

for (const c of CASES) {
  describe(`${c.stack} rebuilt in ${c.to}`, () => {
    it("plans, with every role of the original's hosts", async () => {
      const { original, rebuild } = await plansOf(c);
      assert.deepEqual(
        hostsByRole(original),
        c.hosts,
        "the original's hosts, as its file has them",
      );
      const rebuilt = hostsByRole(rebuild);
      for (const [role, count] of Object.entries(c.hosts)) {
        assert.ok(
          (rebuilt[role] ?? 0) >= count,
          `${role}: ${rebuilt[role]} hosts, at least ${count}`,
        );
      }
    });

    it(
      c.gkeRegion
        ? `moves the GKE cluster to ${c.gkeRegion} with the same workloads`
        : "has no GKE, as the original",
      async () => {
        const { original, rebuild } = await plansOf(c);
        const before = gkeContents(original);
        const after = gkeContents(rebuild);
        assert.deepEqual(after.clusters, c.gkeRegion ? [c.gkeRegion] : []);
        // chocon runs the same digest, pushed by the deploy into the rebuild's own registry.
        const lost = before.clusters[0];
        const moved = before.workloads.map((w) =>
          lost && c.gkeRegion && w.startsWith("Deployment chocon/chocon ")
            ? w.replace(`=${lost}-docker.pkg.dev/`, `=${c.gkeRegion}-docker.pkg.dev/`)
            : w,
        );
        assert.deepEqual(after.workloads, moved);
        if (c.gkeRegion) {
          const deployments = after.workloads.filter((w) => w.startsWith("Deployment "));
          assert.equal(deployments.length, 2);
          assert.match(deployments.join("\n"), /^Deployment gateway\/api-gateway /m);
          assert.match(deployments.join("\n"), /^Deployment chocon\/chocon /m);
        }
      },
    );

    it("takes no name or record the original holds, unless both share it on purpose", async () => {
      const { original, rebuild } = await plansOf(c);
      assert.deepEqual(collisions(original, rebuild), []);
      assert.deepEqual(collisions(rebuild, original), []);
    });

    it("destroying either stack leaves every record and name of the other", async () => {
      const { original, rebuild } = await plansOf(c);
      assert.deepEqual(lostByDestroying(original, rebuild), []);
      assert.deepEqual(lostByDestroying(rebuild, original), []);
    });
  });
}

describe("what the rebuilds share with the lost stacks, and what they do not", () => {
  it("uk: the certificates' challenge records are written by both and kept by both", async () => {
    const { original, rebuild } = await plansOf(CASES[2] as Case);
    const shared = claimsOf(rebuild).filter((claim) =>
      claimsOf(original).some((other) => other.key === claim.key),
    );
    const records = shared
      .filter((claim) => claim.key.startsWith("route53 "))
      .map((claim) => claim.key);
    assert.deepEqual(records.sort(), [
      "route53 public example.co.uk _acme-challenge.example.co.uk CNAME ",
      "route53 public example.co.uk _acme-challenge.www.example.co.uk CNAME ",
    ]);
    for (const plan of [original, rebuild]) {
      for (const claim of claimsOf(plan).filter((c) => records.includes(c.key))) {
        assert.equal(claim.survives, true, `${claim.urn} is retained on delete`);
        assert.equal(claim.shared, true, `${claim.urn} may overwrite`);
      }
    }
  });

  it("uk: the data disks are snapshotted on the schedule the recovery points say", async () => {
    const { original } = await plansOf(CASES[2] as Case);
    const policy = original.resources.find(
      (r) => r.type === "gcp:compute/resourcePolicy:ResourcePolicy",
    );
    const schedule = (policy?.inputs.snapshotSchedulePolicy as { schedule?: unknown } | undefined)
      ?.schedule;
    assert.deepEqual(schedule, { dailySchedule: { ...DISK_SNAPSHOT } });
  });

  it("uk: the rebuild's GCE instances carry its name in the shared project", async () => {
    const { rebuild } = await plansOf(CASES[2] as Case);
    const names = rebuild.resources
      .filter((r) => r.type === "gcp:compute/instance:Instance")
      .map((r) => r.inputs.name)
      .sort();
    assert.deepEqual(names, [
      "ukdr-chocon-1",
      "ukdr-chocon-2",
      "ukdr-memcached-1",
      "ukdr-memcached-2",
      "ukdr-mysql-1",
      "ukdr-mysql-2",
      "ukdr-util-1",
      "ukdr-util-2",
      "ukdr-util-3",
    ]);
  });

  it("us: the gateway's name is shared on purpose; the failover sets are each stack's own", async () => {
    const { original, rebuild } = await plansOf(CASES[1] as Case);
    const keys = (plan: Plan) => new Set(claimsOf(plan).map((claim) => claim.key));
    const both = [...keys(rebuild)].filter(
      (key) => keys(original).has(key) && key.startsWith("route53 "),
    );
    assert.deepEqual(both.sort(), [
      "route53 public example.com _acme-challenge.api.example.com CNAME ",
      "route53 public example.com api.example.com A ",
    ]);
    const sets = (plan: Plan) =>
      [
        ...new Set(
          plan.resources.map((r) => r.inputs.setIdentifier).filter((s) => s !== undefined),
        ),
      ].sort();
    assert.deepEqual(sets(original), ["us-primary"]);
    assert.deepEqual(sets(rebuild), ["usdr-secondary"]);
  });

  it("us: ACM's validation records may be the same record in both stacks: each writes and keeps it", async () => {
    // ACM gives every certificate of the account the same record for a name (the offline plan's
    // stand-ins may differ per certificate): both stacks must be able to share it.
    const { original, rebuild } = await plansOf(CASES[1] as Case);
    for (const plan of [original, rebuild]) {
      const validations = plan.resources.filter(
        (r) => r.type === "aws:route53/record:Record" && r.name.includes("-tls-validation-"),
      );
      assert.equal(validations.length, 2, `${plan.stack}: one per front name`);
      for (const record of validations) {
        assert.equal(record.inputs.allowOverwrite, true, `${record.name} may overwrite`);
        assert.equal(record.retainOnDelete, true, `${record.name} is retained on delete`);
      }
    }
  });

  it("jp: the rebuild's round-robin records stand beside jp's under set identifiers of its own", async () => {
    const { rebuild } = await plansOf(CASES[0] as Case);
    const sets = rebuild.resources
      .filter((r) => r.type === "aws:route53/record:Record" && r.inputs.name === "example.jp")
      .map((r) => r.inputs.setIdentifier)
      .sort();
    assert.deepEqual(sets, ["jpdr-nginx-1", "jpdr-nginx-2", "jpdr-nginx-3"]);
  });

  it("jp: the dedicated servers' names answer in the rebuild's internal zone", async () => {
    const { rebuild } = await plansOf(CASES[0] as Case);
    const text = JSON.stringify(rebuild.resources.map((r) => r.inputs));
    // mysql-1 has 10.10.66.16 in the address plan (the mysql role's first address in zone 0).
    assert.match(text, /db01\.local\. 300 IN A 10\.10\.66\.16/);
    assert.match(text, /mysql-1\.local\. 300 IN A 10\.10\.66\.16/);
  });
});

describe("what the rebuilds restore from, in their plans", () => {
  it("us: each database from the replicated backups in us's drBackups output, read through a stack reference", async () => {
    const { rebuild: plan } = await plansOf(CASES[1] as Case);
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

  it("uk: each MySQL disk from the latest snapshot of the lost disk, looked up by the plan", async () => {
    const { rebuild: plan } = await plansOf(CASES[2] as Case);
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

  it("uk: each restored MySQL host is told its snapshot's time and name; the original's hosts are not", async () => {
    const { original, rebuild } = await plansOf(CASES[2] as Case);
    const pointsOf = (plan: Plan) =>
      Object.fromEntries(
        plan.resources
          .filter((r) => r.type === "gcp:compute/instance:Instance")
          .flatMap((r) => {
            const point = (r.inputs.metadata as Record<string, unknown> | undefined)?.[
              "multicloud-recovery-point"
            ];
            return point === undefined ? [] : [[r.inputs.name, point]];
          }),
      );
    // The offline answer's creationTimestamp, 2025-06-10T04:00:12.000-07:00, in UTC.
    assert.deepEqual(pointsOf(rebuild), {
      "ukdr-mysql-1": "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest",
      "ukdr-mysql-2": "2025-06-10T11:00:12Z uk-mysql-2-data-offline-latest",
    });
    assert.deepEqual(pointsOf(original), {});
  });
});
