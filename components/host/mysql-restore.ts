// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The first-boot restore of a rebuild's MySQL hosts (dr.restore.mysqlDumps): it loads the newest
// complete dump that the lost primary's nightly multicloud-mysql-dump shipped off site (a folder
// mysql/<lost primary>/<UTC time>/ holding dump.sql.gz.NNNN parts and, written last, SHA256SUMS),
// before the replication unit makes the host writable, then reports the dump's time as the
// recovery point. Every MySQL host of the rebuild loads it: the dump sets the GTIDs it holds as
// purged and is not written to the binary log, so a replica cannot fetch its rows from the new
// primary; it loads the same dump (the newest complete one: the lost region ships no more) and
// then replicates from the GTID set they share. A marker on the data disk makes every later boot
// a no-op. Pure.

import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import { GCS_DOWNLOAD_ENDPOINT } from "./chocon";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { lines, shellQuote } from "./model";
import { MYSQL_REPLICATION_UNIT } from "./mysql-replication";
import { S3_ENDPOINT } from "./offsite";
import { recoveryPointPutLines } from "./recovery-point-kv";
import { SBIN } from "./scripts";
import { type OffsiteStore, PUSHED_SECRETS_DIR } from "./site-facts";

export const MYSQL_RESTORE_TOOL = `${SBIN}/multicloud-mysql-restore`;
export const MYSQL_RESTORE_UNIT = "multicloud-mysql-restore";
/**
 * Written once the dump is loaded: holds the recovery point; its presence means "never again".
 * Beside it, `<marker>.reported` holds the same once Consul KV has taken the point.
 */
export const MYSQL_RESTORE_MARKER = "/srv/mysql-data/multicloud-restored";
export const MYSQL_RESTORE_STAGING = "/srv/mysql-data/restore-staging";
/** MySQL 8.0's statements around the load (the tests swap in MariaDB's, which has no super_read_only). */
export const SUPER_READ_ONLY_OFF = "SET GLOBAL super_read_only = OFF;";
export const SUPER_READ_ONLY_ON = "SET GLOBAL super_read_only = ON;";

/** Instance tag (EC2) and metadata key (GCE) that name the lost region's dump bucket to the host. */
export const RESTORE_BUCKET_KEY = "multicloud-restore-bucket";

/**
 * Where the dumps lie, as a MySQL host of the rebuild reads them: the store and how the host signs
 * (its own identity on AWS and GCP, a pushed read-only key on Sakura), and the lost primary's
 * prefix. The bucket's name is not in the text: the site names it to the host (an instance tag,
 * instance metadata, a pushed file), since it is read from the lost stack when the program runs.
 */
export interface MysqlRestoreSource {
  readonly store: OffsiteStore;
  /** `mysql/<lost primary>/`. */
  readonly prefix: string;
}

/** The restore a rebuild's MySQL hosts make (dr.restore.mysqlDumps); none outside a rebuild. */
export function mysqlRestoreSource(spec: RegionSpec): MysqlRestoreSource | undefined {
  const dumps = spec.dr.replaces === undefined ? undefined : spec.dr.restore?.mysqlDumps;
  if (!dumps) return undefined;
  const prefix = `mysql/${dumps.primary}/`;
  switch (spec.cloud) {
    case "aws":
      return { store: { kind: "s3-instance-role", region: dumps.location }, prefix };
    case "gcp":
      return { store: { kind: "gcs-service-account" }, prefix };
    case "sakura":
      return {
        store: {
          kind: "s3-pushed-key",
          region: dumps.location,
          directory: PUSHED_SECRETS_DIR,
          names: {
            bucket: secretName(spec, "restore-bucket"),
            accessKeyId: secretName(spec, "restore-access-key-id"),
            secretAccessKey: secretName(spec, "restore-secret-access-key"),
          },
        },
        prefix,
      };
  }
}

/** S3 requests, signed with the curl config that `curlConfig` prints (keys stay off command lines). */
function s3Lines(region: string, credentials: string[], curlConfig: string): string[] {
  return [
    `readonly REGION=${shellQuote(region)}`,
    ...credentials,
    "s3() {",
    curlConfig,
    "    curl -fsS --max-time 3600 --retry 5 -K - \\",
    '      --aws-sigv4 "aws:amz:$REGION:s3" -H "x-amz-content-sha256: $(printf "" | sha256sum | cut -d " " -f 1)" "$@"',
    "}",
    "list_dumps() {",
    "  local query",
    '  query="delimiter=%2F&list-type=2&prefix=$(jq -rn --arg p "$PREFIX" \'$p | @uri\')"',
    `  s3 "${S3_ENDPOINT}/?$query" |`,
    "    grep -o '<Prefix>[^<]*</Prefix>' | sed -e 's|<Prefix>||' -e 's|</Prefix>||' |",
    '    sed -n "s|^$PREFIX\\([0-9]\\{8\\}T[0-9]\\{6\\}Z\\)/\\$|\\1|p"',
    "}",
    `get() { s3 -o "$2" "${S3_ENDPOINT}/$1"; }`,
  ];
}

/**
 * Shell lines that set `$bucket` and define `list_dumps` (prints the dump folders' names) and
 * `get KEY FILE` (fails when the object is missing).
 */
function readerLines(store: OffsiteStore): string[] {
  switch (store.kind) {
    case "s3-instance-role":
      return [
        "# S3, signed with the instance role's credentials (list and read under mysql/ only).",
        ...s3Lines(
          store.region,
          [...awsInstanceCredentialLines(), `bucket="$(imds tags/instance/${RESTORE_BUCKET_KEY})"`],
          AWS_CURL_CONFIG,
        ),
      ];
    case "s3-pushed-key":
      return [
        "# S3 in AWS, signed with the read-only key that the SSH push left on MySQL hosts.",
        ...s3Lines(
          store.region,
          [
            `readonly PUSHED=${shellQuote(store.directory)}`,
            "pushed() { tr -d '\\n' <\"$PUSHED/$1\"; }",
            `bucket="$(pushed ${shellQuote(store.names.bucket)})"`,
          ],
          `  printf 'user = "%s:%s"\\n' "$(pushed ${shellQuote(store.names.accessKeyId)})" "$(pushed ${shellQuote(store.names.secretAccessKey)})" |`,
        ),
      ];
    case "gcs-service-account":
      return [
        "# Cloud Storage, with the VM service account's token (objectViewer on the lost bucket).",
        ...gceTokenLines(),
        `bucket="$(gce_metadata instance/attributes/${RESTORE_BUCKET_KEY})"`,
        "gcs() {",
        '  printf \'header = "Authorization: Bearer %s"\\n\' "$access_token" |',
        '    curl -fsS --max-time 3600 --retry 5 -K - "$@"',
        "}",
        "list_dumps() {",
        '  gcs -G --data-urlencode "prefix=$PREFIX" --data-urlencode "delimiter=/" \\',
        `    "${GCS_DOWNLOAD_ENDPOINT}/b/$bucket/o" | jq -r '.prefixes // [] | .[]' |`,
        '    sed -n "s|^$PREFIX\\([0-9]\\{8\\}T[0-9]\\{6\\}Z\\)/\\$|\\1|p"',
        "}",
        "get() {",
        '  gcs -o "$2" "' +
          GCS_DOWNLOAD_ENDPOINT +
          '/b/$bucket/o/$(jq -rn --arg key "$1" \'$key | @uri\')?alt=media"',
        "}",
      ];
  }
}

/** `multicloud-mysql-restore`: loads the newest complete off-site dump once, reports its time. */
export function renderMysqlRestoreTool(source: MysqlRestoreSource): string {
  if (!/^mysql\/[a-z0-9-]+\/$/.test(source.prefix))
    throw new Error(`the dump prefix ${source.prefix} is not mysql/<host>/`);
  // Kept short: it rides in EC2 user data, whose budget the MySQL role nearly fills.
  return lines(
    "#!/usr/bin/env bash",
    `# Loads the newest complete dump (SHA256SUMS written last) under ${source.prefix} once; reports its time.`,
    "set -euo pipefail",
    "umask 077",
    `M=${MYSQL_RESTORE_MARKER}`,
    `W=${MYSQL_RESTORE_STAGING}`,
    `readonly PREFIX=${shellQuote(source.prefix)}`,
    'say() { echo "multicloud-mysql-restore: $*"; }',
    'die() { say "$*" >&2; exit 1; }',
    "sql() { mysql --protocol=socket -u root; }",
    "report() {",
    '  say "recovery point $1 (dump $PREFIX$2)"',
    ...recoveryPointPutLines("$1", "dump", "$PREFIX$2"),
    "}",
    // Loaded and recorded: nothing to do, whatever Consul's state (a later boot must not wait for it).
    'if [[ -s $M ]]; then read -r p s <"$M"',
    '  if [[ "$(cat "$M.reported" 2>/dev/null)" == "$p $s" ]]; then say "restored already; nothing loaded"; exit 0; fi',
    '  say "loaded already; recording the recovery point"; report "$p" "$s"; echo "$p $s" >"$M.reported"; exit 0',
    "fi",
    ...readerLines(source.store),
    '[[ -n $bucket ]] || die "this host is not told which bucket holds the dumps"',
    'install -d -m 0700 "$W"',
    "trap 'rm -rf \"$W\"' EXIT",
    "c=''",
    "for s in $(list_dumps | sort -r); do",
    '  if get "$PREFIX$s/SHA256SUMS" "$W/SHA256SUMS"; then c=$s; break; fi',
    '  say "dump $s has no readable SHA256SUMS; trying an older one"',
    "done",
    '[[ -n $c ]] || die "no complete dump under $bucket/$PREFIX"',
    "while read -r _ n; do",
    '  [[ $n =~ ^dump\\.sql\\.gz\\.[0-9]{4}$ ]] || die "SHA256SUMS of $c names $n"',
    '  get "$PREFIX$c/$n" "$W/$n" || die "$PREFIX$c/$n cannot be read"',
    'done <"$W/SHA256SUMS"',
    '(cd "$W" && sha256sum --quiet -c SHA256SUMS)',
    "# super_read_only holds root back too: lifted for the load alone; read_only stays on.",
    `trap 'echo "${SUPER_READ_ONLY_ON}" | sql; rm -rf "$W"' EXIT`,
    `echo "${SUPER_READ_ONLY_OFF}" | sql`,
    'cat "$W"/dump.sql.gz.* | gunzip -c | sql',
    'p="$(sed -E \'s/^(....)(..)(..)T(..)(..)(..)Z$/\\1-\\2-\\3T\\4:\\5:\\6Z/\' <<<"$c")"',
    'echo "$p $c" >"$M.new"',
    'mv "$M.new" "$M"',
    'report "$p" "$c"',
    'echo "$p $c" >"$M.reported"',
  );
}

/**
 * Runs once MySQL is up and before the replication unit opens the primary to writes. The tool is
 * retried inside the one start job (not by Restart=), so the replication unit's start waits for
 * the load however long it takes and never runs on an empty server after a failed attempt.
 */
export function renderMysqlRestoreUnit(): string {
  return lines(
    "[Unit]",
    "Description=Load the lost region's MySQL dump",
    "After=mysql.service",
    "Requires=mysql.service",
    `Before=${MYSQL_REPLICATION_UNIT}.service`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/bin/sh -c 'until ${MYSQL_RESTORE_TOOL}; do sleep 30; done'`,
    "TimeoutStartSec=infinity",
    "",
    "[Install]",
    `RequiredBy=${MYSQL_REPLICATION_UNIT}.service`,
  );
}
