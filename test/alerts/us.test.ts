// The us plan's alerts (AWS, load balancer front with a failover check, two RDS databases, MySQL
// and Consul hosts): exactly these alarms, each on its metric and threshold, each sent to the
// region's topic in its own AWS region, and the topics encrypted and subscribed as the spec says.
// Its GKE API gateway's alerts are in gateway.test.ts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { alarmShape, alertsOf, awsRegionOf, named, ofType, planOf } from "./support";

const OREGON_TOPIC = "arn:aws:mock:::aws:sns/topic:Topic/us-alerts-us-west-2-topic";
const VIRGINIA_TOPIC = "arn:aws:mock:::aws:sns/topic:Topic/us-alerts-us-east-1-topic";
const GIB = 1024 ** 3;

let plan: Plan;
before(async () => {
  plan = await planOf("us");
});

describe("us: alerts", () => {
  it("holds exactly the alerts on its front, its API gateway, its databases and its Consul quorum", () => {
    assert.deepEqual([...alertsOf(plan).keys()].sort(), [
      "multicloud-us-consul-leader",
      "multicloud-us-db-accounts-free-storage",
      "multicloud-us-db-notifications-free-storage",
      "multicloud-us-front-5xx",
      "multicloud-us-front-certificate",
      "multicloud-us-front-failover-health",
      "multicloud-us-front-healthy-hosts",
      "multicloud-us-front-unhealthy-hosts",
      "multicloud-us-gateway-certificate",
      "multicloud-us-gateway-uptime",
      "multicloud-us-mysql-replica-lag",
      "multicloud-us-mysql-replication",
    ]);
  });

  it("watches the front: Route53's failover check, healthy and unhealthy nginx, 5xx, the certificate", () => {
    const alarm = (name: string) => alarmShape(named(plan, `us-alerts-${name}`));
    // The offline stand-ins of the ARN suffixes: app/<name>/<id>, targetgroup/<name>/<id>.
    const lb = {
      LoadBalancer: "app/us-aws-front-alb-750db6a/caf59bd0f4036945",
      TargetGroup: "targetgroup/us-aws-front-nginx-69e9a29/57eb6dc162d8fa9c",
    };
    assert.deepEqual(alarm("front-failover-health"), {
      name: "multicloud-us-front-failover-health",
      metric: "AWS/Route53 HealthCheckStatus Minimum/60s",
      dimensions: { HealthCheckId: "us-aws-front-failover-health-id" },
      when: "LessThanThreshold 1, 3 of 3",
      missing: "breaching",
      alarm: [VIRGINIA_TOPIC],
      ok: [VIRGINIA_TOPIC],
    });
    assert.deepEqual(alarm("front-healthy-hosts"), {
      name: "multicloud-us-front-healthy-hosts",
      metric: "AWS/ApplicationELB HealthyHostCount Minimum/60s",
      dimensions: lb,
      when: "LessThanThreshold 1, 2 of 2",
      missing: "breaching",
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
    assert.deepEqual(alarm("front-unhealthy-hosts"), {
      name: "multicloud-us-front-unhealthy-hosts",
      metric: "AWS/ApplicationELB UnHealthyHostCount Maximum/60s",
      dimensions: lb,
      when: "GreaterThanOrEqualToThreshold 1, 10 of 10",
      missing: "notBreaching",
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
    const perMinute = (metric: string) =>
      `AWS/ApplicationELB ${metric} Sum/60s {"LoadBalancer":"app/us-aws-front-alb-750db6a/caf59bd0f4036945"}`;
    assert.deepEqual(alarm("front-5xx"), {
      name: "multicloud-us-front-5xx",
      // 5% of requests, once the front serves a request a second.
      expression: "IF(requests >= 60, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)",
      metrics: {
        requests: perMinute("RequestCount"),
        target5xx: perMinute("HTTPCode_Target_5XX_Count"),
        elb5xx: perMinute("HTTPCode_ELB_5XX_Count"),
      },
      when: "GreaterThanThreshold 5, 5 of 5",
      missing: "notBreaching",
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
    assert.deepEqual(alarm("front-certificate"), {
      name: "multicloud-us-front-certificate",
      metric: "AWS/CertificateManager DaysToExpiry Minimum/86400s",
      dimensions: {
        CertificateArn: "arn:aws:mock:::aws:acm/certificate:Certificate/us-aws-front-tls-cert",
      },
      when: "LessThanThreshold 21, 1 of 1",
      missing: "ignore",
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
  });

  it("watches each RDS database's free storage (5% of storageGb) and its events", () => {
    const storage = (db: string, gb: number) => ({
      name: `multicloud-us-db-${db}-free-storage`,
      metric: "AWS/RDS FreeStorageSpace Minimum/60s",
      dimensions: { DBInstanceIdentifier: `us-${db}` },
      when: `LessThanThreshold ${0.05 * gb * GIB}, 5 of 5`,
      missing: "ignore",
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
    assert.deepEqual(
      alarmShape(named(plan, "us-alerts-db-accounts-free-storage")),
      storage("accounts", 100),
    );
    assert.deepEqual(
      alarmShape(named(plan, "us-alerts-db-notifications-free-storage")),
      storage("notifications", 50),
    );
    const events = named(plan, "us-alerts-db-events");
    assert.equal(events.type, "aws:rds/eventSubscription:EventSubscription");
    assert.deepEqual(
      {
        name: events.inputs.name,
        snsTopic: events.inputs.snsTopic,
        sourceType: events.inputs.sourceType,
        sourceIds: events.inputs.sourceIds,
        eventCategories: events.inputs.eventCategories,
        enabled: events.inputs.enabled,
      },
      {
        name: "multicloud-us-db-events",
        snsTopic: OREGON_TOPIC,
        sourceType: "db-instance",
        sourceIds: ["us-accounts", "us-notifications"],
        eventCategories: ["availability", "failover", "failure", "low storage"],
        enabled: true,
      },
    );
    assert.equal(awsRegionOf(plan, events), "us-west-2");
  });

  it("watches MySQL replication and the Consul quorum through the hosts' signals", () => {
    const signal = (metric: string, when: string, missing: string) => ({
      metric: `Multicloud/Hosts ${metric} Maximum/60s`,
      dimensions: { Region: "us" },
      when,
      missing,
      alarm: [OREGON_TOPIC],
      ok: [OREGON_TOPIC],
    });
    assert.deepEqual(alarmShape(named(plan, "us-alerts-consul-leader")), {
      name: "multicloud-us-consul-leader",
      ...signal("ConsulLeader", "LessThanThreshold 1, 3 of 3", "breaching"),
    });
    assert.deepEqual(alarmShape(named(plan, "us-alerts-mysql-replication")), {
      name: "multicloud-us-mysql-replication",
      ...signal("MysqlReplicationBroken", "GreaterThanOrEqualToThreshold 1, 3 of 3", "breaching"),
    });
    assert.deepEqual(alarmShape(named(plan, "us-alerts-mysql-replica-lag")), {
      name: "multicloud-us-mysql-replica-lag",
      ...signal("MysqlReplicaLagSeconds", "GreaterThanThreshold 300, 5 of 5", "notBreaching"),
    });
  });

  it("lets only the util and MySQL hosts publish signals, in their namespace alone", () => {
    const grants = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
      r.name.startsWith("us-alerts-"),
    );
    // Each on its role's IAM role, by the name the provider gives it (offline: <name>-<7 hex>).
    assert.deepEqual(grants.map((r) => [r.name, r.inputs.role]).sort(), [
      ["us-alerts-mysql-publish", "us-aws-iam-mysql-dd138f5"],
      ["us-alerts-util-publish", "us-aws-iam-util-1d0fb7b"],
    ]);
    assert.equal(named(plan, "us-aws-iam-util-host").inputs.role, "us-aws-iam-util-1d0fb7b");
    for (const grant of grants) {
      assert.deepEqual(JSON.parse(String(grant.inputs.policy)).Statement, [
        {
          Sid: "PublishHostSignals",
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": "Multicloud/Hosts" } },
        },
      ]);
      assert.equal(awsRegionOf(plan, grant), "us-west-2");
    }
  });

  it("sends each alarm to the topic of its own AWS region (CloudWatch notifies no other)", () => {
    for (const alarm of ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
      const topic =
        String((alarm.inputs.alarmActions as string[])[0])
          .split("/")
          .at(-1) ?? "";
      assert.equal(
        awsRegionOf(plan, alarm),
        awsRegionOf(plan, named(plan, topic)),
        `${alarm.name} and its topic ${topic}`,
      );
    }
    assert.equal(awsRegionOf(plan, named(plan, "us-alerts-us-west-2-topic")), "us-west-2");
    assert.equal(awsRegionOf(plan, named(plan, "us-alerts-us-east-1-topic")), "us-east-1");
  });

  it("has a topic in each of its two AWS regions, encrypted with a key of that region, mailing the spec's address", () => {
    for (const region of ["us-west-2", "us-east-1"]) {
      const topic = named(plan, `us-alerts-${region}-topic`);
      assert.equal(topic.inputs.name, "multicloud-us-alerts");
      assert.equal(
        topic.inputs.kmsMasterKeyId,
        `arn:aws:mock:::aws:kms/key:Key/us-alerts-${region}-key-key`,
      );
      assert.equal(awsRegionOf(plan, named(plan, `us-alerts-${region}-key-key`)), region);
      const subscriptions = ofType(plan, "aws:sns/topicSubscription:TopicSubscription").filter(
        (s) => s.inputs.topic === `arn:aws:mock:::aws:sns/topic:Topic/us-alerts-${region}-topic`,
      );
      assert.deepEqual(
        subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint]),
        [["email", "sre-us@example.com"]],
      );
    }
    const principals = (region: string) =>
      JSON.parse(String(named(plan, `us-alerts-${region}-key-key`).inputs.policy)).Statement[1]
        .Principal.Service;
    // RDS events reach the Oregon topic only; Virginia's hears Route53's alarm alone.
    assert.deepEqual(principals("us-west-2"), [
      "cloudwatch.amazonaws.com",
      "events.rds.amazonaws.com",
    ]);
    assert.deepEqual(principals("us-east-1"), ["cloudwatch.amazonaws.com"]);
  });
});
