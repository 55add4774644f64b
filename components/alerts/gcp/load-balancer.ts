// The Google Cloud Load Balancer front: the share of its requests answered with a 5xx, and nginx
// backends that its health check finds unhealthy (from the health check's own logs, which report
// each change of a backend's state).
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../../sdk/gcp";
import { dependsOnAll, type Waits } from "../../sdk/waits";
import type { PolicyDefinition } from "./policy";

export interface GclbWatch {
  /** The URL map's name: https_lb_rule's url_map_name. */
  readonly urlMapName: pulumi.Input<string>;
  /** The nginx instance group's name: the health check logs' instance_group_name. */
  readonly backendGroupName: pulumi.Input<string>;
}

export function errorRatePolicy(
  urlMapName: pulumi.Input<string>,
  percent: number,
): PolicyDefinition {
  const requests = pulumi.interpolate`metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="${urlMapName}"`;
  const rate = [
    {
      alignmentPeriod: "60s",
      perSeriesAligner: "ALIGN_RATE",
      crossSeriesReducer: "REDUCE_SUM",
    },
  ];
  return {
    watch: "front-5xx",
    conditionName: `More than ${percent}% of the front's requests answered with a 5xx`,
    condition: {
      filter: pulumi.interpolate`${requests} AND metric.label.response_code_class=500`,
      aggregations: rate,
      denominatorFilter: requests,
      denominatorAggregations: rate,
      comparison: "COMPARISON_GT",
      thresholdValue: percent / 100,
      duration: "300s",
      // No requests, no error rate.
      evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
      trigger: { count: 1 },
    },
    documentation: `More than ${percent}% of the front's requests were answered with a 5xx (nginx's, or the load balancer's own when no backend is healthy) for 5 minutes.`,
    severity: "CRITICAL",
  };
}

/** The log-based metric's id: its type is logging.googleapis.com/user/<id>. */
export function unhealthyBackendsMetric(region: string): string {
  return `multicloud-${region}-front-unhealthy-backends`;
}

/** Health check log entries of the nginx group's backends turning unhealthy. */
export function unhealthyBackendsFilter(
  project: string,
  backendGroupName: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`logName="projects/${project}/logs/compute.googleapis.com%2Fhealthchecks" AND resource.type="gce_instance_group" AND resource.labels.instance_group_name="${backendGroupName}" AND jsonPayload.healthCheckProbeResult.healthState="UNHEALTHY"`;
}

export function unhealthyBackendsLogMetric(
  name: string,
  args: {
    readonly region: string;
    readonly project: string;
    readonly backendGroupName: pulumi.Input<string>;
    readonly provider: gcp.Provider;
    readonly parent: pulumi.Resource;
    readonly dependsOn: Waits;
  },
): gcp.logging.Metric {
  return new gcp.logging.Metric(
    name,
    {
      name: unhealthyBackendsMetric(args.region),
      description:
        "nginx backends of the front that the load balancer's health check found unhealthy",
      filter: unhealthyBackendsFilter(args.project, args.backendGroupName),
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
    },
    { parent: args.parent, provider: args.provider, dependsOn: dependsOnAll(args.dependsOn) },
  );
}

export function backendHealthPolicy(region: string): PolicyDefinition {
  return {
    watch: "front-backend-health",
    conditionName: "An nginx backend of the front turned unhealthy",
    condition: {
      filter: `metric.type="logging.googleapis.com/user/${unhealthyBackendsMetric(region)}" AND resource.type="gce_instance_group"`,
      aggregations: [
        {
          alignmentPeriod: "300s",
          perSeriesAligner: "ALIGN_DELTA",
          crossSeriesReducer: "REDUCE_SUM",
        },
      ],
      comparison: "COMPARISON_GT",
      thresholdValue: 0,
      duration: "0s",
      trigger: { count: 1 },
    },
    documentation:
      "The load balancer's health check found an nginx backend unhealthy: it no longer receives traffic, and auto-healing will replace it if it does not recover. Repeated incidents mean a host or a deploy is failing.",
    severity: "WARNING",
  };
}
