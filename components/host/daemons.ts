// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The roles' own daemons: MySQL and memcached bound to the host's private address, and a
// placeholder app server (the application is deployed separately). Pure.
import type { RegionSpec } from "../spec/schema";
import { APP_PORT } from "./consul";
import { lines } from "./model";
import { HOST_ENV_PATH, SBIN } from "./scripts";

/** MySQL's data disk is mounted here; /var/lib/mysql is bind-mounted from a directory on it. */
export const MYSQL_DATA_MOUNT = "/srv/mysql-data";
export const MYSQL_DATA_LABEL = "mysql-data";
export const MYSQL_CONF_PATH = "/etc/mysql/mysql.conf.d/zz-multicloud.cnf";
export const MYSQL_DROP_IN_PATH = "/etc/systemd/system/mysql.service.d/multicloud.conf";
export const MYSQL_SECURE_TOOL = `${SBIN}/multicloud-mysql-secure`;
export const MEMCACHED_DROP_IN_PATH = "/etc/systemd/system/memcached.service.d/multicloud.conf";
export const APP_PLACEHOLDER_UNIT_PATH = "/etc/systemd/system/app-placeholder.service";
export const APP_PLACEHOLDER_DIR = "/usr/local/share/multicloud/app-placeholder";
/** The app deployment creates this file when the real app takes over port 8080. */
export const APP_DEPLOYED_FLAG = "/etc/multicloud/app-deployed";

/**
 * MySQL 8.0 (Ubuntu 24.04's) with GTIDs. Every server starts read-only (super_read_only): only
 * the replication tool makes the primary writable, so a restarted former primary never takes writes by itself. The
 * listen address and the server id (from the host's address) are set by the unit's drop-in.
 */
export function renderMysqlConf(): string {
  return lines(
    "# Rendered. The listen address and server id (the host's private address) are set by the unit's drop-in.",
    "[mysqld]",
    "skip-name-resolve",
    "mysqlx = OFF",
    "max_connections = 2000",
    "innodb_flush_log_at_trx_commit = 1",
    "sync_binlog = 1",
    "log_bin = binlog",
    "binlog_expire_logs_seconds = 604800",
    "gtid_mode = ON",
    "enforce_gtid_consistency = ON",
    "log_replica_updates = ON",
    "relay_log_recovery = ON",
    "super_read_only = ON",
    "local_infile = OFF",
  );
}

/**
 * Replaces the distribution's ExecStart: private address only, a server id unique in the region
 * (the address as a number), buffer pool sized to the host.
 */
export function renderMysqlDropIn(): string {
  return lines(
    "[Service]",
    `EnvironmentFile=${HOST_ENV_PATH}`,
    "ExecStart=",
    "ExecStart=/usr/sbin/mysqld --bind-address=${PRIVATE_ADDRESS} --server-id=${SERVER_ID} --innodb-buffer-pool-size=${CACHE_MB}M",
  );
}

/** No remote root, no anonymous users, no test database; root stays socket-authenticated. */
export function renderMysqlSecureTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Removes root accounts that are not local, anonymous accounts and the test database.",
    "set -euo pipefail",
    "mysql --protocol=socket -u root -NB <<'SQL'",
    "DELETE FROM mysql.user WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost'));",
    "DROP DATABASE IF EXISTS test;",
    "DELETE FROM mysql.db WHERE Db = 'test' OR Db LIKE 'test\\\\_%';",
    "FLUSH PRIVILEGES;",
    "SQL",
  );
}

export function renderMemcachedDropIn(): string {
  return lines(
    "[Service]",
    `EnvironmentFile=${HOST_ENV_PATH}`,
    "ExecStart=",
    "ExecStart=/usr/bin/memcached -u memcache -l ${PRIVATE_ADDRESS} -p 11211 -U 0 -m ${CACHE_MB} -c 8192",
  );
}

/**
 * Answers the health path on port 8080 until the real app (deployed by its own pipeline) takes
 * over and creates APP_DEPLOYED_FLAG, after which this unit never starts again.
 */
export function renderAppPlaceholderUnit(): string {
  return lines(
    "[Unit]",
    "Description=Placeholder for the app server: answers the health path until the app is deployed",
    `ConditionPathExists=!${APP_DEPLOYED_FLAG}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    `EnvironmentFile=${HOST_ENV_PATH}`,
    `ExecStart=/usr/bin/python3 -m http.server ${APP_PORT} --bind \${PRIVATE_ADDRESS} --directory ${APP_PLACEHOLDER_DIR}`,
    "DynamicUser=yes",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "Restart=always",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/** The file the placeholder serves at the health path. */
export function appPlaceholderHealthFile(spec: RegionSpec): string {
  const path = spec.front.healthCheckPath;
  return `${APP_PLACEHOLDER_DIR}${path.endsWith("/") ? `${path}index.html` : path}`;
}
