// The host signals on CloudWatch (signals.ts): Consul without a leader, MySQL replication broken
// or lagging. Each alarm reads the maximum over every publishing host of the region.
import type { HostSignal } from "../signals";
import { HOST_NAMESPACE } from "../signals";
import type { AlarmDefinition, AlarmMetric } from "./alarm";

export function signalMetric(signal: HostSignal, region: string): AlarmMetric {
  return {
    namespace: HOST_NAMESPACE,
    metricName: signal.cloudWatch.metricName,
    dimensions: { Region: region },
    statistic: "Maximum",
    period: 60,
  };
}

export function hostSignalAlarm(
  signal: HostSignal,
  region: string,
  replicaLagSeconds: number,
): AlarmDefinition {
  const metric = signalMetric(signal, region);
  switch (signal.id) {
    case "consul-leader":
      return {
        watch: "consul-leader",
        description:
          "No Consul server of the region has known a leader for 3 minutes (or none reports): the quorum is lost, service discovery and *.consul names go stale. Look at the util hosts.",
        metric,
        comparison: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Every util host reports each minute: silence from all of them is no quorum we know of.
        treatMissingData: "breaching",
      };
    case "mysql-replication-broken":
      return {
        watch: "mysql-replication",
        description:
          "A MySQL replica's replication threads have stopped for 3 minutes (or no MySQL host reports): the replica serves stale data and is no promotion candidate. Run SHOW REPLICA STATUS on it.",
        metric,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "breaching",
      };
    case "mysql-replica-lag":
      return {
        watch: "mysql-replica-lag",
        description: `A MySQL replica has been more than ${replicaLagSeconds} s behind its primary for 5 minutes.`,
        metric,
        comparison: "GreaterThanThreshold",
        threshold: replicaLagSeconds,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // Only running replicas report lag; a stopped one is mysql-replication's to report.
        treatMissingData: "notBreaching",
      };
  }
}
