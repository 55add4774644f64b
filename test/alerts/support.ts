// The alerts of a stack's plan, read back as people read them: each alarm or policy with what it
// watches, its threshold and where it is sent. Shared by the per-stack tests.
import assert from "node:assert/strict";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { type StackRun, stackRuns } from "../policy/plans";
import type { StackName } from "../support/stacks";

let runs: Promise<Record<StackName, StackRun>> | undefined;

/** The stack's plan, as the plan CLI makes it (shared with the policy and limits tests). */
export async function planOf(stack: StackName): Promise<Plan> {
  runs ??= stackRuns();
  return (await runs)[stack].plan;
}

export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((resource) => resource.type === type);
}

export function named(plan: Plan, name: string): PlannedResource {
  const found = plan.resources.filter((resource) => resource.name === name);
  assert.equal(found.length, 1, `one resource named ${name}`);
  return found[0] as PlannedResource;
}

/** The AWS region of a resource's provider. */
export function awsRegionOf(plan: Plan, resource: PlannedResource): unknown {
  const provider = plan.resources.find((candidate) => candidate.urn === resource.provider);
  return provider?.inputs.region;
}

// biome-ignore lint/suspicious/noExplicitAny: plan inputs are JSON read back from the plan
type Json = any;

/** A CloudWatch alarm as people read it. */
export function alarmShape(resource: PlannedResource): Record<string, unknown> {
  const i: Json = resource.inputs;
  return {
    name: i.name,
    ...(i.metricQueries
      ? {
          expression: i.metricQueries[0].expression,
          metrics: Object.fromEntries(
            i.metricQueries
              .slice(1)
              .map((q: Json) => [
                q.id,
                `${q.metric.namespace} ${q.metric.metricName} ${q.metric.stat}/${q.metric.period}s ${JSON.stringify(q.metric.dimensions)}`,
              ]),
          ),
        }
      : {
          metric: `${i.namespace} ${i.metricName} ${i.statistic}/${i.period}s`,
          dimensions: i.dimensions,
        }),
    when: `${i.comparisonOperator} ${i.threshold}, ${i.datapointsToAlarm} of ${i.evaluationPeriods}`,
    missing: i.treatMissingData,
    alarm: i.alarmActions,
    ok: i.okActions,
  };
}

/** A Cloud Monitoring alert policy as people read it. */
export function policyShape(resource: PlannedResource): Record<string, unknown> {
  const i: Json = resource.inputs;
  assert.equal(i.conditions.length, 1, `${resource.name}: one condition`);
  const c = i.conditions[0].conditionThreshold;
  const aggregation = (a: Json) =>
    `${a.alignmentPeriod} ${a.perSeriesAligner} ${a.crossSeriesReducer ?? ""}${a.groupByFields ? ` by ${a.groupByFields.join(",")}` : ""}`.trim();
  return {
    name: i.displayName,
    filter: c.filter,
    ...(c.denominatorFilter ? { denominator: c.denominatorFilter } : {}),
    aggregations: (c.aggregations ?? []).map(aggregation),
    when: `${c.comparison} ${c.thresholdValue} for ${c.duration}`,
    missing: c.evaluationMissingData ?? "(not set)",
    severity: i.severity,
    channels: i.notificationChannels,
  };
}

/** Alarms and policies by their names (the cloud's name: multicloud-<region>-<watch>). */
export function alertsOf(plan: Plan): Map<string, PlannedResource> {
  const alerts = new Map<string, PlannedResource>();
  for (const resource of plan.resources) {
    if (resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
      alerts.set(String(resource.inputs.name), resource);
    if (resource.type === "gcp:monitoring/alertPolicy:AlertPolicy")
      alerts.set(String(resource.inputs.displayName), resource);
  }
  return alerts;
}
