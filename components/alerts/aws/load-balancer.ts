// The Application Load Balancer front: no healthy nginx behind it, an nginx host failing its checks
// for ten minutes (the group has not replaced it), and the share of requests answered with a 5xx.
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmDefinition } from "./alarm";

export interface LoadBalancerWatch {
  /** The load balancer's ARN suffix (app/<name>/<id>): CloudWatch's LoadBalancer dimension. */
  readonly loadBalancer: pulumi.Input<string>;
  /** The nginx target group's ARN suffix (targetgroup/<name>/<id>). */
  readonly targetGroup: pulumi.Input<string>;
}

/** Fewer requests a minute than this say nothing about an error rate. */
export const ERROR_RATE_MIN_REQUESTS = 60;

export function loadBalancerAlarms(
  watch: LoadBalancerWatch,
  errorRatePercent: number,
): AlarmDefinition[] {
  const dimensions = { LoadBalancer: watch.loadBalancer, TargetGroup: watch.targetGroup };
  const count = (metricName: string, dims: Record<string, pulumi.Input<string>>) => ({
    namespace: "AWS/ApplicationELB",
    metricName,
    dimensions: dims,
    statistic: "Sum" as const,
    period: 60,
  });
  return [
    {
      watch: "front-healthy-hosts",
      description:
        "No nginx host behind the load balancer passes its health check: the front answers 503 to everyone.",
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName: "HealthyHostCount",
        dimensions,
        statistic: "Minimum",
        period: 60,
      },
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // The load balancer reports every minute: no report is no healthy host.
      treatMissingData: "breaching",
    },
    {
      watch: "front-unhealthy-hosts",
      description:
        "An nginx host has failed the load balancer's health check for 10 minutes and the auto-scaling group has not replaced it.",
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions,
        statistic: "Maximum",
        period: 60,
      },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 10,
      datapointsToAlarm: 10,
      treatMissingData: "notBreaching",
    },
    {
      watch: "front-5xx",
      description: `More than ${errorRatePercent}% of the front's requests answered with a 5xx (nginx's or the load balancer's own) for 5 minutes, at ${ERROR_RATE_MIN_REQUESTS} requests a minute or more.`,
      metric: {
        expression: `IF(requests >= ${ERROR_RATE_MIN_REQUESTS}, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)`,
        label: "5xx, percent of requests",
        metrics: {
          requests: count("RequestCount", { LoadBalancer: watch.loadBalancer }),
          target5xx: count("HTTPCode_Target_5XX_Count", { LoadBalancer: watch.loadBalancer }),
          elb5xx: count("HTTPCode_ELB_5XX_Count", { LoadBalancer: watch.loadBalancer }),
        },
      },
      comparison: "GreaterThanThreshold",
      threshold: errorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      // No requests, no error rate.
      treatMissingData: "notBreaching",
    },
  ];
}
