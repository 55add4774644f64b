// The alerts against the clouds' limits: every alarm, topic, policy and check of the three plans
// passes the tables' entries for them, and a value the APIs refuse is caught with its limit.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { checkPlanLimits } from "../../tools/plan/limits";
import { awsAlarmLimits } from "../../tools/plan/limits/aws-alarms";
import { checkedValues, ruleProblem } from "../../tools/plan/limits/check";
import { gcpAlertLimits } from "../../tools/plan/limits/gcp-alerts";
import type { Plan } from "../../tools/plan/plan";
import { stacks } from "../support/stacks";
import { named, planOf } from "./support";

const ALERT_TYPES = [
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:sns/topic:Topic",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:rds/eventSubscription:EventSubscription",
  "gcp:monitoring/alertPolicy:AlertPolicy",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  "gcp:monitoring/metricDescriptor:MetricDescriptor",
  "gcp:logging/metric:Metric",
];

const plans: Plan[] = [];
before(async () => {
  for (const stack of stacks) plans.push(await planOf(stack));
});

describe("limits of alerts", () => {
  it("reads a period as a whole multiple, with the API's exceptions and unit", () => {
    const alarmPeriod = { kind: "multipleOf", of: 60, alsoAllowed: [10, 20, 30] } as const;
    assert.equal(ruleProblem(alarmPeriod, 60), undefined);
    assert.equal(ruleProblem(alarmPeriod, 86_400), undefined);
    assert.equal(ruleProblem(alarmPeriod, 30), undefined);
    assert.equal(ruleProblem(alarmPeriod, 90), "90 is not a multiple of 60 nor one of 10, 20, 30");
    const duration = { kind: "multipleOf", of: 60, suffix: "s" } as const;
    assert.equal(ruleProblem(duration, "0s"), undefined);
    assert.equal(ruleProblem(duration, "300s"), undefined);
    assert.equal(ruleProblem(duration, "90s"), "90 is not a multiple of 60");
    assert.equal(ruleProblem(duration, "5m"), '"5m" is not a whole number followed by "s"');
  });

  it("quotes every value a listed rule allows in the sentence it cites", () => {
    for (const limit of [...awsAlarmLimits, ...gcpAlertLimits]) {
      const { source, rule } = limit;
      if (source.kind !== "botocore-text" && source.kind !== "discovery-text") continue;
      const listed =
        rule.kind === "oneOf"
          ? rule.values
          : rule.kind === "multipleOf"
            ? [rule.of, ...(rule.alsoAllowed ?? [])].map(String)
            : [];
      for (const value of listed) assert.ok(source.text.includes(value), `${limit.id}: ${value}`);
    }
  });

  it("checks every kind of alert resource the plans hold, and finds nothing refused", () => {
    const alertLimits = [...awsAlarmLimits, ...gcpAlertLimits];
    for (const plan of plans) {
      const violations = checkPlanLimits(plan).filter((v) => ALERT_TYPES.includes(v.type));
      assert.deepEqual(violations, [], plan.stack);
    }
    const counts = new Map<string, number>();
    for (const plan of plans)
      for (const [id, count] of checkedValues(plan, alertLimits))
        counts.set(id, (counts.get(id) ?? 0) + count);
    assert.deepEqual(
      [...counts].filter(([, count]) => count === 0),
      [],
      "every alert limit reads a value",
    );
    const covered = new Set(alertLimits.flatMap((l) => l.resourceTypes));
    assert.deepEqual(
      ALERT_TYPES.filter((type) => !covered.has(type)),
      [],
    );
  });

  it("catches an alarm and a policy the APIs would refuse, naming the limit", () => {
    const us = structuredClone(plans.find((p) => p.stack === "us")) as Plan;
    const uk = structuredClone(plans.find((p) => p.stack === "uk")) as Plan;
    const alarm = named(us, "us-alerts-consul-leader");
    Object.assign(alarm.inputs, {
      period: 90,
      comparisonOperator: "Below",
      treatMissingData: "sometimes",
      alarmActions: Array.from({ length: 6 }, (_, i) => `arn:aws:sns:us-west-2:1:t${i}`),
      name: `multicloud-us-${"x".repeat(250)}`,
    });
    const policy = named(uk, "uk-alerts-consul-leader");
    const conditions = policy.inputs.conditions as {
      conditionThreshold: Record<string, unknown>;
    }[];
    Object.assign(conditions[0]?.conditionThreshold ?? {}, {
      duration: "90s",
      comparison: "BELOW",
    });
    Object.assign(policy.inputs, { severity: "PAGE" });
    const found = [...checkPlanLimits(us), ...checkPlanLimits(uk)]
      .filter((v) => v.name === alarm.name || v.name === policy.name)
      .map((v) => `${v.name} ${v.limit.id}`)
      .sort();
    assert.deepEqual(found, [
      "uk-alerts-consul-leader alert-condition-comparison",
      "uk-alerts-consul-leader alert-condition-duration",
      "uk-alerts-consul-leader alert-policy-severity",
      "us-alerts-consul-leader cloudwatch-alarm-actions",
      "us-alerts-consul-leader cloudwatch-alarm-comparison",
      "us-alerts-consul-leader cloudwatch-alarm-missing-data",
      "us-alerts-consul-leader cloudwatch-alarm-name-length",
      "us-alerts-consul-leader cloudwatch-alarm-period",
    ]);
  });
});
