// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The first-boot restore of a rebuilt MySQL primary (dr.restore.mysqlDumps): it loads the newest
// complete dump that the lost primary's nightly multicloud-mysql-dump shipped off site (a folder
// mysql/<lost primary>/<UTC time>/ holding dump.sql.gz.NNNN parts and, written last, SHA256SUMS),
// before the replication unit makes the host writable, then reports the dump's time as the
// recovery point. A marker on the data disk makes every later boot a no-op. Pure.

import { GCS_DOWNLOAD_ENDPOINT } from "./chocon";
import { CONSUL_API, CONSUL_CA_FILE, CONSUL_PRIVATE_DIR, MYSQL_RECOVERY_POINT_KEY } from "./consul";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { lines, shellQuote } from "./model";
import { MYSQL_REPLICATION_UNIT } from "./mysql-replication";
import { S3_ENDPOINT } from "./offsite";
import { SBIN } from "./scripts";

export const MYSQL_RESTORE_TOOL = `${SBIN}/multicloud-mysql-restore`;
export const MYSQL_RESTORE_UNIT = "multicloud-mysql-restore";
/** Written once the dump is loaded: holds the recovery point; its presence means "never again". */
export const MYSQL_RESTORE_MARKER = "/srv/mysql-data/multicloud-restored";
export const MYSQL_RESTORE_STAGING = "/srv/mysql-data/restore-staging";

/** Where the dumps lie, as the host reads them (the role layer fills the bucket's name). */
export interface MysqlRestoreSource {
  readonly store: "s3" | "gcs";
  /** The bucket's AWS region (s3); unused for gcs. */
  readonly location: string;
  readonly bucket: string;
  /** `mysql/<lost primary>/`. */
  readonly prefix: string;
}

/**
 * Shell lines defining `list_dumps` (prints the dump folders' names) and `get KEY FILE` (fails
 * when the object is missing), signed with the instance's own identity.
 */
function readerLines(source: MysqlRestoreSource): string[] {
  switch (source.store) {
    case "s3":
      return [
        "# S3, signed with the instance role's credentials (s3:ListBucket and s3:GetObject on the prefix).",
        `readonly REGION=${shellQuote(source.location)}`,
        ...awsInstanceCredentialLines(),
        "s3() {",
        AWS_CURL_CONFIG,
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
    case "gcs":
      return [
        "# Cloud Storage, with the VM service account's token (storage.objects.list and .get).",
        ...gceTokenLines(),
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
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-mysql-restore: first boot of a rebuilt MySQL primary. Loads the newest dump under",
    `# ${source.prefix} whose SHA256SUMS (written last by multicloud-mysql-dump) is there, checks`,
    "# every part against it, then records the dump's time as the recovery point: in the journal,",
    `# in ${MYSQL_RESTORE_MARKER} (so that no later boot restores again) and in Consul KV.`,
    "set -euo pipefail",
    "umask 077",
    `readonly MARKER=${MYSQL_RESTORE_MARKER}`,
    `readonly WORK=${MYSQL_RESTORE_STAGING}`,
    `readonly PREFIX=${shellQuote(source.prefix)}`,
    `bucket=${shellQuote(source.bucket)}`,
    "",
    "report() {",
    '  echo "multicloud-mysql-restore: recovery point $1 (dump $2 of $bucket/$PREFIX)"',
    "  local body",
    '  body="{\\"host\\":\\"$(hostname -s)\\",\\"recoveryPoint\\":\\"$1\\",\\"dump\\":\\"$PREFIX$2\\"}"',
    "  # Consul may still be joining at first boot: the unit retries until this succeeds.",
    `  curl -fsS --max-time 10 --cacert ${CONSUL_CA_FILE} -X PUT --data "$body" \\`,
    `    -H "X-Consul-Token: $(cat ${CONSUL_PRIVATE_DIR}/consul-role.token)" \\`,
    `    '${CONSUL_API}/v1/kv/${MYSQL_RECOVERY_POINT_KEY}' >/dev/null`,
    "}",
    "",
    'if [[ -s "$MARKER" ]]; then',
    '  read -r point stamp <"$MARKER"',
    '  echo "multicloud-mysql-restore: restored already; nothing loaded"',
    '  report "$point" "$stamp"',
    "  exit 0",
    "fi",
    "",
    ...readerLines(source),
    "",
    'install -d -m 0700 "$WORK"',
    "trap 'rm -rf \"$WORK\"' EXIT",
    "chosen=''",
    "for stamp in $(list_dumps | sort -r); do",
    '  if get "$PREFIX$stamp/SHA256SUMS" "$WORK/SHA256SUMS"; then chosen="$stamp"; break; fi',
    '  echo "multicloud-mysql-restore: dump $stamp has no readable SHA256SUMS (cut short, or see the error above); trying an older one"',
    "done",
    'if [[ -z "$chosen" ]]; then',
    '  echo "multicloud-mysql-restore: no complete dump under $bucket/$PREFIX" >&2',
    "  exit 1",
    "fi",
    "while read -r _ name; do",
    '  if [[ ! "$name" =~ ^dump\\.sql\\.gz\\.[0-9]{4}$ ]]; then',
    '    echo "multicloud-mysql-restore: SHA256SUMS of $chosen names $name" >&2',
    "    exit 1",
    "  fi",
    '  get "$PREFIX$chosen/$name" "$WORK/$name" || {',
    '    echo "multicloud-mysql-restore: $PREFIX$chosen/$name cannot be read" >&2',
    "    exit 1",
    "  }",
    'done <"$WORK/SHA256SUMS"',
    '(cd "$WORK" && sha256sum --quiet -c SHA256SUMS)',
    'cat "$WORK"/dump.sql.gz.* | gunzip -c | mysql --protocol=socket -u root',
    'point="$(sed -E \'s/^(....)(..)(..)T(..)(..)(..)Z$/\\1-\\2-\\3T\\4:\\5:\\6Z/\' <<<"$chosen")"',
    'printf \'%s %s\\n\' "$point" "$chosen" >"$MARKER.new"',
    'mv "$MARKER.new" "$MARKER"',
    'report "$point" "$chosen"',
  );
}

/** Runs once MySQL is up and before the replication unit opens the primary to writes. */
export function renderMysqlRestoreUnit(): string {
  return lines(
    "[Unit]",
    "Description=Load the lost primary's newest off-site MySQL dump (first boot of a rebuild)",
    "After=mysql.service network-online.target",
    "Wants=network-online.target",
    "Requires=mysql.service",
    `Before=${MYSQL_REPLICATION_UNIT}.service`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${MYSQL_RESTORE_TOOL}`,
    "Restart=on-failure",
    "RestartSec=30s",
    "",
    "[Install]",
    `RequiredBy=${MYSQL_REPLICATION_UNIT}.service`,
  );
}
