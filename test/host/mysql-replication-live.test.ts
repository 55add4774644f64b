// The rendered mysql role run for real: two MariaDB servers (Debian's, standing in for MySQL 8.0;
// see ./mariadb.ts for where the two differ) on loopback addresses, started from the rendered
// my.cnf and unit, set up by the rendered replication tool as a primary and a replica. A row
// written on the primary is read on the replica; the rendered role checks report the real role;
// the replica refuses writes; re-runs change nothing; the promotion step promotes the replica, and
// the old primary, booting again, stays read-only. Consul's view (`mysql-primary?passing=1`) is
// made by running the rendered role check on each server, as Consul's agents would.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { hostPlan } from "../../components/host";
import { MYSQL_ROLE_CHECK } from "../../components/host/consul";
import { MYSQL_CONF_PATH, MYSQL_DROP_IN_PATH } from "../../components/host/daemons";
import {
  MYSQL_PRIMARY_MARK,
  MYSQL_PROMOTE_TOOL,
  MYSQL_REPLICATION_TOOL,
} from "../../components/host/mysql-replication";
import { HOST_ENV_PATH } from "../../components/host/scripts";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import {
  type Mariadb,
  makeServerCertificate,
  startMariadb,
  withMariadbStatements,
} from "./mariadb";
import { loadStack, type RunResult, runAsync, scratchDir } from "./support";

const spec = loadStack("jp");
if (spec.name !== "jp") throw new Error("the secret's name below is jp's");
const files = hostPlan(spec, "mysql", siteFacts(spec)).files;
const rendered = (path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`the mysql role renders no ${path}`);
  return file.content;
};
const PASSWORD = "Repl1cationPassw0rdMadeForTheTest";
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const work = scratchDir("mysql-replication");
chmodSync(work, 0o755);

/** Replaces `from` once, failing when the rendered text no longer holds it. */
function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the rendered tool has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** The client's socket: the host's server's, not the distribution's default. */
function atSocket(script: string, host: Host): string {
  if (!script.includes("mysql --protocol=socket")) throw new Error("the tool uses no socket");
  return script.replaceAll(
    "mysql --protocol=socket",
    `mysql --socket=${host.dir}/mysqld.sock --protocol=socket`,
  );
}

interface Host {
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  server?: Mariadb;
}
const primary: Host = { name: "mysql-1", address: "127.0.0.11", dir: join(work, "mysql-1") };
const replica: Host = { name: "mysql-2", address: "127.0.0.12", dir: join(work, "mysql-2") };
/** The file Consul's `health/service/mysql-primary?passing=1` answers from. */
const consulView = join(work, "mysql-primary.json");

/** A rendered tool as it runs on `host`: its paths, Consul and the secret pointed at the test's. */
function toolFor(host: Host, path: string): string {
  let script = atSocket(withMariadbStatements(rendered(path)), host);
  script = swap(script, `. ${HOST_ENV_PATH}`, `. ${join(host.dir, "host.env")}`);
  script = swap(script, `readonly PORT=3306`, `readonly PORT=${PORT}`);
  script = swap(script, `readonly CHECK_USER=consul`, "readonly CHECK_USER=nobody");
  script = swap(
    script,
    `readonly PRIMARY_MARK=${MYSQL_PRIMARY_MARK}`,
    `readonly PRIMARY_MARK=${join(host.dir, "primary-mark")}`,
  );
  script = swap(
    script,
    '--cacert "$CONSUL_CA" "$CONSUL_API/v1/health/service/mysql-primary?passing=1"',
    `file://${consulView}`,
  );
  if (path === MYSQL_REPLICATION_TOOL) {
    script = swap(
      script,
      `readonly PUSHED=${PUSHED_SECRETS_DIR}`,
      `readonly PUSHED=${join(work, "pushed")}`,
    );
    // The region's first MySQL host is the initial primary; here, the test's mysql-1.
    const initial = /^readonly INITIAL_PRIMARY=.*$/m;
    if (!initial.test(script)) throw new Error("the rendered tool names no initial primary");
    script = script.replace(initial, `readonly INITIAL_PRIMARY=${primary.address}`);
    // What `mysql-primary.service.consul` resolves to: the one address Consul's view names.
    const named = (
      JSON.parse(readFileSync(consulView, "utf8")) as { Node: { Address: string } }[]
    ).map((entry) => entry.Node.Address);
    script = swap(
      script,
      "readonly PRIMARY_NAME=mysql-primary.service.consul",
      `readonly PRIMARY_NAME=${named[0] ?? "nowhere.invalid"}`,
    );
  }
  const file = join(host.dir, `${path.split("/").at(-1)}.sh`);
  writeFileSync(file, script, { mode: 0o755 });
  return file;
}

function runTool(host: Host, path: string, ...args: string[]): Promise<RunResult> {
  return runAsync("bash", [toolFor(host, path), ...args]);
}

/** The rendered role check, run as an unprivileged OS user authenticated by the socket. */
async function roleCheck(host: Host, role: "primary" | "replica"): Promise<number | null> {
  let script = atSocket(withMariadbStatements(rendered(MYSQL_ROLE_CHECK)), host);
  script = swap(script, "readonly CHECK_USER=consul", "readonly CHECK_USER=nobody");
  if (!script.includes("-u consul ")) throw new Error("the check logs in as no consul user");
  script = script.replaceAll("-u consul ", "-u nobody ");
  const file = join(host.dir, "role-check.sh");
  writeFileSync(file, script, { mode: 0o755 });
  const result = await runAsync("runuser", ["-u", "nobody", "--", "bash", file, role]);
  return result.status;
}

/** What Consul would say: the servers whose primary check passes. */
async function refreshConsulView(hosts: readonly Host[]): Promise<string[]> {
  const passing: string[] = [];
  for (const host of hosts)
    if ((await roleCheck(host, "primary")) === 0) passing.push(host.address);
  writeFileSync(
    consulView,
    JSON.stringify(
      passing.map((address) => ({ Node: { Address: address }, Service: { Address: "" } })),
    ),
  );
  return passing;
}

async function sql(host: Host, statement: string): Promise<string> {
  const result = await runAsync("mariadb", [
    `--socket=${host.server?.socket}`,
    "-u",
    "root",
    "-NB",
    "-e",
    statement,
  ]);
  if (result.status !== 0) throw new Error(`${host.name}: ${statement}: ${result.output}`);
  return result.output.trim();
}

/** As the application would: over TCP, as a user without admin rights. */
function appWrite(host: Host, statement: string): Promise<RunResult> {
  return runAsync("mariadb", [
    "-h",
    host.address,
    "-P",
    String(PORT),
    "-u",
    "shop",
    "-pShopPassw0rd",
    "-e",
    statement,
  ]);
}

async function untilRow(host: Host, id: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const row = await sql(host, `SELECT item FROM shop.orders WHERE id = ${id}`).catch(() => "");
    if (row) return row;
    await sleep(50);
  }
  return "";
}

async function boot(host: Host): Promise<void> {
  mkdirSync(host.dir, { recursive: true });
  const env = {
    PRIVATE_ADDRESS: host.address,
    SERVER_ID: String(host === primary ? 11 : 12),
    CACHE_MB: "64",
  };
  writeFileSync(
    join(host.dir, "host.env"),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  host.server = await startMariadb({
    dir: host.dir,
    address: host.address,
    port: PORT,
    conf: rendered(MYSQL_CONF_PATH),
    dropIn: rendered(MYSQL_DROP_IN_PATH),
    env,
    tls: { ca: join(work, "tls.pem"), cert: join(work, "tls.pem"), key: join(work, "tls.key") },
  });
}

describe("MySQL replication, rendered, on real MariaDB servers", { timeout: 240_000 }, () => {
  before(async () => {
    mkdirSync(join(work, "pushed"));
    writeFileSync(join(work, "pushed", "multicloud-jp-mysql-replication-password"), PASSWORD);
    await makeServerCertificate(work);
    await Promise.all([boot(primary), boot(replica)]);
  });
  after(async () => {
    await Promise.all([primary.server?.stop(), replica.server?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  test("both start read-only; the tool makes the first host the writable primary", async () => {
    // The rendered configuration starts every server read-only.
    assert.equal(await sql(primary, "SELECT @@GLOBAL.read_only"), "1");
    assert.equal(await sql(replica, "SELECT @@GLOBAL.read_only"), "1");
    assert.deepEqual(await refreshConsulView([primary, replica]), [], "no primary check passes");
    const made = await runTool(primary, MYSQL_REPLICATION_TOOL);
    assert.equal(made.status, 0, made.output);
    assert.match(made.output, /writable primary/);
    assert.deepEqual(await refreshConsulView([primary, replica]), ["127.0.0.11"]);
  });

  test("the other host becomes a replica; a row written on the primary is read on the replica", async (t) => {
    const made = await runTool(replica, MYSQL_REPLICATION_TOOL);
    assert.equal(made.status, 0, made.output);
    assert.match(made.output, /replica of 127\.0\.0\.11/);
    await sql(
      primary,
      "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64))",
    );
    await sql(
      primary,
      "CREATE USER 'shop'@'%' IDENTIFIED BY 'ShopPassw0rd'; GRANT ALL ON shop.* TO 'shop'@'%'",
    );
    const started = Date.now();
    await sql(primary, "INSERT INTO shop.orders VALUES (1, 'written on the primary')");
    assert.equal(await untilRow(replica, 1), "written on the primary");
    t.diagnostic(`row read on the replica ${Date.now() - started} ms after the primary's commit`);
    const ssl = (
      await runAsync("mariadb", [
        `--socket=${replica.server?.socket}`,
        "-u",
        "root",
        "-e",
        "SHOW REPLICA STATUS\\G",
      ])
    ).output;
    assert.match(ssl, /Master_SSL_Allowed: Yes/, "replication runs over TLS");
    assert.match(ssl, /Using_Gtid: Slave_Pos/, "the replica follows by GTID");
  });

  test("the role checks report the real role of each", async () => {
    assert.equal(await roleCheck(primary, "primary"), 0);
    assert.equal(await roleCheck(primary, "replica"), 2);
    assert.equal(await roleCheck(replica, "replica"), 0);
    assert.equal(await roleCheck(replica, "primary"), 2);
  });

  test("the replica refuses the application's writes; the primary takes them", async () => {
    const refused = await appWrite(replica, "INSERT INTO shop.orders VALUES (2, 'on the replica')");
    assert.notEqual(refused.status, 0);
    assert.match(refused.output, /read-only/);
    const taken = await appWrite(
      primary,
      "INSERT INTO shop.orders VALUES (3, 'by the application')",
    );
    assert.equal(taken.status, 0, taken.output);
    assert.equal(await untilRow(replica, 3), "by the application");
  });

  test("running the tool again on both changes nothing", async () => {
    const again = await runTool(primary, MYSQL_REPLICATION_TOOL);
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /writable primary/);
    const replicaAgain = await runTool(replica, MYSQL_REPLICATION_TOOL);
    assert.equal(replicaAgain.status, 0, replicaAgain.output);
    assert.match(replicaAgain.output, /replica \(replication running before this run\)/);
    assert.equal(await sql(replica, "SELECT COUNT(*) FROM shop.orders"), "2");
    assert.equal(await roleCheck(replica, "replica"), 0);
  });

  test("a reboot while the replication password cannot be read: the primary is writable at once, the replica replicates; the password is set once it can be read", async () => {
    const secret = join(work, "pushed", "multicloud-jp-mysql-replication-password");
    rmSync(secret);
    try {
      // As after a reboot: the configuration starts the server read-only.
      await sql(primary, "SET GLOBAL read_only = ON");
      const primaryRun = await runTool(primary, MYSQL_REPLICATION_TOOL);
      assert.notEqual(primaryRun.status, 0, "the unit must try again for the password");
      assert.match(
        primaryRun.output,
        /writable primary, but the replication password cannot be read yet/,
      );
      assert.equal(await sql(primary, "SELECT @@GLOBAL.read_only"), "0");
      assert.equal(await roleCheck(primary, "primary"), 0);
      const replicaRun = await runTool(replica, MYSQL_REPLICATION_TOOL);
      assert.equal(replicaRun.status, 0, replicaRun.output);
      assert.match(replicaRun.output, /replica \(replication running before this run\)/);
      const taken = await appWrite(
        primary,
        "INSERT INTO shop.orders VALUES (5, 'secret store away')",
      );
      assert.equal(taken.status, 0, taken.output);
      assert.equal(await untilRow(replica, 5), "secret store away");
    } finally {
      writeFileSync(secret, PASSWORD);
    }
    const retried = await runTool(primary, MYSQL_REPLICATION_TOOL);
    assert.equal(retried.status, 0, retried.output);
    assert.match(retried.output, /writable primary$/m);
  });

  test("promotion: refused while the primary is live, then the replica becomes the primary", async () => {
    const refused = await runTool(replica, MYSQL_PROMOTE_TOOL);
    assert.equal(refused.status, 1, refused.output);
    assert.match(refused.output, /127\.0\.0\.11 is still a live primary/);
    await primary.server?.stop();
    assert.deepEqual(await refreshConsulView([primary, replica]), []);
    const promoted = await runTool(replica, MYSQL_PROMOTE_TOOL);
    assert.equal(promoted.status, 0, promoted.output);
    assert.equal(await roleCheck(replica, "primary"), 0);
    assert.deepEqual(await refreshConsulView([primary, replica]), ["127.0.0.12"]);
    const taken = await appWrite(
      replica,
      "INSERT INTO shop.orders VALUES (4, 'after the promotion')",
    );
    assert.equal(taken.status, 0, taken.output);
  });

  test("the old primary, booting again, sees the new one and stays read-only", async () => {
    await primary.server?.start();
    const booted = await runTool(primary, MYSQL_REPLICATION_TOOL);
    assert.equal(booted.status, 0, booted.output);
    assert.match(booted.output, /another primary is live \(127\.0\.0\.12\)/);
    assert.equal(await roleCheck(primary, "primary"), 2);
    assert.equal(await sql(primary, "SELECT @@GLOBAL.read_only"), "1");
    assert.deepEqual(await refreshConsulView([primary, replica]), ["127.0.0.12"]);
  });
});
