// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the rendered unit's ${...} are systemd's
// MariaDB (Debian's) standing in for MySQL 8.0 on loopback addresses: a server started from the
// rendered my.cnf and the rendered unit's command line, and the MariaDB spelling of the few
// statements and settings where the two differ. Everything else in the rendered tools runs as is.
//
// Where MariaDB differs from MySQL 8.0.26+ (what the translations below change, and why):
// - GTIDs are always on and look different (domain-server-sequence), so `gtid_mode` and
//   `enforce_gtid_consistency` are unknown settings; a replica follows by `MASTER_USE_GTID =
//   slave_pos` where MySQL says `SOURCE_AUTO_POSITION = 1`, in `CHANGE MASTER TO` (MariaDB has no
//   `CHANGE REPLICATION SOURCE TO`), whose retry count is the server's `master_retry_count`
//   (86400 by default, as the rendered statement asks), not a clause;
// - no `super_read_only`: `read_only` stops every user without READ_ONLY ADMIN (root keeps it);
// - no X plugin (`mysqlx`); 10.11 knows `log_replica_updates` only as `log_slave_updates`;
// - socket authentication is the `unix_socket` plugin (MySQL: `auth_socket`), and reading
//   SHOW REPLICA STATUS needs SLAVE MONITOR (MySQL: REPLICATION CLIENT);
// - MariaDB 10.11 makes no TLS certificate by itself (MySQL does at first start): the test
//   gives it one, so that the replication user's REQUIRE SSL holds.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runAsync } from "./support";

/** Runs a command; throws with its output when it fails. */
async function sh(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await runAsync(command, args, env);
  if (result.status !== 0) throw new Error(`${command} failed: ${result.output}`);
  return result.output;
}

export const STATEMENTS_START = "# --- Statements (MySQL 8.0.26 and later) ---";
export const STATEMENTS_END = "# --- end of statements ---";

/** The MariaDB statements, one shell function each, as the rendered tools define MySQL's. */
const MARIADB_STATEMENTS = [
  "# --- Statements (MariaDB, in the test) ---",
  "stmt_read_only() { echo 'SET GLOBAL read_only = ON;'; }",
  "stmt_writable() { echo 'SET GLOBAL read_only = OFF;'; }",
  "stmt_is_read_only() { echo 'SELECT @@GLOBAL.read_only;'; }",
  "stmt_source() {",
  "  printf \"CHANGE MASTER TO MASTER_HOST = '%s', MASTER_PORT = %s, MASTER_USER = '%s', MASTER_PASSWORD = '%s', MASTER_SSL = 1, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 10;\\n\" \\",
  '    "$1" "$PORT" "$REPL_USER" "$2"',
  "}",
  "stmt_check_user() {",
  "  echo \"CREATE USER IF NOT EXISTS '$CHECK_USER'@'localhost' IDENTIFIED VIA unix_socket;\"",
  "  echo \"GRANT SLAVE MONITOR ON *.* TO '$CHECK_USER'@'localhost';\"",
  "}",
].join("\n");

/** Swaps the rendered tool's MySQL statements for MariaDB's; fails if the block is not there. */
export function withMariadbStatements(script: string): string {
  const start = script.indexOf(STATEMENTS_START);
  const end = script.indexOf(STATEMENTS_END);
  if (start < 0 || end < start) throw new Error("the rendered tool has no statements block");
  return `${script.slice(0, start)}${MARIADB_STATEMENTS}\n${script.slice(end)}`;
}

/** MySQL settings MariaDB does not know: dropped, or renamed to MariaDB's nearest. */
const MYSQL_ONLY: Readonly<Record<string, string | null>> = {
  gtid_mode: null,
  enforce_gtid_consistency: null,
  mysqlx: null,
  super_read_only: "read_only",
  log_replica_updates: "log_slave_updates",
};

/** The rendered my.cnf for MariaDB: every other setting is passed through unchanged. */
export function mariadbConf(rendered: string): string {
  return rendered
    .split("\n")
    .flatMap((line) => {
      const key = line.split("=")[0]?.trim() ?? "";
      if (!(key in MYSQL_ONLY)) return [line];
      const renamed = MYSQL_ONLY[key];
      return renamed ? [line.replace(key, renamed)] : [];
    })
    .join("\n");
}

/**
 * A throwaway self-signed certificate for the test servers (`<dir>/tls.key`, `<dir>/tls.pem`), since
 * MariaDB makes none and the replication user requires TLS.
 */
export async function makeServerCertificate(dir: string): Promise<void> {
  await sh("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=mysql",
    "-keyout",
    join(dir, "tls.key"),
    "-out",
    join(dir, "tls.pem"),
  ]);
  chmodSync(join(dir, "tls.key"), 0o600);
}

export interface Mariadb {
  readonly address: string;
  readonly socket: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface MariadbOptions {
  readonly dir: string;
  readonly address: string;
  readonly port: number;
  /** The rendered my.cnf and the rendered unit drop-in (its ExecStart). */
  readonly conf: string;
  readonly dropIn: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string };
}

/** The rendered unit's mysqld command line, its ${VAR}s filled from the host's environment. */
function unitArguments(dropIn: string, env: Readonly<Record<string, string>>): string[] {
  const exec = dropIn
    .split("\n")
    .filter((line) => line.startsWith("ExecStart="))
    .at(-1);
  if (!exec) throw new Error("the rendered drop-in has no ExecStart");
  const [program, ...args] = exec.slice("ExecStart=".length).split(/\s+/);
  if (program !== "/usr/sbin/mysqld") throw new Error(`the drop-in starts ${program}`);
  return args.map((arg) =>
    arg.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const value = env[name];
      if (value === undefined) throw new Error(`the drop-in needs ${name}`);
      return value;
    }),
  );
}

/** Makes a data directory and starts mariadbd on it; resolves once root can log in. */
export async function startMariadb(options: MariadbOptions): Promise<Mariadb> {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  // Others (the check user's OS account) reach the socket through this directory.
  chmodSync(dir, 0o755);
  const data = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  writeFileSync(join(dir, "my.cnf"), mariadbConf(options.conf));
  // Each server its own temporary directory: two bootstraps at once in /tmp can pick the same
  // temporary table names (each test's network namespace may give them the same process ids).
  const tmp = join(dir, "tmp");
  mkdirSync(tmp, { recursive: true });
  await sh(
    "mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${data}`,
      "--user=root",
      "--auth-root-authentication-method=socket",
      "--skip-test-db",
      `--tmpdir=${tmp}`,
    ],
    { ...process.env, TMPDIR: tmp },
  );
  const args = [
    `--defaults-file=${join(dir, "my.cnf")}`,
    ...unitArguments(options.dropIn, options.env),
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${options.port}`,
    `--pid-file=${join(dir, "mysqld.pid")}`,
    `--tmpdir=${tmp}`,
    `--log-error=${join(dir, "error.log")}`,
    "--user=root",
    `--ssl-ca=${options.tls.ca}`,
    `--ssl-cert=${options.tls.cert}`,
    `--ssl-key=${options.tls.key}`,
  ];
  let child: ChildProcess | undefined;
  const server: Mariadb = {
    address: options.address,
    socket,
    async start() {
      if (child && child.exitCode === null)
        throw new Error(`mariadbd on ${options.address} runs already`);
      child = spawn("mariadbd", args, { stdio: "ignore" });
      for (let i = 0; i < 300; i++) {
        const probe = await sh("mariadb", [`--socket=${socket}`, "-u", "root", "-e", "SELECT 1"])
          .then(() => true)
          .catch(() => false);
        if (probe) return;
        if (child.exitCode !== null) break;
        await sleep(100);
      }
      throw new Error(`mariadbd on ${options.address} did not start (see ${dir}/error.log)`);
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await exited;
    },
  };
  await server.start();
  return server;
}
