// The recovery point of a MySQL host whose data disk was created from a snapshot (a GCP rebuild,
// dr.restore.mysqlDisks): the program learns the snapshot's creation time when it looks the
// snapshot up and tells the host through one instance metadata key; at first boot the host writes
// it once to the journal, to the marker the dump restore writes (MYSQL_RESTORE_MARKER) and to
// Consul KV, in the same form as the dump restore. Pure.

import type { RegionSpec } from "../spec/schema";
import { MYSQL_DATA_MOUNT } from "./daemons";
import { GCE_METADATA } from "./instance-identity";
import { lines } from "./model";
import { MYSQL_RESTORE_MARKER } from "./mysql-restore";
import { recoveryPointPutLines } from "./recovery-point-kv";
import { SBIN } from "./scripts";

export const MYSQL_SNAPSHOT_POINT_TOOL = `${SBIN}/multicloud-mysql-snapshot-point`;
export const MYSQL_SNAPSHOT_POINT_UNIT = "multicloud-mysql-snapshot-point";
/** GCE metadata key, only on a host whose data disk comes from a snapshot: "<UTC time> <snapshot>". */
export const SNAPSHOT_POINT_KEY = "multicloud-recovery-point";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** GCE resource names (compute.v1 Snapshot.name). */
const SNAPSHOT_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The metadata value for a disk created from `snapshot`: its creation time (Compute's
 * creationTimestamp, RFC 3339 text with any offset) in UTC to the second, the form the dump
 * restore records, then the snapshot's name.
 */
export function snapshotRecoveryPoint(creationTimestamp: string, snapshot: string): string {
  if (!SNAPSHOT_NAME.test(snapshot)) throw new Error(`${snapshot} is not a GCE snapshot name`);
  const time = RFC3339.test(creationTimestamp) ? Date.parse(creationTimestamp) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new Error(
      `snapshot ${snapshot}: creationTimestamp ${JSON.stringify(creationTimestamp)} is not RFC 3339 text`,
    );
  }
  return `${new Date(time).toISOString().slice(0, 19)}Z ${snapshot}`;
}

/** Whether the region's MySQL hosts may come from snapshots the program looks up (GCP rebuilds). */
export function recordsSnapshotPoint(spec: RegionSpec): boolean {
  return spec.cloud === "gcp" && Object.keys(spec.dr.restore?.mysqlDisks ?? {}).length > 0;
}

/**
 * `multicloud-mysql-snapshot-point`: reads the metadata key; without it (a disk not made from a
 * snapshot) it does nothing. Otherwise, unless the marker already names this very restore, it
 * reports to Consul KV, then writes the marker, then says it once. The marker is compared, not
 * merely found: a snapshot carries the marker of any earlier restore of the disk it was taken of.
 */
export function renderMysqlSnapshotPointTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Records, once, the time of the snapshot this host's MySQL data disk was created from.",
    "set -euo pipefail",
    `M=${MYSQL_RESTORE_MARKER}`,
    'say() { echo "multicloud-mysql-snapshot-point: $*"; }',
    'die() { say "$*" >&2; exit 1; }',
    "report() {",
    ...recoveryPointPutLines("$1", "snapshot", "$2"),
    "}",
    "attributes=\"$(curl -fsS --max-time 5 --retry 5 -H 'Metadata-Flavor: Google' \\",
    `  '${GCE_METADATA}/instance/attributes/?recursive=true')"`,
    `r="$(jq -r '.["${SNAPSHOT_POINT_KEY}"] // empty' <<<"$attributes")"`,
    'if [[ -z $r ]]; then say "the data disk was not created from a snapshot; nothing to record"; exit 0; fi',
    "if [[ ! $r =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\\ ([a-z][-a-z0-9]*)$ ]]; then",
    `  die "metadata ${SNAPSHOT_POINT_KEY} is not '<UTC time> <snapshot>': $r"`,
    "fi",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own expansion, on the host
    'p="${BASH_REMATCH[1]}" s="${BASH_REMATCH[2]}"',
    'if [[ -s $M && "$(<"$M")" == "$p $s" ]]; then exit 0; fi',
    'report "$p" "$s" || die "Consul did not take the recovery point; trying again"',
    'echo "$p $s" >"$M.new"',
    'mv "$M.new" "$M"',
    'say "recovery point $p (snapshot $s)"',
  );
}

/**
 * Started at first boot once the data disk is mounted, without holding up the rest of the boot;
 * retried inside its one start job until Consul takes the point (its servers and ACLs may come up
 * after this host). Later boots find the marker and do nothing.
 */
export function renderMysqlSnapshotPointUnit(): string {
  return lines(
    "[Unit]",
    "Description=Record the recovery point of the snapshot the MySQL data disk came from",
    "Wants=network-online.target",
    "After=network-online.target consul.service",
    `RequiresMountsFor=${MYSQL_DATA_MOUNT}`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/bin/sh -c 'until ${MYSQL_SNAPSHOT_POINT_TOOL}; do sleep 30; done'`,
    "TimeoutStartSec=infinity",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}
