// The signals that hosts publish and the alerts watch: the contract between the host layer (which
// measures and publishes) and this component (which grants the right to publish, declares the
// metrics and pages on them). Pure data.
//
// Every publishing host sends each of its signals once a minute:
// - AWS (the site's region) and Sakura (us-east-1, beside the region's alert topic): CloudWatch
//   PutMetricData in HOST_NAMESPACE with exactly one dimension, Region=<spec name>, so that the
//   hosts of a role add up to one series (an alarm reads the maximum over them).
// - GCP (gcp.project): Cloud Monitoring timeSeries.create of the custom metric type, on the host's
//   own gce_instance resource, with the metric label region=<spec name>.
// A signal that stops arriving pages too: silence from every publisher is not health.
import type { Role } from "../spec/hosts";

export const HOST_NAMESPACE = "Multicloud/Hosts";

export type SignalId = "consul-leader" | "mysql-replication-broken" | "mysql-replica-lag";

export interface HostSignal {
  readonly id: SignalId;
  /** The role whose every host publishes it. */
  readonly publisher: Role;
  /** What the value says, for the host layer and for the people paged. */
  readonly meaning: string;
  readonly cloudWatch: {
    readonly metricName: string;
    readonly unit: "Count" | "Seconds";
  };
  readonly cloudMonitoring: {
    readonly type: string;
    readonly valueType: "INT64" | "DOUBLE";
    /** UCUM unit as Cloud Monitoring writes it. */
    readonly unit: "1" | "s";
  };
}

export const HOST_SIGNALS: Readonly<Record<SignalId, HostSignal>> = {
  "consul-leader": {
    id: "consul-leader",
    publisher: "util",
    meaning:
      "1 when this Consul server knows the cluster's leader (GET /v1/status/leader on the local agent answers an address), 0 when it answers none or fails",
    cloudWatch: { metricName: "ConsulLeader", unit: "Count" },
    cloudMonitoring: {
      type: "custom.googleapis.com/multicloud/consul/leader",
      valueType: "INT64",
      unit: "1",
    },
  },
  "mysql-replication-broken": {
    id: "mysql-replication-broken",
    publisher: "mysql",
    meaning:
      "1 on a replica (read_only, registered as mysql-replica) whose replication IO or SQL thread is not running or that has no source; 0 on a running replica and on the primary",
    cloudWatch: { metricName: "MysqlReplicationBroken", unit: "Count" },
    cloudMonitoring: {
      type: "custom.googleapis.com/multicloud/mysql/replication_broken",
      valueType: "INT64",
      unit: "1",
    },
  },
  "mysql-replica-lag": {
    id: "mysql-replica-lag",
    publisher: "mysql",
    meaning:
      "on a replica whose threads run: Seconds_Behind_Source of SHOW REPLICA STATUS; not sent by the primary",
    cloudWatch: { metricName: "MysqlReplicaLagSeconds", unit: "Seconds" },
    cloudMonitoring: {
      type: "custom.googleapis.com/multicloud/mysql/replica_lag",
      valueType: "DOUBLE",
      unit: "s",
    },
  },
};

/** The signals a region's hosts publish: Consul always, MySQL where it runs MySQL hosts. */
export function regionSignals(mysqlHosts: number): HostSignal[] {
  return [
    HOST_SIGNALS["consul-leader"],
    ...(mysqlHosts > 0
      ? [HOST_SIGNALS["mysql-replication-broken"], HOST_SIGNALS["mysql-replica-lag"]]
      : []),
  ];
}
