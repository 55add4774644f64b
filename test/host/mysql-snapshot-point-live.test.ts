// The recovery point of a MySQL host whose data disk was created from a snapshot: the value the
// program gives it (GCE metadata, EC2 instance tag), the rendered step (tool and unit) and where
// the mysql role carries it, then the rendered tool of each cloud run for real by bash, with curl
// and jq, against loopback stand-ins of the GCE metadata server or the EC2 instance metadata
// service (IMDSv2) and Consul's KV API: it reports once, in the dump restore's form, and never on a
// host that was not restored.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { hostPlan, siteFacts } from "../../components/host";
import {
  ebsSnapshotRecoveryPoint,
  renderMysqlSnapshotPointTool,
  renderMysqlSnapshotPointUnit,
  snapshotRecoveryPoint,
} from "../../components/host/mysql-snapshot-point";
import { parseRegionSpec } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { rawRegion } from "../support/stacks";
import { runAsync, scratchDir, shellcheckScript } from "./support";

const TOOL = "/usr/local/sbin/multicloud-mysql-snapshot-point";
const UNIT = "/etc/systemd/system/multicloud-mysql-snapshot-point.service";
const ROLE_TOKEN = "role-token-of-the-test";

/** uk as a rebuild whose MySQL disks come from snapshots, or uk itself. */
function ukSpec(restored: boolean): RegionSpec {
  const raw = rawRegion("uk");
  if (restored) {
    raw.dr = {
      ...(raw.dr as Record<string, unknown>),
      replaces: "uk",
      restore: {
        mysqlDisks: {
          "mysql-1": { latestSnapshotOf: "uk-mysql-1-data" },
          "mysql-2": { snapshot: "uk-mysql-2-data-europe-west2-b-20261201040031-efgh5678" },
        },
      },
    };
    raw.name = "ukdr";
  }
  return parseRegionSpec(raw, "Pulumi.uk.yaml");
}

/** us as a rebuild whose first MySQL volume comes from an EBS snapshot, or us itself. */
function usSpec(restored: boolean): RegionSpec {
  const raw = rawRegion("us");
  if (restored) {
    raw.dr = {
      ...(raw.dr as Record<string, unknown>),
      replaces: "us",
      restore: {
        mysqlDisks: {
          "mysql-1": { snapshot: "snap-0123456789abcdef0" },
          "mysql-2": { snapshot: "snap-0fedcba9876543210" },
        },
      },
    };
    raw.name = "usdr";
  }
  return parseRegionSpec(raw, "Pulumi.us.yaml");
}

describe("the metadata value", () => {
  it("is the snapshot's creation time in UTC to the second, then its name", () => {
    assert.equal(
      snapshotRecoveryPoint("2025-06-10T04:00:12.000-07:00", "uk-mysql-1-data-offline-latest"),
      "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest",
    );
    assert.equal(
      snapshotRecoveryPoint("2026-12-01T04:00:31.952Z", "uk-mysql-2-data-x"),
      "2026-12-01T04:00:31Z uk-mysql-2-data-x",
    );
  });

  it("refuses a time that is not RFC 3339 text, and a name that is no snapshot's", () => {
    assert.throws(
      () => snapshotRecoveryPoint("2025-06-10 04:00:12", "uk-mysql-1-data-x"),
      /^Error: snapshot uk-mysql-1-data-x: creationTimestamp "2025-06-10 04:00:12" is not RFC 3339 text$/,
    );
    assert.throws(() => snapshotRecoveryPoint("2025-06-10T04:00:12Z", "Uk Snap"), /not a GCE/);
  });

  it("on EC2: the EBS snapshot's start time in UTC to the second, then its id", () => {
    assert.equal(
      ebsSnapshotRecoveryPoint("2025-06-10T10:00:07Z", "snap-0123456789abcdef0"),
      "2025-06-10T10:00:07Z snap-0123456789abcdef0",
    );
    assert.equal(
      ebsSnapshotRecoveryPoint("2026-12-01T13:00:31.5+09:00", "snap-0a1b2c3d"),
      "2026-12-01T04:00:31Z snap-0a1b2c3d",
    );
  });

  it("on EC2: refuses a time that is not RFC 3339 text, and an id that is no EBS snapshot's", () => {
    assert.throws(
      () => ebsSnapshotRecoveryPoint("Tue Jun 10 10:00:07 UTC 2025", "snap-0123456789abcdef0"),
      /^Error: snapshot snap-0123456789abcdef0: startTime "Tue Jun 10 10:00:07 UTC 2025" is not RFC 3339 text$/,
    );
    assert.throws(
      () => ebsSnapshotRecoveryPoint("2025-06-10T10:00:07Z", "uk-mysql-1-data-x"),
      /^Error: uk-mysql-1-data-x is not an EBS snapshot id$/,
    );
  });
});

describe("the rendered step", () => {
  const tool = renderMysqlSnapshotPointTool("gcp");
  const awsTool = renderMysqlSnapshotPointTool("aws");

  it("reads the one metadata key and reports to Consul KV in the dump restore's form", () => {
    for (const line of [
      "M=/srv/mysql-data/multicloud-restored",
      "  'http://169.254.169.254/computeMetadata/v1/instance/attributes/?recursive=true')\"",
      `r="$(jq -r '.["multicloud-recovery-point"] // empty' <<<"$attributes")"`,
      '  curl -fsS --max-time 10 --cacert /etc/consul.d/tls/ca.pem -X PUT -H "X-Consul-Token: $(cat /etc/multicloud/private/consul-role.token)" \\',
      '    --data "{\\"host\\":\\"$(hostname -s)\\",\\"recoveryPoint\\":\\"$1\\",\\"snapshot\\":\\"$2\\"}" \\',
      "    'https://127.0.0.1:8501/v1/kv/multicloud/mysql/recovery-point' >/dev/null",
      'say "recovery point $p (snapshot $s)"',
    ]) {
      assert.ok(tool.split("\n").includes(line), `no line ${line}`);
    }
  });

  it("on EC2: reads the one instance tag through IMDSv2, listing the tags first", () => {
    for (const line of [
      "M=/srv/mysql-data/multicloud-restored",
      "  -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)\"",
      '    "http://169.254.169.254/latest/meta-data/tags/instance$1"',
      'if grep -qxF multicloud-recovery-point <<<"$keys"; then r="$(imds /multicloud-recovery-point)"; fi',
      '    --data "{\\"host\\":\\"$(hostname -s)\\",\\"recoveryPoint\\":\\"$1\\",\\"snapshot\\":\\"$2\\"}" \\',
      'say "recovery point $p (snapshot $s)"',
    ]) {
      assert.ok(awsTool.split("\n").includes(line), `no line ${line}`);
    }
    assert.ok(!awsTool.includes("computeMetadata"), "no GCE metadata on EC2");
  });

  it("is clean under the real shellcheck, for each cloud", () => {
    assert.equal(shellcheckScript(tool), "");
    assert.equal(shellcheckScript(awsTool), "");
  });

  it("its unit waits for the data disk and retries the tool in its one start job", () => {
    const unit = renderMysqlSnapshotPointUnit().split("\n");
    for (const line of [
      "RequiresMountsFor=/srv/mysql-data",
      "Type=oneshot",
      "RemainAfterExit=yes",
      "ExecStart=/bin/sh -c 'until /usr/local/sbin/multicloud-mysql-snapshot-point; do sleep 30; done'",
      "TimeoutStartSec=infinity",
      "WantedBy=multi-user.target",
    ]) {
      assert.ok(unit.includes(line), `no line ${line}`);
    }
  });

  it("rides on the MySQL hosts of a rebuild from snapshots, started once the data disk is mounted", () => {
    const spec = ukSpec(true);
    const plan = hostPlan(spec, "mysql", siteFacts(spec));
    assert.equal(plan.files.find((f) => f.path === TOOL)?.mode, "0755");
    assert.ok(plan.files.find((f) => f.path === TOOL)?.content.includes("computeMetadata"));
    assert.ok(plan.files.some((f) => f.path === UNIT));
    const mount = plan.commands.findIndex((c) =>
      c.startsWith("/usr/local/sbin/multicloud-data-disk "),
    );
    const enable = plan.commands.indexOf(
      "systemctl enable --quiet multicloud-mysql-snapshot-point.service",
    );
    const start = plan.commands.indexOf(
      "systemctl start --no-block multicloud-mysql-snapshot-point.service",
    );
    assert.ok(mount >= 0 && enable > mount && start > enable, plan.commands.join("\n"));
    for (const role of ["util", "app", "nginx", "memcached", "chocon"] as const) {
      const other = hostPlan(spec, role, siteFacts(spec));
      assert.ok(!other.files.some((f) => f.path.includes("snapshot-point")), role);
    }
  });

  it("on AWS rides on the MySQL hosts of a rebuild from EBS snapshots, reading the instance tag", () => {
    const spec = usSpec(true);
    const plan = hostPlan(spec, "mysql", siteFacts(spec));
    const content = plan.files.find((f) => f.path === TOOL)?.content ?? "";
    assert.ok(content.includes("/latest/meta-data/tags/instance"), content);
    assert.ok(!content.includes("computeMetadata"), content);
    assert.ok(plan.files.some((f) => f.path === UNIT));
    assert.ok(
      plan.commands.includes("systemctl start --no-block multicloud-mysql-snapshot-point.service"),
    );
    for (const role of ["util", "app", "nginx", "memcached", "chocon"] as const) {
      const other = hostPlan(spec, role, siteFacts(spec));
      assert.ok(!other.files.some((f) => f.path.includes("snapshot-point")), role);
    }
  });

  it("is not on the MySQL hosts of a region that restores nothing, on either cloud", () => {
    for (const spec of [ukSpec(false), usSpec(false)]) {
      const plan = hostPlan(spec, "mysql", siteFacts(spec));
      assert.ok(!plan.files.some((f) => f.path.includes("snapshot-point")), spec.name);
      assert.ok(!plan.commands.some((c) => c.includes("snapshot-point")), spec.name);
    }
  });
});

type Handler = NonNullable<Parameters<typeof createServer>[1]>;

/** One cloud's way of telling the host its point: the stand-in serves `values` as the host's. */
interface LiveCloud {
  readonly cloud: "aws" | "gcp";
  /** What the stand-in is, and what the tool's messages call the key. */
  readonly standIn: string;
  readonly where: string;
  /** The key's value on a restored host, its time and snapshot. */
  readonly time: string;
  readonly snapshot: string;
  /** The host's other values, without the key. */
  readonly others: Record<string, string>;
  /** The stand-in's handler, and the swaps that point the tool at it (given its base URL). */
  serve(values: () => Record<string, string>): Handler;
  swaps(base: string): [string, string][];
}

const IMDS_TOKEN = "imds-session-token-of-the-test";

const LIVE: readonly LiveCloud[] = [
  {
    cloud: "gcp",
    standIn: "a GCE metadata server",
    where: "metadata",
    time: "2025-06-10T11:00:12Z",
    snapshot: "uk-mysql-1-data-offline-latest",
    others: { "user-data": "#cloud-config\n", "multicloud-backup-bucket": "b" },
    serve: (values) => (request, response) => {
      const ok =
        request.headers["metadata-flavor"] === "Google" &&
        request.url === "/computeMetadata/v1/instance/attributes/?recursive=true";
      response.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
      response.end(ok ? JSON.stringify(values()) : "not found");
    },
    swaps: (base) => [["http://169.254.169.254/computeMetadata/v1", `${base}/computeMetadata/v1`]],
  },
  {
    cloud: "aws",
    standIn: "an EC2 instance metadata service (IMDSv2, tags allowed)",
    where: "instance tag",
    time: "2025-06-10T10:00:07Z",
    snapshot: "snap-0123456789abcdef0",
    others: { Name: "usdr-mysql-1", role: "mysql", "multicloud-backup-bucket": "b" },
    // As IMDSv2 answers (EC2 User Guide, "Use the Instance Metadata Service to access instance
    // metadata": a session token for a PUT to /latest/api/token whose TTL header is 1 to 21,600
    // seconds, 401 Unauthorized without a valid token; "View tags for your EC2 instances in
    // instance metadata": the keys one a line under tags/instance, each value under
    // tags/instance/<key>), and 404 for a path that does not exist.
    serve: (values) => (request, response) => {
      const url = request.url ?? "";
      if (request.method === "PUT" && url === "/latest/api/token") {
        const ttl = Number(request.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
        response.writeHead(ttl >= 1 && ttl <= 21600 ? 200 : 400);
        response.end(IMDS_TOKEN);
        return;
      }
      if (request.method !== "GET" || request.headers["x-aws-ec2-metadata-token"] !== IMDS_TOKEN) {
        response.writeHead(401);
        response.end();
        return;
      }
      const tags = values();
      const prefix = "/latest/meta-data/tags/instance";
      const key = url.startsWith(`${prefix}/`) ? url.slice(prefix.length + 1) : undefined;
      const body =
        url === prefix ? Object.keys(tags).join("\n") : key === undefined ? undefined : tags[key];
      response.writeHead(body === undefined ? 404 : 200, { "content-type": "text/plain" });
      response.end(body ?? "not found");
    },
    swaps: (base) => [["http://169.254.169.254", base]],
  },
];

for (const c of LIVE) {
  describe(`the rendered ${c.cloud} tool, run by bash against ${c.standIn} and Consul on loopback`, () => {
    const work = scratchDir(`snapshot-point-${c.cloud}`);
    const marker = join(work, "multicloud-restored");
    const host = execFileSync("hostname", ["-s"], { encoding: "utf8" }).trim();
    const point = `${c.time} ${c.snapshot}`;
    /** What the host carries: GCE metadata attributes or EC2 instance tags. */
    let values: Record<string, string> = {};
    let consulAnswers = 200;
    const puts: { path: string; token: string; body: string }[] = [];
    const servers: Server[] = [];

    async function listen(handler: Handler): Promise<string> {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    before(async () => {
      const metadata = await listen(c.serve(() => values));
      const consul = await listen((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          if (request.method === "PUT" && consulAnswers === 200) {
            puts.push({
              path: request.url ?? "",
              token: String(request.headers["x-consul-token"]),
              body: Buffer.concat(chunks).toString(),
            });
          }
          response.writeHead(consulAnswers);
          response.end(consulAnswers === 200 ? "true" : "Permission denied");
        });
      });
      writeFileSync(join(work, "role.token"), ROLE_TOKEN);
      const swaps: [string, string][] = [
        ...c.swaps(metadata),
        ["https://127.0.0.1:8501", consul],
        ["--cacert /etc/consul.d/tls/ca.pem ", ""],
        ["/etc/multicloud/private/consul-role.token", join(work, "role.token")],
        ["/srv/mysql-data/multicloud-restored", marker],
      ];
      let script = renderMysqlSnapshotPointTool(c.cloud);
      for (const [from, to] of swaps) {
        assert.ok(script.includes(from), `the tool has no ${from}`);
        script = script.replaceAll(from, to);
      }
      writeFileSync(join(work, "tool.sh"), script, { mode: 0o755 });
    });

    after(async () => {
      for (const server of servers) await new Promise((done) => server.close(done));
      rmSync(work, { recursive: true, force: true });
    });

    const runTool = () => runAsync("bash", [join(work, "tool.sh")]);

    it("on a host whose disk was not made from a snapshot: says so, writes nothing, asks Consul nothing", async () => {
      values = { ...c.others };
      const result = await runTool();
      assert.equal(result.status, 0, result.output);
      assert.equal(
        result.output,
        "multicloud-mysql-snapshot-point: the data disk was not created from a snapshot; nothing to record\n",
      );
      assert.equal(existsSync(marker), false);
      assert.equal(puts.length, 0);
    });

    it("while Consul refuses: fails (the unit tries again), with no marker and no recovery point said", async () => {
      values = { ...c.others, "multicloud-recovery-point": point };
      consulAnswers = 403;
      const result = await runTool();
      consulAnswers = 200;
      assert.equal(result.status, 1, result.output);
      assert.match(result.output, /Consul did not take the recovery point; trying again/);
      assert.doesNotMatch(result.output, /recovery point 2025/);
      assert.equal(existsSync(marker), false);
    });

    it("on a restored host: one KV PUT in the dump restore's form, the marker, one journal line", async () => {
      const result = await runTool();
      assert.equal(result.status, 0, result.output);
      assert.equal(
        result.output,
        `multicloud-mysql-snapshot-point: recovery point ${c.time} (snapshot ${c.snapshot})\n`,
      );
      assert.deepEqual(puts, [
        {
          path: "/v1/kv/multicloud/mysql/recovery-point",
          token: ROLE_TOKEN,
          body: `{"host":"${host}","recoveryPoint":"${c.time}","snapshot":"${c.snapshot}"}`,
        },
      ]);
      assert.equal(readFileSync(marker, "utf8"), `${point}\n`);
    });

    it("on every later boot: nothing said, nothing written, nothing sent", async () => {
      const result = await runTool();
      assert.equal(result.status, 0, result.output);
      assert.equal(result.output, "");
      assert.equal(puts.length, 1);
    });

    it("a marker the snapshot carried from an earlier restore is replaced by this one", async () => {
      writeFileSync(marker, "2026-11-01T03:00:00Z 20261101T030000Z\n");
      const result = await runTool();
      assert.equal(result.status, 0, result.output);
      assert.equal(puts.length, 2);
      assert.equal(readFileSync(marker, "utf8"), `${point}\n`);
    });

    it("a value not of the program's form is refused, naming the key", async () => {
      values = { ...c.others, "multicloud-recovery-point": "yesterday" };
      const result = await runTool();
      assert.equal(result.status, 1);
      assert.ok(
        result.output.includes(
          `${c.where} multicloud-recovery-point is not '<UTC time> <snapshot>': yesterday`,
        ),
        result.output,
      );
      assert.equal(puts.length, 2);
    });
  });
}
