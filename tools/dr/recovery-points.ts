// The recovery point of each data store of a rebuild: how much of the lost region's data can be
// missing once it is restored, from where each store's copy comes and how often it is made. The
// schedules are the host layer's and the sites' own (test/dr checks the rendered ones). Pure.
import type { RegionSpec } from "../../components/spec/schema";

/** Consul snapshots: hourly on each util host, at a random minute (components/host/consul-boot.ts). */
export const CONSUL_SNAPSHOT = { onCalendar: "hourly", randomizedDelay: "10m" } as const;
/** MySQL dumps: nightly at 03:00 UTC plus up to 30 minutes (components/host/offsite.ts). */
export const MYSQL_DUMP = { onCalendar: "*-*-* 03:00:00 UTC", randomizedDelay: "30m" } as const;
/** GCE data-disk snapshots: daily from 04:00 UTC (components/gcp/fixed-hosts.ts). */
export const DISK_SNAPSHOT = { daysInCycle: 1, startTime: "04:00" } as const;

export interface RecoveryPoint {
  readonly store: string;
  readonly from: string;
  readonly recoveryPoint: string;
}

export function recoveryPoints(rebuild: RegionSpec, lost: RegionSpec): RecoveryPoint[] {
  const points: RecoveryPoint[] = [];
  const restore = rebuild.dr.restore;
  for (const [db, entry] of Object.entries(restore?.rds ?? {})) {
    const pointInTime = entry.pointInTime;
    points.push({
      store: `RDS ${db}`,
      from: entry.snapshotIdentifier
        ? `snapshot ${entry.snapshotIdentifier}`
        : `${lost.name}'s automated backups replicated to ${lost.dr.backupLocation}`,
      recoveryPoint: entry.snapshotIdentifier
        ? "the snapshot's time"
        : pointInTime?.restoreTime
          ? `${pointInTime.restoreTime} (as asked)`
          : "about 5 to 30 minutes: transaction logs every 5 minutes, copied across regions asynchronously",
    });
  }
  for (const [host, disk] of Object.entries(restore?.mysqlDisks ?? {})) {
    points.push({
      store: `MySQL ${host}`,
      from: disk.snapshot
        ? `snapshot ${disk.snapshot}`
        : `the latest snapshot of ${disk.latestSnapshotOf}`,
      recoveryPoint:
        disk.latestSnapshotOf !== undefined
          ? `up to 24 hours: a snapshot every ${DISK_SNAPSHOT.daysInCycle} day from ${DISK_SNAPSHOT.startTime} UTC`
          : "the snapshot's time",
    });
  }
  const dumps = restore?.mysqlDumps;
  if (dumps) {
    points.push({
      store: "MySQL (primary, replicas follow)",
      from: `the newest complete dump of ${dumps.primary} (${dumps.store}, ${dumps.location})`,
      recoveryPoint: "up to 24.5 hours: a dump nightly from 03:00 UTC, within 30 minutes",
    });
  }
  points.push({
    store: "Consul (KV, ACLs, intentions)",
    from: `the newest of ${lost.name}'s hourly snapshots`,
    recoveryPoint: "up to about 1 hour: each server saves one hourly, within 10 minutes",
  });
  points.push({
    store: "everything else",
    from: "the stack file",
    recoveryPoint: `nothing to lose: ${builtNew(rebuild)} are built new`,
  });
  return points;
}

/** What a rebuild makes anew from its stack file alone, as it has them. */
function builtNew(rebuild: RegionSpec): string {
  const parts = [
    "hosts",
    "networks",
    rebuild.front.mode === "loadBalancer" ? "the load balancer" : "the DNS round-robin front",
    "certificates",
    "records",
    ...(rebuild.gke ? ["the GKE cluster and its workloads"] : []),
  ];
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
