// The recovery point of a MySQL host whose data disk was created from a snapshot: the metadata
// value the program gives it, the rendered step (tool and unit) and where the mysql role carries
// it, then the rendered tool run for real by bash, with curl and jq, against loopback stand-ins of
// the GCE metadata server and Consul's KV API: it reports once, in the dump restore's form, and
// never on a host that was not restored.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { hostPlan, siteFacts } from "../../components/host";
import {
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
});

describe("the rendered step", () => {
  const tool = renderMysqlSnapshotPointTool();

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

  it("is clean under the real shellcheck", () => {
    assert.equal(shellcheckScript(tool), "");
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

  it("is not on the MySQL hosts of a region that restores nothing", () => {
    const spec = ukSpec(false);
    const plan = hostPlan(spec, "mysql", siteFacts(spec));
    assert.ok(!plan.files.some((f) => f.path.includes("snapshot-point")));
    assert.ok(!plan.commands.some((c) => c.includes("snapshot-point")));
  });
});

describe("the rendered tool, run by bash against a metadata server and Consul on loopback", () => {
  const work = scratchDir("snapshot-point");
  const marker = join(work, "multicloud-restored");
  const host = execFileSync("hostname", ["-s"], { encoding: "utf8" }).trim();
  /** What the metadata server holds under instance/attributes/. */
  let attributes: Record<string, string> = {};
  let consulAnswers = 200;
  const puts: { path: string; token: string; body: string }[] = [];
  const servers: Server[] = [];
  let script = "";

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    const metadata = await listen((request, response) => {
      const ok =
        request.headers["metadata-flavor"] === "Google" &&
        request.url === "/computeMetadata/v1/instance/attributes/?recursive=true";
      response.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
      response.end(ok ? JSON.stringify(attributes) : "not found");
    });
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
      ["http://169.254.169.254/computeMetadata/v1", `${metadata}/computeMetadata/v1`],
      ["https://127.0.0.1:8501", consul],
      ["--cacert /etc/consul.d/tls/ca.pem ", ""],
      ["/etc/multicloud/private/consul-role.token", join(work, "role.token")],
      ["/srv/mysql-data/multicloud-restored", marker],
    ];
    script = renderMysqlSnapshotPointTool();
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
    attributes = { "user-data": "#cloud-config\n", "multicloud-backup-bucket": "b" };
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
    attributes = {
      "multicloud-recovery-point": "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest",
    };
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
      "multicloud-mysql-snapshot-point: recovery point 2025-06-10T11:00:12Z (snapshot uk-mysql-1-data-offline-latest)\n",
    );
    assert.deepEqual(puts, [
      {
        path: "/v1/kv/multicloud/mysql/recovery-point",
        token: ROLE_TOKEN,
        body: `{"host":"${host}","recoveryPoint":"2025-06-10T11:00:12Z","snapshot":"uk-mysql-1-data-offline-latest"}`,
      },
    ]);
    assert.equal(
      readFileSync(marker, "utf8"),
      "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest\n",
    );
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
    assert.equal(
      readFileSync(marker, "utf8"),
      "2025-06-10T11:00:12Z uk-mysql-1-data-offline-latest\n",
    );
  });

  it("a value not of the program's form is refused, naming the key", async () => {
    attributes = { "multicloud-recovery-point": "yesterday" };
    const result = await runTool();
    assert.equal(result.status, 1);
    assert.match(
      result.output,
      /metadata multicloud-recovery-point is not '<UTC time> <snapshot>': yesterday/,
    );
    assert.equal(puts.length, 2);
  });
});
