// The first-boot restore of a rebuild's MySQL hosts, run for real: a MariaDB server (Debian's,
// standing in for MySQL 8.0, see ./mariadb.ts) playing the lost primary is dumped by the rendered
// multicloud-mysql-dump; its parts and SHA256SUMS go into a local stand-in of S3 and Cloud Storage
// under mysql/mysql-1/<time>/, next to a newer dump that was cut short (no SHA256SUMS). The
// rendered restore tool, on empty servers, loads the complete dump, reports its time to the
// journal (stdout) and to a stand-in of Consul's KV API, and does nothing on its second run. Then
// the mysql role of jp's rebuild as `npm run dr` writes it: its units order the restore before
// replication, and its rendered tools, run in that order (no systemd here), load the dump while
// the server is read-only, make it the writable primary, and load nothing on the second boot.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { hostPlan } from "../../components/host";
import { GCS_DOWNLOAD_ENDPOINT } from "../../components/host/chocon";
import { MYSQL_CONF_PATH, MYSQL_DROP_IN_PATH } from "../../components/host/daemons";
import { AWS_IMDS, GCE_METADATA } from "../../components/host/instance-identity";
import {
  MYSQL_PRIMARY_MARK,
  MYSQL_REPLICATION_TOOL,
} from "../../components/host/mysql-replication";
import {
  MYSQL_RESTORE_MARKER,
  MYSQL_RESTORE_STAGING,
  MYSQL_RESTORE_TOOL,
  renderMysqlRestoreTool,
  SUPER_READ_ONLY_OFF,
  SUPER_READ_ONLY_ON,
} from "../../components/host/mysql-restore";
import {
  MYSQL_DUMP_STAGING,
  OFFSITE_UPLOAD_TOOL,
  renderMysqlDumpTool,
  S3_ENDPOINT,
} from "../../components/host/offsite";
import { HOST_ENV_PATH } from "../../components/host/scripts";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import { parseRegionSpec } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { type PushedSecretId, secretName } from "../../components/spec/secrets";
import { drScratch, run } from "../dr/run-tool";
import {
  type Mariadb,
  makeServerCertificate,
  startMariadb,
  withMariadbStatements,
} from "./mariadb";
import { type ObjectStoreStandIn, startObjectStore } from "./object-store-stand-in";
import { loadStack, runAsync, scratchDir, shellcheckScript } from "./support";

const BUCKET = "multicloud-us-backups-test";
const REGION = "us-east-2";
const GCS_TOKEN = "ya29.restore-test-token";
const spec = loadStack("uk");
const files = hostPlan(spec, "mysql", siteFacts(spec)).files;
const rendered = (path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`the mysql role renders no ${path}`);
  return file.content;
};
/** MariaDB has no super_read_only, and its root loads under read_only: the server stays read-only. */
const MARIADB_KEEP_READ_ONLY = "SET GLOBAL read_only = ON;";
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const work = scratchDir("mysql-restore");
chmodSync(work, 0o755);

/** Replaces every `from`, failing when the rendered text does not hold it. */
function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the rendered tool has no ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
}

let lost: Mariadb;
let rebuilt: Mariadb;
let rebuiltGcp: Mariadb;
let rebuiltJp: Mariadb;
let stamp = "";
let store: ObjectStoreStandIn;
let consul: Server;
let consulUrl = "";
const kvPuts: { path: string; body: string }[] = [];

async function boot(name: string, address: string, id: number): Promise<Mariadb> {
  const env = { PRIVATE_ADDRESS: address, SERVER_ID: String(id), CACHE_MB: "64" };
  return startMariadb({
    dir: join(work, name),
    address,
    port: PORT,
    conf: rendered(MYSQL_CONF_PATH),
    dropIn: rendered(MYSQL_DROP_IN_PATH),
    env,
    tls: { ca: join(work, "tls.pem"), cert: join(work, "tls.pem"), key: join(work, "tls.key") },
  });
}

async function sql(server: Mariadb, statement: string): Promise<string> {
  const result = await runAsync("mariadb", [
    `--socket=${server.socket}`,
    "-u",
    "root",
    "-NB",
    "-e",
    statement,
  ]);
  if (result.status !== 0) throw new Error(`${statement}: ${result.output}`);
  return result.output.trim();
}

/** A rendered restore tool's marker, staging, socket and Consul pointed at the test's. */
function onTestHost(script: string, server: Mariadb, name: string): string {
  let local = swap(script, MYSQL_RESTORE_MARKER, join(work, name, "restored"));
  local = swap(local, MYSQL_RESTORE_STAGING, join(work, `${name}-staging`));
  local = swap(
    local,
    "mysql --protocol=socket",
    `mysql --socket=${server.socket} --protocol=socket`,
  );
  local = swap(local, "--cacert /etc/consul.d/tls/ca.pem ", "");
  local = swap(local, "https://127.0.0.1:8501", consulUrl);
  return swap(local, "/etc/multicloud/private/consul-role.token", join(work, "role.token"));
}

/** The rendered restore tool, its store, Consul, paths and socket pointed at the test's. */
function restoreTool(kind: "s3" | "gcs", server: Mariadb, name: string): string {
  let script = renderMysqlRestoreTool({
    store:
      kind === "s3"
        ? { kind: "s3-instance-role", region: REGION }
        : { kind: "gcs-service-account" },
    prefix: "mysql/mysql-1/",
  });
  script = swap(script, SUPER_READ_ONLY_OFF, MARIADB_KEEP_READ_ONLY);
  script = swap(script, SUPER_READ_ONLY_ON, MARIADB_KEEP_READ_ONLY);
  if (kind === "s3") {
    script = swap(script, S3_ENDPOINT, `${store.baseUrl}/$bucket`);
    script = swap(script, AWS_IMDS, store.baseUrl);
  } else {
    script = swap(script, `${GCE_METADATA}/`, `${store.baseUrl}/computeMetadata/v1/`);
    script = swap(script, GCS_DOWNLOAD_ENDPOINT, `${store.baseUrl}/storage/v1`);
  }
  script = onTestHost(script, server, name);
  const file = join(work, `restore-${name}.sh`);
  writeFileSync(file, script, { mode: 0o755 });
  return file;
}

/** The dump's folder name as the recovery point's ISO time, 20261206T030000Z -> 2026-12-06T03:00:00Z. */
function isoOf(folder: string): string {
  return folder.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z");
}

describe("the rendered restore tool on real MariaDB servers, run in its unit's order (before replication)", {
  timeout: 240_000,
}, () => {
  before(async () => {
    await makeServerCertificate(work);
    writeFileSync(join(work, "role.token"), "role-token-of-the-test");
    store = await startObjectStore({
      bucket: BUCKET,
      region: REGION,
      accessKeyId: "ASIAEXAMPLERESTORE01",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYRESTOREKEY",
      sessionToken: "session-token-of-the-instance-role",
      gcsToken: GCS_TOKEN,
    });
    consul = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const ok =
          request.method === "PUT" &&
          request.headers["x-consul-token"] === "role-token-of-the-test";
        if (ok) kvPuts.push({ path: request.url ?? "", body: Buffer.concat(chunks).toString() });
        response.writeHead(ok ? 200 : 403);
        response.end(ok ? "true" : "denied");
      });
    });
    await new Promise<void>((done) => consul.listen(0, "127.0.0.1", done));
    const address = consul.address();
    consulUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    lost = await boot("lost", "127.0.0.21", 21);
    rebuilt = await boot("rebuilt", "127.0.0.22", 22);
    rebuiltGcp = await boot("rebuilt-gcp", "127.0.0.23", 23);
    rebuiltJp = await boot("rebuilt-jp", "127.0.0.24", 24);
    stamp = await shipDump();
  });

  after(async () => {
    await lost?.stop();
    await rebuilt?.stop();
    await rebuiltGcp?.stop();
    await rebuiltJp?.stop();
    await store?.close();
    await new Promise((done) => consul?.close(done));
    // Four data directories: about 460 MB.
    rmSync(work, { recursive: true, force: true });
  });

  test("EC2 (S3, instance role): the rebuilt primary loads the newest complete dump and reports its time, once", async () => {
    const first = await runAsync("bash", [restoreTool("s3", rebuilt, "rebuilt")]);
    assert.equal(first.status, 0, `${first.output}\n${store.refusals.join("\n")}`);
    assert.equal(
      await sql(rebuilt, "SELECT item FROM shop.orders WHERE id = 7"),
      "kept across the region loss",
    );
    const point = (stamp ?? "").replace(
      /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
      "$1-$2-$3T$4:$5:$6Z",
    );
    assert.match(first.output, /dump 29991231T030000Z has no readable SHA256SUMS/);
    assert.ok(first.output.includes(`recovery point ${point}`), first.output);
    assert.equal(kvPuts.length, 1);
    assert.equal(kvPuts[0]?.path, "/v1/kv/multicloud/mysql/recovery-point");
    assert.equal(JSON.parse(kvPuts[0]?.body ?? "{}").recoveryPoint, point);

    // Second boot: nothing is loaded again (a change made since survives), and Consul is not asked
    // again: a later boot must not wait for Consul before replication makes the primary writable.
    await sql(rebuilt, "UPDATE shop.orders SET item = 'written after the restore' WHERE id = 7");
    const second = await runAsync("bash", [restoreTool("s3", rebuilt, "rebuilt")]);
    assert.equal(second.status, 0, second.output);
    assert.match(second.output, /restored already; nothing loaded/);
    assert.equal(
      await sql(rebuilt, "SELECT item FROM shop.orders WHERE id = 7"),
      "written after the restore",
    );
    assert.equal(kvPuts.length, 1, "the second boot wrote to Consul KV again");
  });

  test("GCE (Cloud Storage, service account token): the same dump loads the same way; a point Consul refused is recorded on the next try, then never again", async () => {
    const script = restoreTool("gcs", rebuiltGcp, "rebuilt-gcp");
    const puts = kvPuts.length;
    // Consul refuses the first report (a token it does not know yet): the load stands, the tool
    // fails so that its unit tries again.
    writeFileSync(join(work, "role.token"), "a-token-consul-does-not-know");
    const refused = await runAsync("bash", [script]);
    writeFileSync(join(work, "role.token"), "role-token-of-the-test");
    assert.notEqual(refused.status, 0, refused.output);
    assert.equal(
      await sql(rebuiltGcp, "SELECT item FROM shop.orders WHERE id = 7"),
      "kept across the region loss",
    );
    assert.ok(refused.output.includes(`recovery point ${isoOf(stamp)}`), refused.output);
    assert.equal(kvPuts.length, puts);

    // The unit's next try loads nothing and records the point.
    await sql(rebuiltGcp, "UPDATE shop.orders SET item = 'written after the restore' WHERE id = 7");
    const retried = await runAsync("bash", [script]);
    assert.equal(retried.status, 0, retried.output);
    assert.match(retried.output, /loaded already; recording the recovery point/);
    assert.equal(kvPuts.length, puts + 1);
    assert.equal(JSON.parse(kvPuts.at(-1)?.body ?? "{}").recoveryPoint, isoOf(stamp));
    assert.equal(
      await sql(rebuiltGcp, "SELECT item FROM shop.orders WHERE id = 7"),
      "written after the restore",
    );

    // Later boots: nothing loaded, nothing written to Consul.
    const later = await runAsync("bash", [script]);
    assert.equal(later.status, 0, later.output);
    assert.match(later.output, /restored already; nothing loaded/);
    assert.equal(kvPuts.length, puts + 1);
  });

  test("jp's rebuild, as `npm run dr` writes it: its mysql role loads the dump at first boot, before replication makes it writable; the second boot loads nothing", async () => {
    const { rebuild, files, commands } = await jpRebuildMysql();
    const unit = files.get(`/etc/systemd/system/multicloud-mysql-restore.service`) ?? "";
    // The unit orders itself before replication and is required by it.
    assert.match(unit, /^Before=multicloud-mysql-replication\.service$/m);
    assert.match(unit, /^RequiredBy=multicloud-mysql-replication\.service$/m);
    const enable = commands.indexOf("systemctl enable --quiet multicloud-mysql-restore.service");
    const start = commands.indexOf(
      "systemctl start --no-block multicloud-mysql-replication.service",
    );
    assert.ok(enable >= 0 && start > enable, commands.join("\n"));

    // The host's pushed files: the read-only key and bucket, the replication password.
    const pushed = join(work, "jp-pushed");
    mkdirSync(pushed, { recursive: true });
    const put = (id: PushedSecretId, value: string) =>
      writeFileSync(join(pushed, secretName(rebuild, id)), value);
    put("restore-bucket", `${BUCKET}\n`);
    put("restore-access-key-id", "ASIAEXAMPLERESTORE01");
    put("restore-secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYRESTOREKEY");
    put("mysql-replication-password", "A1b2C3d4E5f6G7h8J9k0");
    // The lost primary of jp is db01: its dump lies under mysql/db01/.
    for (const [key, object] of [...store.objects]) {
      const moved = key.replace(`${BUCKET}/mysql/mysql-1/`, `${BUCKET}/mysql/db01/`);
      if (moved !== key) store.objects.set(moved, object);
    }

    let restore = files.get(MYSQL_RESTORE_TOOL) ?? "";
    restore = swap(restore, "readonly REGION=ap-northeast-3", `readonly REGION=${REGION}`);
    restore = swap(restore, S3_ENDPOINT, `${store.baseUrl}/$bucket`);
    restore = swap(restore, `readonly PUSHED=${PUSHED_SECRETS_DIR}`, `readonly PUSHED=${pushed}`);
    restore = swap(restore, SUPER_READ_ONLY_OFF, MARIADB_KEEP_READ_ONLY);
    restore = swap(restore, SUPER_READ_ONLY_ON, MARIADB_KEEP_READ_ONLY);
    restore = onTestHost(restore, rebuiltJp, "rebuilt-jp");
    const restoreFile = join(work, "restore-jp.sh");
    writeFileSync(restoreFile, restore, { mode: 0o755 });

    let replication = withMariadbStatements(files.get(MYSQL_REPLICATION_TOOL) ?? "");
    replication = replication.replaceAll(
      "mysql --protocol=socket",
      `mysql --socket=${rebuiltJp.socket} --protocol=socket`,
    );
    writeFileSync(join(work, "jp-host.env"), "PRIVATE_ADDRESS=127.0.0.24\n");
    writeFileSync(join(work, "jp-primaries.json"), "[]");
    replication = swap(replication, `. ${HOST_ENV_PATH}`, `. ${join(work, "jp-host.env")}`);
    replication = swap(replication, "readonly PORT=3306", `readonly PORT=${PORT}`);
    replication = swap(replication, "readonly CHECK_USER=consul", "readonly CHECK_USER=nobody");
    replication = swap(
      replication,
      `readonly PRIMARY_MARK=${MYSQL_PRIMARY_MARK}`,
      `readonly PRIMARY_MARK=${join(work, "rebuilt-jp", "primary-mark")}`,
    );
    replication = swap(
      replication,
      '--cacert "$CONSUL_CA" "$CONSUL_API/v1/health/service/mysql-primary?passing=1"',
      `file://${join(work, "jp-primaries.json")}`,
    );
    replication = swap(
      replication,
      `readonly PUSHED=${PUSHED_SECRETS_DIR}`,
      `readonly PUSHED=${pushed}`,
    );
    replication = replication.replace(
      /^readonly INITIAL_PRIMARY=.*$/m,
      "readonly INITIAL_PRIMARY=127.0.0.24",
    );
    const replicationFile = join(work, "replication-jp.sh");
    writeFileSync(replicationFile, replication, { mode: 0o755 });

    // First boot, in the units' order: the restore, then replication.
    const first = await runAsync("bash", [restoreFile]);
    assert.equal(first.status, 0, `${first.output}\n${store.refusals.join("\n")}`);
    assert.ok(
      first.output.includes(`recovery point ${isoOf(stamp)} (dump mysql/db01/${stamp})`),
      first.output,
    );
    assert.equal(
      await sql(rebuiltJp, "SELECT item FROM shop.orders WHERE id = 7"),
      "kept across the region loss",
    );
    assert.equal(
      await sql(rebuiltJp, "SELECT @@GLOBAL.read_only"),
      "1",
      "read-only until replication runs",
    );
    const made = await runAsync("bash", [replicationFile]);
    assert.equal(made.status, 0, made.output);
    assert.match(made.output, /writable primary/);
    assert.equal(await sql(rebuiltJp, "SELECT @@GLOBAL.read_only"), "0");

    // Second boot: nothing loaded again; what was written since survives.
    await sql(rebuiltJp, "UPDATE shop.orders SET item = 'written after the rebuild' WHERE id = 7");
    const second = await runAsync("bash", [restoreFile]);
    assert.equal(second.status, 0, second.output);
    assert.match(second.output, /restored already; nothing loaded/);
    assert.equal(
      await sql(rebuiltJp, "SELECT item FROM shop.orders WHERE id = 7"),
      "written after the rebuild",
    );
  });
});

/** The mysql role of jp's rebuild as `npm run dr -- --stack jp --to is1a` writes it. */
async function jpRebuildMysql(): Promise<{
  rebuild: RegionSpec;
  files: Map<string, string>;
  commands: string[];
}> {
  const dir = drScratch("multicloud-restore-live-");
  const written = await run("dr", ["--stack", "jp", "--to", "is1a"], dir);
  assert.equal(written.code, 0, written.stderr);
  const file = join(dir, "Pulumi.jp-dr.yaml");
  const raw = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  rmSync(dir, { recursive: true, force: true });
  const rebuild = parseRegionSpec(raw.config["multicloud:region"], file);
  const plan = hostPlan(rebuild, "mysql", siteFacts(rebuild));
  return {
    rebuild,
    files: new Map(plan.files.map((f) => [f.path, f.content])),
    commands: [...plan.commands],
  };
}

describe("the rendered restore tool", () => {
  test("passes shellcheck for both stores", () => {
    for (const kind of [
      { kind: "s3-instance-role", region: "us-west-2" },
      { kind: "gcs-service-account" },
      {
        kind: "s3-pushed-key",
        region: "ap-northeast-3",
        directory: "/etc/multicloud/secrets",
        names: { bucket: "b", accessKeyId: "k", secretAccessKey: "s" },
      },
    ] as const) {
      const script = renderMysqlRestoreTool({ store: kind, prefix: "mysql/mysql-1/" });
      assert.equal(shellcheckScript(script), "", kind.kind);
    }
  });

  test("refuses a prefix that is not one host's dumps", () => {
    assert.throws(
      () =>
        renderMysqlRestoreTool({
          store: { kind: "s3-instance-role", region: "us-west-2" },
          prefix: "mysql/",
        }),
      /the dump prefix mysql\/ is not mysql\/<host>\//,
    );
  });
});

/** The lost primary's nightly dump, shipped into the stand-in store; returns its folder name. */
async function shipDump(): Promise<string> {
  await sql(lost, "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, item TEXT)");
  await sql(lost, "INSERT INTO shop.orders VALUES (7, 'kept across the region loss')");

  // The lost primary's nightly dump, by the rendered tool: mariadb-dump for mysqldump (MariaDB
  // has no --set-gtid-purged), an upload that files each object under mysql/mysql-1/.
  const dumpDir = join(work, "dump");
  const bin = join(dumpDir, "bin");
  const shipped = join(dumpDir, "shipped");
  mkdirSync(bin, { recursive: true });
  mkdirSync(shipped);
  writeFileSync(
    join(bin, "mysqldump"),
    `#!/bin/bash\nargs=()\nfor a in "$@"; do [[ $a == --set-gtid-purged=* ]] || args+=("$a"); done\nexec mariadb-dump --socket=${lost.socket} "\${args[@]}"\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    join(bin, "upload"),
    `#!/bin/bash\nset -e\nmkdir -p "${shipped}/$(dirname "$2")"\ncp "$1" "${shipped}/$2"\n`,
    { mode: 0o755 },
  );
  writeFileSync(join(dumpDir, "node.json"), '{"node_name": "mysql-1"}\n');
  writeFileSync(join(dumpDir, "replicas.json"), JSON.stringify([{ Node: { Node: "mysql-1" } }]));
  let dump = renderMysqlDumpTool();
  dump = swap(
    dump,
    "'https://127.0.0.1:8501/v1/health/service/mysql-replica?passing=1'",
    `file://${join(dumpDir, "replicas.json")}`,
  );
  dump = swap(dump, "--cacert /etc/consul.d/tls/ca.pem", "");
  dump = swap(dump, "/etc/consul.d/node.json", join(dumpDir, "node.json"));
  dump = swap(dump, MYSQL_DUMP_STAGING, join(dumpDir, "staging"));
  dump = swap(dump, OFFSITE_UPLOAD_TOOL, join(bin, "upload"));
  writeFileSync(join(dumpDir, "dump.sh"), dump, { mode: 0o755 });
  const dumped = await runAsync("bash", [join(dumpDir, "dump.sh")], {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
  });
  assert.equal(dumped.status, 0, dumped.output);
  const [folder = ""] = readdirSync(shipped);
  assert.match(folder, /^\d{8}T\d{6}Z$/);
  for (const name of readdirSync(join(shipped, folder))) {
    const body = readFileSync(join(shipped, folder, name));
    store.objects.set(`${BUCKET}/mysql/mysql-1/${folder}/${name}`, { body, via: "s3" });
  }
  // A later dump cut short: parts without SHA256SUMS. It must be passed over.
  store.objects.set(`${BUCKET}/mysql/mysql-1/29991231T030000Z/dump.sql.gz.0000`, {
    body: Buffer.from("partial"),
    via: "s3",
  });
  // Another host's dump is not this primary's.
  store.objects.set(`${BUCKET}/mysql/mysql-2/29991231T040000Z/SHA256SUMS`, {
    body: Buffer.from(""),
    via: "s3",
  });

  return folder;
}
