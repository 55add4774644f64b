// One CloudWatch alarm, named for what it watches, that tells the region's topic when it fires and
// when it recovers. Every alarm states how it treats missing data: for some, silence is the fault.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../../sdk/aws";

/** One metric, read with one statistic. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: "Minimum" | "Maximum" | "Sum" | "Average" | "SampleCount";
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  readonly period: number;
}

/** Metric math: the alarm compares the query that returns data (metric queries do not). */
export interface AlarmExpression {
  readonly expression: string;
  readonly label: string;
  /** Each metric by the id the expression uses. */
  readonly metrics: Record<string, AlarmMetric>;
}

export type Comparison =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export interface AlarmDefinition {
  /** What it watches, e.g. "front-healthy-hosts": the alarm is multicloud-<region>-<watch>. */
  readonly watch: string;
  /** What firing means and what to look at first: the text people paged read. */
  readonly description: string;
  readonly metric: AlarmMetric | AlarmExpression;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Periods looked at, and how many of them must breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: "breaching" | "notBreaching" | "ignore" | "missing";
}

export interface AlarmTarget {
  /** The region's name (the alarm's name starts multicloud-<region>-). */
  readonly region: string;
  /** Where the alarm and its recovery are sent. */
  readonly topicArn: pulumi.Input<string>;
  readonly provider: aws.Provider;
  readonly parent: pulumi.Resource;
  /** Pulumi name prefix of the alarms (the component's name). */
  readonly prefix: string;
}

export function alarmName(region: string, watch: string): string {
  return `multicloud-${region}-${watch}`;
}

function isExpression(metric: AlarmMetric | AlarmExpression): metric is AlarmExpression {
  return "expression" in metric;
}

/** The alarm's inputs: pure, so tests and docs read exactly what is sent. */
export function alarmArgs(
  definition: AlarmDefinition,
  target: Pick<AlarmTarget, "region" | "topicArn">,
): aws.cloudwatch.MetricAlarmArgs {
  const metric = definition.metric;
  const reading = isExpression(metric)
    ? {
        metricQueries: [
          {
            id: "e1",
            expression: metric.expression,
            label: metric.label,
            returnData: true,
          },
          ...Object.entries(metric.metrics).map(([id, m]) => ({
            id,
            returnData: false,
            metric: {
              namespace: m.namespace,
              metricName: m.metricName,
              dimensions: m.dimensions,
              stat: m.statistic,
              period: m.period,
            },
          })),
        ],
      }
    : {
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: metric.statistic,
        period: metric.period,
      };
  return {
    name: alarmName(target.region, definition.watch),
    alarmDescription: definition.description,
    ...reading,
    comparisonOperator: definition.comparison,
    threshold: definition.threshold,
    evaluationPeriods: definition.evaluationPeriods,
    datapointsToAlarm: definition.datapointsToAlarm,
    treatMissingData: definition.treatMissingData,
    actionsEnabled: true,
    // Told when it fires and when it recovers; a silent recovery leaves people guessing.
    alarmActions: [target.topicArn],
    okActions: [target.topicArn],
  };
}

export function metricAlarm(
  definition: AlarmDefinition,
  target: AlarmTarget,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    `${target.prefix}-${definition.watch}`,
    alarmArgs(definition, target),
    { parent: target.parent, provider: target.provider },
  );
}
