// The recovery point of a MySQL host whose data disk was created from a snapshot (a rebuild's
// dr.restore.mysqlDisks, a GCE snapshot or an EBS one): the program learns the snapshot's time when
// it looks the snapshot up and tells the host through one key, GCE instance metadata or an EC2
// instance tag read through the instance metadata service; at first boot the host writes it once
// to the journal, to the marker the dump restore writes (MYSQL_RESTORE_MARKER) and to Consul KV, in
// the same form as the dump restore. Pure.

import type { AwsRegionSpec, GcpRegionSpec, RegionSpec } from "../spec/schema";
import { MYSQL_DATA_MOUNT } from "./daemons";
import { awsImdsLines, GCE_METADATA } from "./instance-identity";
import { lines } from "./model";
import { MYSQL_RESTORE_MARKER } from "./mysql-restore";
import { recoveryPointPutLines } from "./recovery-point-kv";
import { SBIN } from "./scripts";

export const MYSQL_SNAPSHOT_POINT_TOOL = `${SBIN}/multicloud-mysql-snapshot-point`;
export const MYSQL_SNAPSHOT_POINT_UNIT = "multicloud-mysql-snapshot-point";
/**
 * GCE metadata key and EC2 instance tag, only on a host whose data disk comes from a snapshot:
 * "<UTC time> <snapshot>". As a tag key readable through the instance metadata service it may hold
 * letters, digits and + - = . , _ : @ only.
 */
export const SNAPSHOT_POINT_KEY = "multicloud-recovery-point";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** GCE resource names (compute.v1 Snapshot.name). */
const SNAPSHOT_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** EBS snapshot ids, as the spec takes them (components/spec/rules.ts). */
const EBS_SNAPSHOT_ID = /^snap-[0-9a-f]{8,17}$/;

/** `<time in UTC to the second>Z <snapshot>`, from RFC 3339 text with any offset. */
function recoveryPoint(field: string, value: string, snapshot: string): string {
  const time = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new Error(`snapshot ${snapshot}: ${field} ${JSON.stringify(value)} is not RFC 3339 text`);
  }
  return `${new Date(time).toISOString().slice(0, 19)}Z ${snapshot}`;
}

/**
 * The metadata value for a disk created from `snapshot`: its creation time (Compute's
 * creationTimestamp, RFC 3339 text with any offset) in UTC to the second, the form the dump
 * restore records, then the snapshot's name.
 */
export function snapshotRecoveryPoint(creationTimestamp: string, snapshot: string): string {
  if (!SNAPSHOT_NAME.test(snapshot)) throw new Error(`${snapshot} is not a GCE snapshot name`);
  return recoveryPoint("creationTimestamp", creationTimestamp, snapshot);
}

/**
 * The tag value for a volume created from EBS snapshot `snapshotId`: its start time (EC2's
 * Snapshot.StartTime, which the provider gives as RFC 3339 text) in UTC to the second, then its id.
 */
export function ebsSnapshotRecoveryPoint(startTime: string, snapshotId: string): string {
  if (!EBS_SNAPSHOT_ID.test(snapshotId)) {
    throw new Error(`${snapshotId} is not an EBS snapshot id`);
  }
  return recoveryPoint("startTime", startTime, snapshotId);
}

/** Whether the region's MySQL hosts may come from snapshots the program looks up (a rebuild's). */
export function recordsSnapshotPoint(spec: RegionSpec): spec is AwsRegionSpec | GcpRegionSpec {
  return (
    (spec.cloud === "gcp" || spec.cloud === "aws") &&
    Object.keys(spec.dr.restore?.mysqlDisks ?? {}).length > 0
  );
}

/**
 * Shell lines that set `$r` to the key's value, empty when the host has none: GCE metadata, or an
 * EC2 instance tag through IMDSv2 (its listing first: a tag that is not there is a 404, which
 * curl -f cannot tell from a failure).
 */
function readPointLines(cloud: "aws" | "gcp"): string[] {
  switch (cloud) {
    case "gcp":
      return [
        "attributes=\"$(curl -fsS --max-time 5 --retry 5 -H 'Metadata-Flavor: Google' \\",
        `  '${GCE_METADATA}/instance/attributes/?recursive=true')"`,
        `r="$(jq -r '.["${SNAPSHOT_POINT_KEY}"] // empty' <<<"$attributes")"`,
      ];
    case "aws":
      return [
        ...awsImdsLines("tags/instance"),
        'keys="$(imds "")"',
        "r=",
        `if grep -qxF ${SNAPSHOT_POINT_KEY} <<<"$keys"; then r="$(imds /${SNAPSHOT_POINT_KEY})"; fi`,
      ];
  }
}

/**
 * `multicloud-mysql-snapshot-point`: reads the key (GCE metadata or EC2 instance tag, chosen by the
 * cloud it is rendered for); without it (a disk not made from a snapshot) it does nothing.
 * Otherwise, unless the marker already names this very restore, it reports to Consul KV, then
 * writes the marker, then says it once. The marker is compared, not
 * merely found: a snapshot carries the marker of any earlier restore of the disk it was taken of.
 */
export function renderMysqlSnapshotPointTool(cloud: "aws" | "gcp"): string {
  const where = cloud === "gcp" ? "metadata" : "instance tag";
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
    ...readPointLines(cloud),
    'if [[ -z $r ]]; then say "the data disk was not created from a snapshot; nothing to record"; exit 0; fi',
    "if [[ ! $r =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\\ ([a-z][-a-z0-9]*)$ ]]; then",
    `  die "${where} ${SNAPSHOT_POINT_KEY} is not '<UTC time> <snapshot>': $r"`,
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
