// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// Backups that leave the region: the tool that ships a file to the region's off-site object store
// (an S3 bucket in another AWS region, or a Cloud Storage bucket in another GCP region), and the
// nightly MySQL dump that uses it. Consul snapshots use it too (consul-boot.ts). Hosts on AWS and
// GCP sign with their instance identity; Sakura hosts with the write-only key the SSH push left.
// The tools may add objects only: they never read, list, overwrite or delete. Pure.
import type { Role } from "../spec/hosts";
import { CONSUL_API, CONSUL_CA_FILE, CONSUL_NODE_PATH, MYSQL_ROLE_CHECK } from "./consul";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { lines, shellQuote } from "./model";
import { SBIN } from "./scripts";
import type { OffsiteStore } from "./site-facts";

export const OFFSITE_UPLOAD_TOOL = `${SBIN}/multicloud-offsite-upload`;
export const MYSQL_DUMP_TOOL = `${SBIN}/multicloud-mysql-dump`;
/** Instance tag (EC2) and metadata key (GCE) that name the off-site bucket to the host. */
export const BACKUP_BUCKET_KEY = "multicloud-backup-bucket";
/** Object key prefixes, one per role that ships backups: its hosts may write under it only. */
export const OFFSITE_PREFIXES: Readonly<Partial<Record<Role, string>>> = {
  util: "consul",
  mysql: "mysql",
};
/** Where a dump is cut into parts on its way out (the MySQL data disk has the room). */
export const MYSQL_DUMP_STAGING = "/srv/mysql-data/dump-staging";
/** Dumps leave in parts of this size, so that no single upload nears an object store's limit. */
export const MYSQL_DUMP_PART_SIZE = "1G";

export const S3_ENDPOINT = "https://$bucket.s3.$REGION.amazonaws.com";
export const GCS_UPLOAD_ENDPOINT = "https://storage.googleapis.com/upload/storage/v1";

/** The prefix a role's hosts write under; fails for roles that ship nothing. */
export function offsitePrefix(role: Role): string {
  const prefix = OFFSITE_PREFIXES[role];
  if (!prefix) throw new Error(`the ${role} role ships no backups off site`);
  return prefix;
}

/** Shell lines that set `$bucket` and define `put FILE KEY` for one kind of store. */
function storeLines(store: OffsiteStore): string[] {
  switch (store.kind) {
    case "s3-instance-role":
      return [
        "# S3, signed with the instance role's credentials; the bucket's name is an instance tag.",
        `readonly REGION=${shellQuote(store.region)}`,
        ...awsInstanceCredentialLines(),
        `bucket="$(imds tags/instance/${BACKUP_BUCKET_KEY})"`,
        "put() {",
        "  local sha",
        '  sha="$(sha256sum "$1" | cut -d " " -f 1)"',
        AWS_CURL_CONFIG,
        "    curl -fsS --max-time 3600 --retry 5 -K - \\",
        '      --aws-sigv4 "aws:amz:$REGION:s3" -H "x-amz-content-sha256: $sha" \\',
        `      -T "$1" "${S3_ENDPOINT}/$2" >/dev/null`,
        "}",
      ];
    case "s3-pushed-key":
      return [
        "# S3 in another cloud, signed with the write-only key that the SSH push left on the host.",
        `readonly REGION=${shellQuote(store.region)}`,
        `readonly PUSHED=${shellQuote(store.directory)}`,
        "pushed() {",
        '  if [[ ! -s "$PUSHED/$1" ]]; then',
        '    echo "multicloud-offsite-upload: $PUSHED/$1 is missing (the SSH push writes it)" >&2',
        "    exit 1",
        "  fi",
        "  tr -d '\\n' <\"$PUSHED/$1\"",
        "}",
        `bucket="$(pushed ${shellQuote(store.names.bucket)})"`,
        "put() {",
        "  local sha",
        '  sha="$(sha256sum "$1" | cut -d " " -f 1)"',
        "  # The key goes to curl on stdin (-K -), never on a command line other users can read.",
        `  printf 'user = "%s:%s"\\n' "$(pushed ${shellQuote(store.names.accessKeyId)})" \\`,
        `    "$(pushed ${shellQuote(store.names.secretAccessKey)})" |`,
        "    curl -fsS --max-time 3600 --retry 5 -K - \\",
        '      --aws-sigv4 "aws:amz:$REGION:s3" -H "x-amz-content-sha256: $sha" \\',
        `      -T "$1" "${S3_ENDPOINT}/$2" >/dev/null`,
        "}",
      ];
    case "gcs-service-account":
      return [
        "# Cloud Storage, with the VM service account's token; the bucket's name is instance metadata.",
        ...gceTokenLines(),
        `bucket="$(gce_metadata instance/attributes/${BACKUP_BUCKET_KEY})"`,
        "put() {",
        "  local name",
        '  name="$(jq -rn --arg key "$2" \'$key | @uri\')"',
        "  # ifGenerationMatch=0: an object that exists already is never replaced.",
        '  printf \'header = "Authorization: Bearer %s"\\n\' "$access_token" |',
        "    curl -fsS --max-time 3600 --retry 5 -K - -X POST \\",
        "      -H 'Content-Type: application/octet-stream' -T \"$1\" \\",
        `      "${GCS_UPLOAD_ENDPOINT}/b/$bucket/o?uploadType=media&ifGenerationMatch=0&name=$name" >/dev/null`,
        "}",
      ];
  }
}

/** `multicloud-offsite-upload FILE NAME`: ships FILE as `<role prefix>/<host>/NAME`. */
export function renderOffsiteUploadTool(store: OffsiteStore, role: Role): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-offsite-upload FILE NAME: copies FILE to the region's off-site backup store as",
    `# ${offsitePrefix(role)}/<this host>/NAME. Adds objects only; the store keeps each for the`,
    "# region's backup retention.",
    "set -euo pipefail",
    'if [[ $# -ne 2 || ! -f "$1" ]]; then',
    '  echo "usage: multicloud-offsite-upload FILE NAME" >&2',
    "  exit 2",
    "fi",
    `readonly PREFIX=${shellQuote(offsitePrefix(role))}`,
    'if [[ ! "$2" =~ ^[A-Za-z0-9._/-]+$ ]]; then',
    '  echo "multicloud-offsite-upload: $2 is not a plain object name" >&2',
    "  exit 2",
    "fi",
    'key="$PREFIX/$(hostname -s)/$2"',
    "",
    ...storeLines(store),
    "",
    'if [[ -z "$bucket" ]]; then',
    '  echo "multicloud-offsite-upload: this host is not told which bucket to use" >&2',
    "  exit 1",
    "fi",
    'put "$1" "$key"',
    'echo "multicloud-offsite-upload: shipped $key"',
  );
}

/**
 * Dumps every database as one consistent InnoDB snapshot (routines, events, triggers and the GTID
 * set included), compressed, in parts that leave one by one, then a SHA256SUMS that marks the
 * dump complete. Staging never holds more than one part.
 */
export function renderMysqlDumpTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-mysql-dump: ships a full dump of this MySQL host to the off-site store as",
    "# mysql/<host>/<UTC time>/dump.sql.gz.NNNN parts and a SHA256SUMS written last.",
    "# Restore: fetch a dump's objects, `sha256sum -c SHA256SUMS`, then",
    "#   cat dump.sql.gz.* | gunzip | mysql",
    "set -euo pipefail",
    "umask 077",
    `readonly STAGING=${MYSQL_DUMP_STAGING}`,
    `readonly UPLOAD=${OFFSITE_UPLOAD_TOOL}`,
    "",
    'if [[ "${1:-}" == --part ]]; then',
    "  # Run by split for each part: the part arrives on stdin, named by $FILE.",
    '  part="$DUMP_DIR/$(basename "$FILE")"',
    '  cat >"$part"',
    '  "$UPLOAD" "$part" "$DUMP_STAMP/$(basename "$part")"',
    '  (cd "$DUMP_DIR" && sha256sum "$(basename "$part")" >>SHA256SUMS)',
    '  rm -f "$part"',
    "  exit 0",
    "fi",
    "",
    "# Taken from a replica: the first passing mysql-replica by node name dumps; the primary only",
    "# when no replica passes. The others leave it to that host.",
    `replicas="$(curl -fsS --max-time 5 --cacert ${CONSUL_CA_FILE} '${CONSUL_API}/v1/health/service/mysql-replica?passing=1' |`,
    "  jq -r '.[].Node.Node' | sort)\"",
    `self="$(jq -r .node_name ${CONSUL_NODE_PATH})"`,
    'if [[ -n "$replicas" ]]; then',
    '  if [[ "$(head -n 1 <<<"$replicas")" != "$self" ]]; then',
    '    echo "multicloud-mysql-dump: $(head -n 1 <<<"$replicas") dumps tonight"',
    "    exit 0",
    "  fi",
    `elif ! ${MYSQL_ROLE_CHECK} primary >/dev/null; then`,
    '  echo "multicloud-mysql-dump: no replica passes and this host is not the primary" >&2',
    "  exit 1",
    "fi",
    "",
    'DUMP_STAMP="$(date -u +%Y%m%dT%H%M%SZ)"',
    'DUMP_DIR="$STAGING/$DUMP_STAMP"',
    "export DUMP_STAMP DUMP_DIR",
    'install -d -m 0700 "$STAGING"',
    "# Leftovers of a dump that was cut short.",
    'find "$STAGING" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} +',
    'install -d -m 0700 "$DUMP_DIR"',
    "trap 'rm -rf \"$DUMP_DIR\"' EXIT",
    ': >"$DUMP_DIR/SHA256SUMS"',
    "mysqldump --protocol=socket -u root --single-transaction --quick --hex-blob \\",
    "  --routines --events --triggers --set-gtid-purged=AUTO --all-databases |",
    "  gzip -c |",
    `  split -b ${MYSQL_DUMP_PART_SIZE} -d -a 4 --filter="$0 --part" - dump.sql.gz.`,
    '"$UPLOAD" "$DUMP_DIR/SHA256SUMS" "$DUMP_STAMP/SHA256SUMS"',
    'echo "multicloud-mysql-dump: shipped dump $DUMP_STAMP ($(wc -l <"$DUMP_DIR/SHA256SUMS") part(s))"',
  );
}

export function renderMysqlDumpUnits(): { service: string; timer: string } {
  return {
    service: lines(
      "[Unit]",
      "Description=Ship a MySQL dump to the off-site backup store",
      "After=mysql.service",
      "Requires=mysql.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${MYSQL_DUMP_TOOL}`,
      "Nice=10",
      "IOSchedulingClass=idle",
    ),
    timer: lines(
      "[Unit]",
      "Description=Nightly MySQL dump to the off-site backup store",
      "",
      "[Timer]",
      "OnCalendar=*-*-* 03:00:00 UTC",
      "RandomizedDelaySec=30m",
      "Persistent=true",
      "",
      "[Install]",
      "WantedBy=timers.target",
    ),
  };
}
