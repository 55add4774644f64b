// Route53 health checks of the front, watched where Route53 publishes their status: CloudWatch in
// us-east-1, whatever the region's own cloud. A check failing for three minutes pages.
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmDefinition } from "./alarm";

/** A Route53 health check of the front and what it watches. */
export interface Route53Check {
  /** Names the alarm: front-<subject>-health, e.g. front-nginx-1-health, front-failover-health. */
  readonly subject: string;
  readonly healthCheckId: pulumi.Input<string>;
  /** What the check asks, in people's words: "nginx-1 answering /healthz over HTTP". */
  readonly what: string;
}

export function route53CheckAlarm(check: Route53Check): AlarmDefinition {
  return {
    watch: `front-${check.subject}-health`,
    description: `Route53 health check failing: ${check.what}. Route53 has taken it out of the answers; look at the host and nginx.`,
    metric: {
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: check.healthCheckId },
      statistic: "Minimum",
      period: 60,
    },
    comparison: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // Route53 reports every minute while the check exists: no report is no health.
    treatMissingData: "breaching",
  };
}
