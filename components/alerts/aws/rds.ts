// RDS databases: free storage under a share of the storage the spec gives them (storage
// autoscaling acts at 10% of the current size, so this fires when it could not, at its ceiling or
// in its six-hour pause), and RDS's own events of failure, failover, low storage and availability.
import type { AlarmDefinition } from "./alarm";

export interface WatchedDatabase {
  /** The database's name in aws.rds. */
  readonly name: string;
  /** The RDS instance identifier (<region>-<name>). */
  readonly identifier: string;
  /** aws.rds[].storageGb: GiB, as RDS allocates it. */
  readonly storageGb: number;
}

const GIB = 1024 ** 3;

/** RDS event categories that page: the instance stopped serving, moved, or runs out of room. */
export const PAGING_RDS_EVENTS = ["availability", "failover", "failure", "low storage"] as const;

export function freeStorageAlarm(db: WatchedDatabase, percent: number): AlarmDefinition {
  return {
    watch: `db-${db.name}-free-storage`,
    description: `RDS database ${db.identifier} has less than ${percent}% of its ${db.storageGb} GiB free and storage autoscaling has not grown it (at maxStorageGb, or within six hours of the last growth).`,
    metric: {
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions: { DBInstanceIdentifier: db.identifier },
      statistic: "Minimum",
      period: 60,
    },
    comparison: "LessThanThreshold",
    threshold: (db.storageGb * GIB * percent) / 100,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    // A database that stops reporting is caught by its availability events, not by this alarm.
    treatMissingData: "ignore",
  };
}
