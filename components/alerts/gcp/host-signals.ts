// The host signals on Cloud Monitoring (signals.ts): their metric descriptors (a policy on a custom
// metric that does not exist yet is refused, and the descriptor states the contract in the
// project) and the policies. The hosts' service accounts may write metrics already
// (monitoring.timeSeries.create, components/gcp/service-accounts.ts).
import type * as pulumi from "@pulumi/pulumi";
import * as gcp from "../../sdk/gcp";
import { dependsOnAll, type Waits } from "../../sdk/waits";
import type { HostSignal } from "../signals";
import type { PolicyDefinition } from "./policy";

export function metricDescriptor(
  name: string,
  signal: HostSignal,
  args: {
    readonly provider: gcp.Provider;
    readonly parent: pulumi.Resource;
    readonly dependsOn: Waits;
  },
): gcp.monitoring.MetricDescriptor {
  return new gcp.monitoring.MetricDescriptor(
    name,
    {
      type: signal.cloudMonitoring.type,
      displayName: signal.cloudWatch.metricName,
      description: `Sent every minute by each ${signal.publisher} host: ${signal.meaning}.`,
      metricKind: "GAUGE",
      valueType: signal.cloudMonitoring.valueType,
      unit: signal.cloudMonitoring.unit,
      labels: [{ key: "region", valueType: "STRING", description: "The region (spec name)" }],
    },
    { parent: args.parent, provider: args.provider, dependsOn: dependsOnAll(args.dependsOn) },
  );
}

function signalFilter(signal: HostSignal, region: string): string {
  return `metric.type="${signal.cloudMonitoring.type}" AND resource.type="gce_instance" AND metric.label.region="${region}"`;
}

/** The maximum over every publishing host of the region, a point a minute. */
const maxOverHosts = [
  {
    alignmentPeriod: "60s",
    perSeriesAligner: "ALIGN_MAX",
    crossSeriesReducer: "REDUCE_MAX",
    groupByFields: ["metric.label.region"],
  },
];

export function hostSignalPolicy(
  signal: HostSignal,
  region: string,
  replicaLagSeconds: number,
): PolicyDefinition {
  const filter = signalFilter(signal, region);
  switch (signal.id) {
    case "consul-leader":
      return {
        watch: "consul-leader",
        conditionName: "No Consul server knows a leader",
        condition: {
          filter,
          aggregations: maxOverHosts,
          comparison: "COMPARISON_LT",
          thresholdValue: 1,
          duration: "180s",
          // Every util host reports each minute: silence from all of them is no quorum we know of.
          evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE",
          trigger: { count: 1 },
        },
        documentation:
          "No Consul server of the region has known a leader for 3 minutes (or none reports): the quorum is lost, service discovery and *.consul names go stale. Look at the util hosts.",
        severity: "CRITICAL",
      };
    case "mysql-replication-broken":
      return {
        watch: "mysql-replication",
        conditionName: "A MySQL replica's replication has stopped",
        condition: {
          filter,
          aggregations: maxOverHosts,
          comparison: "COMPARISON_GT",
          thresholdValue: 0,
          duration: "180s",
          evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE",
          trigger: { count: 1 },
        },
        documentation:
          "A MySQL replica's replication threads have stopped for 3 minutes (or no MySQL host reports): the replica serves stale data and is no promotion candidate. Run SHOW REPLICA STATUS on it.",
        severity: "CRITICAL",
      };
    case "mysql-replica-lag":
      return {
        watch: "mysql-replica-lag",
        conditionName: `A MySQL replica is more than ${replicaLagSeconds} s behind`,
        condition: {
          filter,
          aggregations: maxOverHosts,
          comparison: "COMPARISON_GT",
          thresholdValue: replicaLagSeconds,
          duration: "300s",
          // Only running replicas report lag; a stopped one is mysql-replication's to report.
          evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
          trigger: { count: 1 },
        },
        documentation: `A MySQL replica has been more than ${replicaLagSeconds} s behind its primary for 5 minutes.`,
        severity: "ERROR",
      };
  }
}
