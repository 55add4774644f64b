// The ACM certificate of the load balancer: ACM renews it 60 days ahead when its validation
// records are in place, so a certificate this close to expiry is a renewal that failed.
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmDefinition } from "./alarm";

export function certificateAlarm(
  certificateArn: pulumi.Input<string>,
  certificateDays: number,
): AlarmDefinition {
  return {
    watch: "front-certificate",
    description: `The front's ACM certificate expires in fewer than ${certificateDays} days: its renewal failed (check the DNS validation records in the public zone).`,
    metric: {
      namespace: "AWS/CertificateManager",
      metricName: "DaysToExpiry",
      dimensions: { CertificateArn: certificateArn },
      statistic: "Minimum",
      // ACM publishes the metric once a day.
      period: 86_400,
    },
    comparison: "LessThanThreshold",
    threshold: certificateDays,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // A day without a data point keeps the alarm where it is.
    treatMissingData: "ignore",
  };
}
