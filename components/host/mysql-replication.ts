// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// MySQL primary and replicas on the self-run MySQL hosts (Ubuntu 24.04's MySQL 8.0; the syntax is
// that of 8.0.26 and later, 8.4 included; GTID replication): the tool that sets a host up as the primary or a replica at every boot, the role check Consul runs for
// `mysql-primary` and `mysql-replica`, and the promotion runbook step. Every MySQL host starts
// read-only (super_read_only in its configuration); only the replication tool makes the primary
// writable, and only when no other primary is live. Pure.
//
// The SQL lives in the `stmt_*` functions at the top of the tools, one statement each, so that
// what is MySQL's own can be seen in one place (the tests run MariaDB, which differs there).
import type { Role } from "../spec/hosts";
import { fixedHosts } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import { CONSUL_API, CONSUL_CA_FILE, MYSQL_PORT } from "./consul";
import { fetchFunction } from "./consul-boot";
import { lines, shellQuote } from "./model";
import { HOST_ENV_PATH, SBIN } from "./scripts";
import type { SecretSource } from "./site-facts";

export const MYSQL_REPLICATION_TOOL = `${SBIN}/multicloud-mysql-replication`;
export const MYSQL_PROMOTE_TOOL = `${SBIN}/multicloud-mysql-promote`;
export const MYSQL_REPLICATION_UNIT = "multicloud-mysql-replication";
/** Replicas replicate from the writable server, whichever host it is. */
export const MYSQL_PRIMARY_NAME = "mysql-primary.service.consul";
export const MYSQL_REPLICATION_USER = "multicloud_repl";
/** The OS user Consul's checks run as, authenticated by the socket (no password). */
export const MYSQL_CHECK_USER = "consul";
/** On the data disk: says this host was made the primary (first boot, or a promotion). */
export const MYSQL_PRIMARY_MARK = "/srv/mysql-data/multicloud-primary";

/** The first MySQL host of the region: the primary of a new region (and of a rebuild). */
export function initialPrimaryAddress(spec: RegionSpec): string {
  const first = fixedHosts(spec).find((host) => host.role === "mysql");
  if (!first) throw new Error(`region ${spec.name} has no MySQL host`);
  return first.address;
}

/** The statements, in MySQL 8.0.26+ syntax; each prints one statement for `sql`. */
function statements(): string[] {
  return [
    "# --- Statements (MySQL 8.0.26 and later) ---",
    "stmt_read_only() { echo 'SET GLOBAL super_read_only = ON;'; }",
    "stmt_writable() { echo 'SET GLOBAL read_only = OFF;'; }",
    "stmt_is_read_only() { echo 'SELECT @@GLOBAL.super_read_only;'; }",
    "stmt_source() {",
    "  printf \"CHANGE REPLICATION SOURCE TO SOURCE_HOST = '%s', SOURCE_PORT = %s, SOURCE_USER = '%s', SOURCE_PASSWORD = '%s', SOURCE_SSL = 1, SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 10, SOURCE_RETRY_COUNT = 86400;\\n\" \\",
    '    "$1" "$PORT" "$REPL_USER" "$2"',
    "}",
    "stmt_check_user() {",
    "  echo \"CREATE USER IF NOT EXISTS '$CHECK_USER'@'localhost' IDENTIFIED WITH auth_socket;\"",
    "  echo \"GRANT REPLICATION CLIENT ON *.* TO '$CHECK_USER'@'localhost';\"",
    "}",
    "# --- end of statements ---",
  ];
}

/** The check user's `sql`, `sql_named`, `replica_state` and `stmt_is_read_only`, for other tools. */
export function mysqlCheckLines(): string[] {
  const readOnly = statements().filter((line) => line.startsWith("stmt_is_read_only"));
  return [...readOnly, ...helpers("check")];
}

/** Shell lines shared by the tools: `sql`, and the replica's state read from SHOW REPLICA STATUS. */
function helpers(user: "root" | "check"): string[] {
  const login = user === "root" ? "-u root" : `-u ${MYSQL_CHECK_USER}`;
  return [
    `sql() { mysql --protocol=socket ${login} -NB; }`,
    "# Vertical output keeps the column names (with -N it would print the values alone).",
    `sql_named() { mysql --protocol=socket ${login} -B; }`,
    "# replica_state: 'none' (no source configured), 'running' (both threads), or 'stopped'.",
    "replica_state() {",
    "  local status",
    "  status=\"$(echo 'SHOW REPLICA STATUS\\G' | sql_named)\" || return 1",
    '  if [[ -z "$status" ]]; then echo none',
    "  elif grep -Eq '_IO_Running: Yes$' <<<\"$status\" && grep -Eq '_SQL_Running: Yes$' <<<\"$status\"; then echo running",
    "  else echo stopped; fi",
    "}",
  ];
}

/**
 * `multicloud-mysql-role primary|replica`: Consul's script check (exit 0 passing, 1 warning, 2
 * critical). primary passes only on a writable server with no source; replica only on a read-only
 * server whose replication runs (warning while it reconnects).
 */
export function renderMysqlRoleCheck(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# shellcheck disable=SC2317 # the statements are one shared set: not every tool calls each",
    "# multicloud-mysql-role primary|replica: does this MySQL server really hold that role?",
    "set -uo pipefail",
    `readonly CHECK_USER=${MYSQL_CHECK_USER}`,
    ...statements(),
    ...helpers("check"),
    'want="${1:-}"',
    'read_only="$(stmt_is_read_only | sql 2>/dev/null)" || { echo "MySQL does not answer"; exit 2; }',
    'state="$(replica_state 2>/dev/null)" || { echo "MySQL does not answer"; exit 2; }',
    'case "$want" in',
    "  primary)",
    '    if [[ "$read_only" == 0 && "$state" == none ]]; then echo "writable primary"; exit 0; fi',
    '    echo "not the primary (read-only $read_only, replication $state)"',
    "    exit 2",
    "    ;;",
    "  replica)",
    '    if [[ "$read_only" != 1 || "$state" == none ]]; then',
    '      echo "not a replica (read-only $read_only, replication $state)"',
    "      exit 2",
    "    fi",
    '    if [[ "$state" == running ]]; then echo "read-only replica, replicating"; exit 0; fi',
    '    echo "read-only replica, replication stopped"',
    "    exit 1",
    "    ;;",
    '  *) echo "usage: multicloud-mysql-role primary|replica" >&2; exit 2 ;;',
    "esac",
  );
}

/** Lines shared by the replication and promotion tools: constants, the secret, Consul's view. */
function toolPreamble(source: SecretSource | undefined, tool: string): string[] {
  return [
    "set -euo pipefail",
    "umask 077",
    `readonly PORT=${MYSQL_PORT}`,
    `readonly REPL_USER=${MYSQL_REPLICATION_USER}`,
    `readonly CHECK_USER=${MYSQL_CHECK_USER}`,
    `readonly PRIMARY_MARK=${MYSQL_PRIMARY_MARK}`,
    `readonly CONSUL_API=${CONSUL_API}`,
    `readonly CONSUL_CA=${CONSUL_CA_FILE}`,
    `# shellcheck source=/dev/null`,
    `. ${HOST_ENV_PATH}`,
    "",
    ...(source ? [...fetchFunction(source, tool), ""] : []),
    ...statements(),
    ...helpers("root"),
    "# live_primaries: the addresses Consul's checks find writable, one a line.",
    "live_primaries() {",
    '  curl -fsS --max-time 5 --cacert "$CONSUL_CA" "$CONSUL_API/v1/health/service/mysql-primary?passing=1" |',
    "    jq -r '.[] | if .Service.Address != \"\" then .Service.Address else .Node.Address end' | sort -u",
    "}",
  ];
}

/**
 * `multicloud-mysql-replication`, run at every boot by its unit (retried until it succeeds):
 * - a server with a source configured is a replica: read-only, replication started (no secret
 *   is read: a reboot does not wait for the secret store);
 * - the host marked primary (or the region's first MySQL host on its first boot) becomes the
 *   writable primary, unless Consul already names another live primary, and keeps the check user
 *   and the replication user's password (while the password cannot be read, it is writable and
 *   the tool fails, so that its unit tries again);
 * - any other host becomes a replica of `mysql-primary.service.consul` by GTID auto-position.
 */
export function renderMysqlReplicationTool(spec: RegionSpec, source: SecretSource): string {
  const tool = "multicloud-mysql-replication";
  return lines(
    "#!/usr/bin/env bash",
    "# shellcheck disable=SC2317 # the statements are one shared set: not every tool calls each",
    "# multicloud-mysql-replication: makes this MySQL host the primary or a replica; safe to re-run.",
    ...toolPreamble(source, tool),
    `readonly INITIAL_PRIMARY=${shellQuote(initialPrimaryAddress(spec))}`,
    `readonly PRIMARY_NAME=${MYSQL_PRIMARY_NAME}`,
    `readonly PASSWORD_SECRET=${shellQuote(secretName(spec, "mysql-replication-password"))}`,
    "",
    "# A replica set up before replicates with what it has: it needs no secret to go on.",
    'state="$(replica_state)"',
    'if [[ "$state" != none ]]; then',
    "  stmt_read_only | sql",
    '  if [[ "$state" == stopped ]]; then',
    "    echo 'START REPLICA;' | sql",
    "  fi",
    `  echo "${tool}: replica (replication $state before this run)"`,
    "  exit 0",
    "fi",
    "",
    "# Empty when the secret cannot be read now; the unit runs the tool again until it can.",
    'password="$(fetch "$PASSWORD_SECRET")" || password=""',
    'if [[ -n "$password" && ! "$password" =~ ^[A-Za-z0-9]{16,}$ ]]; then',
    `  echo "${tool}: the replication password does not have the expected shape" >&2`,
    '  password=""',
    "fi",
    "",
    'if [[ -e "$PRIMARY_MARK" || "$PRIVATE_ADDRESS" == "$INITIAL_PRIMARY" ]]; then',
    '  others="$(live_primaries | grep -vx "$PRIVATE_ADDRESS" || true)"',
    '  if [[ -n "$others" ]]; then',
    `    echo "${tool}: another primary is live ($others); staying read-only (see the runbook: rejoin)" >&2`,
    "    stmt_read_only | sql",
    "    exit 0",
    "  fi",
    "  # Writable first: the application's writes do not wait for the secret store.",
    '  : >"$PRIMARY_MARK"',
    "  stmt_writable | sql",
    "  stmt_check_user | sql",
    '  if [[ -z "$password" ]]; then',
    `    echo "${tool}: writable primary, but the replication password cannot be read yet; trying again" >&2`,
    "    exit 1",
    "  fi",
    "  {",
    "    echo \"CREATE USER IF NOT EXISTS '$REPL_USER'@'%' IDENTIFIED BY '$password' REQUIRE SSL;\"",
    "    echo \"ALTER USER '$REPL_USER'@'%' IDENTIFIED BY '$password' REQUIRE SSL;\"",
    "    echo \"GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'%';\"",
    "  } | sql",
    `  echo "${tool}: writable primary"`,
    "  exit 0",
    "fi",
    "",
    "# A replica of whichever server Consul names the primary; it must be there first.",
    'if [[ -z "$password" ]]; then',
    `  echo "${tool}: the replication password cannot be read yet" >&2`,
    "  exit 1",
    "fi",
    'if [[ -z "$(live_primaries)" ]]; then',
    `  echo "${tool}: no live primary yet" >&2`,
    "  exit 1",
    "fi",
    "stmt_read_only | sql",
    '{ stmt_source "$PRIMARY_NAME" "$password"; echo "START REPLICA;"; } | sql',
    `echo "${tool}: replica of $PRIMARY_NAME"`,
  );
}

/**
 * `multicloud-mysql-promote`: the runbook's promotion step, run by an operator on the replica to
 * promote (the one with the most transactions). It refuses while another primary is live, stops
 * and forgets replication, marks the host primary and makes it writable; the other replicas follow
 * it through `mysql-primary.service.consul` once Consul's check passes (GTID auto-position).
 */
export function renderMysqlPromoteTool(): string {
  const tool = "multicloud-mysql-promote";
  return lines(
    "#!/usr/bin/env bash",
    "# shellcheck disable=SC2317 # the statements are one shared set: not every tool calls each",
    "# multicloud-mysql-promote [--force]: makes this replica the writable primary (runbook step).",
    "# --force: promote although Consul still names another live primary (it must be fenced first).",
    ...toolPreamble(undefined, tool),
    "",
    "force=false",
    'if [[ "${1:-}" == --force ]]; then force=true; fi',
    'if [[ "$(replica_state)" == none ]]; then',
    `  echo "${tool}: this server is not a replica" >&2`,
    "  exit 1",
    "fi",
    'others="$(live_primaries | grep -vx "$PRIVATE_ADDRESS" || true)"',
    'if [[ -n "$others" ]] && ! $force; then',
    `  echo "${tool}: $others is still a live primary; stop it (or fence it) first, or pass --force" >&2`,
    "  exit 1",
    "fi",
    "# Apply what was received before letting go of the source.",
    "echo 'STOP REPLICA IO_THREAD;' | sql",
    "for _ in $(seq 1 600); do",
    "  if echo 'SHOW REPLICA STATUS\\G' | sql | grep -q 'has read all relay log'; then",
    "    break",
    "  fi",
    "  sleep 1",
    "done",
    "{ echo 'STOP REPLICA;'; echo 'RESET REPLICA ALL;'; } | sql",
    ': >"$PRIMARY_MARK"',
    "stmt_writable | sql",
    `echo "${tool}: $(hostname -s) is the writable primary; Consul names it within a check interval"`,
  );
}

export function renderMysqlReplicationUnit(): string {
  return lines(
    "[Unit]",
    "Description=Make this MySQL host the primary or a replica",
    "After=mysql.service consul.service",
    "Requires=mysql.service",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${MYSQL_REPLICATION_TOOL}`,
    "Restart=on-failure",
    "RestartSec=15s",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/** Roles whose hosts carry the MySQL replication tools. */
export function carriesReplication(role: Role): boolean {
  return role === "mysql";
}
