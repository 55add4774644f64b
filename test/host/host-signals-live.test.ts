// The host signal publisher as rendered, run for real on a stand-in host (its own network, mount
// and UTS namespaces) against stand-ins of what it talks to: the cloud's metadata server, the local
// Consul agent's HTTPS API, CloudWatch (which checks the SigV4 signature) and Cloud Monitoring
// (signals-stand-in-process.ts). What differs from a real host, and nothing else:
//   1. /etc/hosts leads the monitoring API names to the stand-in, and the test CA is trusted;
//   2. `mysql` is a stand-in that answers the two statements the publisher sends with a state the
//      test sets (the statements themselves are checked against MariaDB in the replication tests).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import { renderRegionHosts } from "../../components/host";
import type { Role } from "../../components/spec/hosts";
import { makeConsulTls, makeTestCa } from "../estate/certs";
import { type EstateHost, holdNamespaces, layFiles, runOn } from "../estate/hosts";
import { Namespace } from "./netns";
import { loadStack, scratchDir } from "./support";

const METADATA = "169.254.169.254";
const API = "10.99.0.90";
const TOOL = "/usr/local/sbin/multicloud-host-signals";
const ROLE_TOKEN = "6f0c2d7e-1b2a-4c3d-8e9f-0a1b2c3d4e5f";
const KEY_ID = "ASIAHOSTSIGNALS00001";
const SECRET_KEY = "host-signals-test-secret-key";
const SESSION_TOKEN = "host-signals-session-token";
const USER_KEY_ID = "AKIAHOSTSIGNALSJP001";
const USER_SECRET_KEY = "host-signals-jp-user-secret-key";
const GCE_TOKEN = "ya29.host-signals-test-token";

const work = scratchDir("host-signals");
const leaderFile = join(work, "leader");
let namespace: Namespace;
const hosts: EstateHost[] = [];
const requests: Record<string, unknown>[] = [];

after(async () => {
  for (const host of hosts) host.holder?.kill("SIGKILL");
  await namespace?.destroy();
});

/** A stand-in `mysql` answering the publisher's two statements from files the test writes. */
const MYSQL_STAND_IN = [
  "#!/usr/bin/env bash",
  'statement="$(cat)"',
  'case "$statement" in',
  "  *super_read_only*) cat /etc/test-mysql/read-only ;;",
  "  *'SHOW REPLICA STATUS'*) cat /etc/test-mysql/status ;;",
  "  *) exit 1 ;;",
  "esac",
  "",
].join("\n");

const RUNNING_REPLICA = [
  "*************************** 1. row ***************************",
  "             Replica_IO_State: Waiting for source to send event",
  "                  Source_Host: mysql-primary.service.consul",
  "           Replica_IO_Running: Yes",
  "          Replica_SQL_Running: Yes",
  "        Seconds_Behind_Source: 7",
  "",
].join("\n");

let ca: Awaited<ReturnType<typeof makeTestCa>>;
let consulCa: string;

/** A host of `stack`'s `role` with the rendered publisher laid at its path. */
async function startHost(stack: "us" | "uk" | "jp", role: Role): Promise<EstateHost> {
  const artifacts = renderRegionHosts(loadStack(stack))[role];
  assert.ok(artifacts, `${stack} has ${role} hosts`);
  const tool = artifacts.files.find((file) => file.path === TOOL);
  assert.ok(tool, `${stack}'s ${role} hosts carry ${TOOL}`);
  const host: EstateHost = { name: `${role}-${stack}`, role, address: "", ns: namespace.name };
  const base = join(work, host.name);
  const file = (path: string, content: string, mode = 0o644) =>
    ({ kind: "file", path, content, mode }) as const;
  layFiles(join(base, "lower"), [
    file(TOOL, tool.content, 0o755),
    file("/etc/consul.d/tls/ca.pem", consulCa),
    file("/etc/multicloud/private/consul-role.token", ROLE_TOKEN, 0o600),
    file("/usr/local/bin/mysql", MYSQL_STAND_IN, 0o755),
    // What the SSH push lays on Sakura hosts (as it writes them: one value per file, a newline).
    file("/etc/multicloud/secrets/multicloud-jp-signals-access-key-id", `${USER_KEY_ID}\n`, 0o600),
    file(
      "/etc/multicloud/secrets/multicloud-jp-signals-secret-access-key",
      `${USER_SECRET_KEY}\n`,
      0o600,
    ),
    file(
      "/etc/hosts",
      `${readFileSync("/etc/hosts", "utf8")}${API} monitoring.us-west-2.amazonaws.com\n${API} monitoring.us-east-1.amazonaws.com\n${API} monitoring.googleapis.com\n`,
    ),
    file(
      "/etc/ssl/certs/ca-certificates.crt",
      `${readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8")}${readFileSync(ca.caCert, "utf8")}`,
    ),
  ]);
  await holdNamespaces(host, base);
  hosts.push(host);
  return host;
}

/** What the stand-in `mysql` answers: super_read_only, and SHOW REPLICA STATUS\\G. */
async function setMysql(host: EstateHost, readOnly: string, status: string): Promise<void> {
  await runOn(
    host,
    'mkdir -p /etc/test-mysql && printf "%s\\n" "$READ_ONLY" >/etc/test-mysql/read-only && printf "%s" "$STATUS" >/etc/test-mysql/status',
    { READ_ONLY: readOnly, STATUS: status },
  );
}

/** Runs the publisher once; returns the requests the stand-ins saw meanwhile. */
async function publish(host: EstateHost): Promise<Record<string, unknown>[]> {
  const before = requests.length;
  await runOn(host, TOOL);
  // The stand-in logs before it answers; its line may trail the answer by a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return requests.slice(before);
}

function only(seen: Record<string, unknown>[], op: string): Record<string, unknown> {
  const matching = seen.filter((entry) => entry.op === op);
  assert.equal(matching.length, 1, `one ${op} request: ${JSON.stringify(seen)}`);
  return matching[0] as Record<string, unknown>;
}

describe("the host signal publisher against stand-ins", { timeout: 120_000 }, () => {
  before(async () => {
    ca = await makeTestCa(join(work, "ca"), [
      "monitoring.us-west-2.amazonaws.com",
      "monitoring.us-east-1.amazonaws.com",
      "monitoring.googleapis.com",
    ]);
    const tls = join(work, "consul-tls");
    await makeConsulTls(tls, "us", ["util"]);
    consulCa = readFileSync(join(tls, "consul-ca.pem"), "utf8");
    writeFileSync(leaderFile, '"10.20.0.11:8300"');
    namespace = Namespace.create("signals", [METADATA, API]);
    const standIn = namespace.spawn(process.execPath, [
      "--import",
      "tsx",
      join(__dirname, "signals-stand-in-process.ts"),
      JSON.stringify({
        metadataAddress: METADATA,
        apiAddress: API,
        api: { cert: ca.serverCert, key: ca.serverKey },
        consul: {
          cert: join(tls, "util.pem"),
          key: join(tls, "util.key"),
          token: ROLE_TOKEN,
          leaderFile,
        },
        aws: { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN },
        staticKey: { accessKeyId: USER_KEY_ID, secretAccessKey: USER_SECRET_KEY },
        gce: { token: GCE_TOKEN, instanceId: "4520918273645546372", zone: "europe-west2-a" },
      }),
    ]);
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: standIn.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.op === "ready") resolve();
        else requests.push(entry);
      });
      standIn.once("exit", (code) => reject(new Error(`the stand-in exited ${code}`)));
    });
  });

  test("a us util host puts ConsulLeader 1, then 0 without a leader, signed for CloudWatch", async () => {
    const host = await startHost("us", "util");
    writeFileSync(leaderFile, '"10.20.0.11:8300"');
    const seen = await publish(host);
    assert.equal(only(seen, "consul").token, ROLE_TOKEN);
    const put = only(seen, "aws");
    assert.equal(put.signed, "yes");
    assert.equal(put.service, "monitoring");
    assert.equal(put.region, "us-west-2");
    assert.equal(put.host, "monitoring.us-west-2.amazonaws.com");
    assert.equal(put.method, "POST");
    assert.deepEqual(put.form, {
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: "Multicloud/Hosts",
      "MetricData.member.1.MetricName": "ConsulLeader",
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Value": "1",
      "MetricData.member.1.Dimensions.member.1.Name": "Region",
      "MetricData.member.1.Dimensions.member.1.Value": "us",
    });

    writeFileSync(leaderFile, '""');
    const leaderless = only(await publish(host), "aws");
    assert.equal(leaderless.signed, "yes");
    assert.equal((leaderless.form as Record<string, string>)["MetricData.member.1.Value"], "0");
  });

  test("a us replica whose replication stopped puts MysqlReplicationBroken 1 and no lag", async () => {
    const host = await startHost("us", "mysql");
    await setMysql(host, "1", RUNNING_REPLICA.replace("SQL_Running: Yes", "SQL_Running: No"));
    const put = only(await publish(host), "aws");
    assert.equal(put.signed, "yes");
    assert.deepEqual(put.form, {
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: "Multicloud/Hosts",
      "MetricData.member.1.MetricName": "MysqlReplicationBroken",
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Value": "1",
      "MetricData.member.1.Dimensions.member.1.Name": "Region",
      "MetricData.member.1.Dimensions.member.1.Value": "us",
    });
  });

  test("the us primary (writable, no source) puts MysqlReplicationBroken 0 and no lag", async () => {
    const host = hosts.find((each) => each.name === "mysql-us");
    assert.ok(host);
    await setMysql(host, "0", "");
    const put = only(await publish(host), "aws");
    assert.equal(put.signed, "yes");
    const form = put.form as Record<string, string>;
    assert.equal(form["MetricData.member.1.MetricName"], "MysqlReplicationBroken");
    assert.equal(form["MetricData.member.1.Value"], "0");
    assert.equal(form["MetricData.member.2.MetricName"], undefined);
  });

  test("a uk util host writes consul/leader 1 on its gce_instance", async () => {
    writeFileSync(leaderFile, '"10.30.0.11:8300"');
    const write = only(await publish(await startHost("uk", "util")), "gcp");
    assert.equal(write.path, "/v3/projects/example-uk-prod/timeSeries");
    const series = (write.body as { timeSeries: Record<string, unknown>[] }).timeSeries;
    assert.equal(series.length, 1);
    assert.deepEqual(series[0]?.metric, {
      type: "custom.googleapis.com/multicloud/consul/leader",
      labels: { region: "uk" },
    });
    const points = (series[0]?.points ?? []) as { value: unknown }[];
    assert.deepEqual(points[0]?.value, { int64Value: "1" });
  });

  test("a uk replica writes replication_broken 0 and replica_lag 7 on its gce_instance", async () => {
    const host = await startHost("uk", "mysql");
    await setMysql(host, "1", RUNNING_REPLICA);
    const write = only(await publish(host), "gcp");
    assert.equal(write.method, "POST");
    assert.equal(write.path, "/v3/projects/example-uk-prod/timeSeries");
    assert.equal(write.authorization, `Bearer ${GCE_TOKEN}`);
    assert.equal(write.contentType, "application/json");
    const resource = {
      type: "gce_instance",
      labels: {
        project_id: "example-uk-prod",
        instance_id: "4520918273645546372",
        zone: "europe-west2-a",
      },
    };
    const series = (write.body as { timeSeries: Record<string, unknown>[] }).timeSeries;
    assert.equal(series.length, 2);
    const [broken, lag] = series.map((each) => {
      const points = each.points as { interval: { endTime: string }; value: unknown }[];
      assert.equal(points.length, 1);
      assert.match(points[0]?.interval.endTime ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      return { metric: each.metric, resource: each.resource, value: points[0]?.value };
    });
    assert.deepEqual(broken, {
      metric: {
        type: "custom.googleapis.com/multicloud/mysql/replication_broken",
        labels: { region: "uk" },
      },
      resource,
      value: { int64Value: "0" },
    });
    assert.deepEqual(lag, {
      metric: {
        type: "custom.googleapis.com/multicloud/mysql/replica_lag",
        labels: { region: "uk" },
      },
      resource,
      value: { doubleValue: 7 },
    });
  });

  test("a jp replica signs with the pushed user key for us-east-1 (no session token, no IMDS)", async () => {
    const host = await startHost("jp", "mysql");
    await setMysql(host, "1", RUNNING_REPLICA);
    const seen = await publish(host);
    assert.deepEqual(
      seen.filter((entry) => entry.op !== "aws"),
      [],
      "nothing asked of a metadata server",
    );
    const put = only(seen, "aws");
    assert.equal(put.signed, "yes");
    assert.equal(put.service, "monitoring");
    assert.equal(put.region, "us-east-1");
    assert.equal(put.host, "monitoring.us-east-1.amazonaws.com");
    assert.deepEqual(put.form, {
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: "Multicloud/Hosts",
      "MetricData.member.1.MetricName": "MysqlReplicationBroken",
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Value": "0",
      "MetricData.member.1.Dimensions.member.1.Name": "Region",
      "MetricData.member.1.Dimensions.member.1.Value": "jp",
      "MetricData.member.2.MetricName": "MysqlReplicaLagSeconds",
      "MetricData.member.2.Unit": "Seconds",
      "MetricData.member.2.Value": "7",
      "MetricData.member.2.Dimensions.member.1.Name": "Region",
      "MetricData.member.2.Dimensions.member.1.Value": "jp",
    });
  });

  test("a jp util host puts ConsulLeader 1 signed with the pushed user key", async () => {
    writeFileSync(leaderFile, '"10.10.0.11:8300"');
    const put = only(await publish(await startHost("jp", "util")), "aws");
    assert.equal(put.signed, "yes");
    assert.equal(put.region, "us-east-1");
    const form = put.form as Record<string, string>;
    assert.equal(form["MetricData.member.1.MetricName"], "ConsulLeader");
    assert.equal(form["MetricData.member.1.Value"], "1");
    assert.equal(form["MetricData.member.1.Dimensions.member.1.Value"], "jp");
  });

  test("a MySQL host whose server does not answer sends nothing (the alarm takes silence)", async () => {
    const host = hosts.find((each) => each.name === "mysql-uk");
    assert.ok(host);
    await runOn(host, "rm -f /etc/test-mysql/read-only");
    const before = requests.length;
    await assert.rejects(runOn(host, TOOL));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      requests.slice(before).filter((entry) => entry.op === "gcp"),
      [],
    );
  });
});

describe("where the publisher is rendered", () => {
  test("util and mysql hosts of us, uk and jp run it every minute, nothing else does", () => {
    for (const stack of ["us", "uk", "jp"] as const) {
      const rendered = renderRegionHosts(loadStack(stack));
      for (const role of ["util", "mysql"] as const) {
        const artifacts = rendered[role];
        assert.ok(artifacts);
        const paths = artifacts.files.map((file) => file.path);
        assert.ok(paths.includes(TOOL), `${stack} ${role}`);
        const timer = artifacts.files.find(
          (file) => file.path === "/etc/systemd/system/multicloud-host-signals.timer",
        );
        assert.match(timer?.content ?? "", /^OnCalendar=minutely$/m);
        assert.ok(
          artifacts.plan.commands.includes(
            "/usr/local/sbin/multicloud-service apply multicloud-host-signals.timer",
          ),
          `${stack} ${role} starts the timer`,
        );
      }
      for (const role of ["nginx", "app", "memcached", "chocon"] as const) {
        const paths = rendered[role]?.files.map((file) => file.path) ?? [];
        assert.ok(!paths.includes(TOOL), `${stack} ${role} publishes nothing`);
      }
    }
  });
});
