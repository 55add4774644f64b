// The jp plan's alerts (Sakura, DNS round robin over three nginx hosts, self-run MySQL and
// Consul): everything AWS holds lives in us-east-1 beside Route53's metrics, sent to the region's
// one topic there; the certificates the hosts serve are checked by Cloud Monitoring in the spec's
// uptime project (here the GKE project) and sent to the region's channel there.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { alarmShape, alertsOf, awsRegionOf, named, ofType, planOf, policyShape } from "./support";

const TOPIC = "arn:aws:mock:::aws:sns/topic:Topic/jp-alerts-us-east-1-topic";

let plan: Plan;
before(async () => {
  plan = await planOf("jp");
});

describe("jp: alerts", () => {
  it("holds exactly the alerts on its front, its API gateway, its databases and its Consul quorum", () => {
    assert.deepEqual([...alertsOf(plan).keys()].sort(), [
      "multicloud-jp-consul-leader",
      "multicloud-jp-front-certificate",
      "multicloud-jp-front-nginx-1-health",
      "multicloud-jp-front-nginx-2-health",
      "multicloud-jp-front-nginx-3-health",
      "multicloud-jp-gateway-certificate",
      "multicloud-jp-gateway-uptime",
      "multicloud-jp-mysql-replica-lag",
      "multicloud-jp-mysql-replication",
    ]);
  });

  it("alarms on the Route53 health check of each round-robin host", () => {
    for (const host of ["nginx-1", "nginx-2", "nginx-3"]) {
      const alarm = named(plan, `jp-alerts-front-${host}-health`);
      assert.deepEqual(alarmShape(alarm), {
        name: `multicloud-jp-front-${host}-health`,
        metric: "AWS/Route53 HealthCheckStatus Minimum/60s",
        dimensions: { HealthCheckId: `jp-sakura-front-${host}-id` },
        when: "LessThanThreshold 1, 3 of 3",
        missing: "breaching",
        alarm: [TOPIC],
        ok: [TOPIC],
      });
      assert.equal(awsRegionOf(plan, alarm), "us-east-1");
      // The check it reads is the one the host's records are tied to.
      assert.equal(
        named(plan, `jp-sakura-front-${host}`).type,
        "aws:route53/healthCheck:HealthCheck",
      );
    }
  });

  it("watches MySQL replication and the Consul quorum through the hosts' signals in us-east-1", () => {
    const signal = (metric: string, when: string, missing: string) => ({
      metric: `Multicloud/Hosts ${metric} Maximum/60s`,
      dimensions: { Region: "jp" },
      when,
      missing,
      alarm: [TOPIC],
      ok: [TOPIC],
    });
    assert.deepEqual(alarmShape(named(plan, "jp-alerts-consul-leader")), {
      name: "multicloud-jp-consul-leader",
      ...signal("ConsulLeader", "LessThanThreshold 1, 3 of 3", "breaching"),
    });
    assert.deepEqual(alarmShape(named(plan, "jp-alerts-mysql-replication")), {
      name: "multicloud-jp-mysql-replication",
      ...signal("MysqlReplicationBroken", "GreaterThanOrEqualToThreshold 1, 3 of 3", "breaching"),
    });
    assert.deepEqual(alarmShape(named(plan, "jp-alerts-mysql-replica-lag")), {
      name: "multicloud-jp-mysql-replica-lag",
      ...signal("MysqlReplicaLagSeconds", "GreaterThanThreshold 300, 5 of 5", "notBreaching"),
    });
    for (const alarm of ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
      assert.equal(awsRegionOf(plan, alarm), "us-east-1", alarm.name);
    }
  });

  it("has one topic, in us-east-1, encrypted, mailing the spec's address", () => {
    const topics = ofType(plan, "aws:sns/topic:Topic");
    assert.deepEqual(
      topics.map((t) => [t.name, t.inputs.name, t.inputs.kmsMasterKeyId, awsRegionOf(plan, t)]),
      [
        [
          "jp-alerts-us-east-1-topic",
          "multicloud-jp-alerts",
          "arn:aws:mock:::aws:kms/key:Key/jp-alerts-us-east-1-key-key",
          "us-east-1",
        ],
      ],
    );
    assert.deepEqual(
      ofType(plan, "aws:sns/topicSubscription:TopicSubscription").map((s) => [
        s.inputs.topic,
        s.inputs.protocol,
        s.inputs.endpoint,
      ]),
      [[TOPIC, "email", "sre-jp@example.jp"]],
    );
  });

  it("checks the certificates the hosts serve for each public name, in the uptime project", () => {
    // The uptime project is the GKE project: its provider, which waits for its APIs (Monitoring's
    // among them), is used, and Monitoring's API is not enabled a second time.
    const provider = named(plan, "jp-gke-gcp");
    assert.equal(provider.inputs.project, "example-jp-prod");
    assert.deepEqual(
      ofType(plan, "gcp:projects/service:Service")
        .filter((s) => s.inputs.service === "monitoring.googleapis.com")
        .map((s) => s.name),
      ["jp-gke-api-monitoring"],
    );
    const checks = ofType(plan, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").filter((c) =>
      c.name.startsWith("jp-alerts-uptime-"),
    );
    assert.deepEqual(
      checks.map((c) => [c.name, (c.inputs.monitoredResource as { labels: unknown }).labels]),
      [
        ["jp-alerts-uptime-apex", { project_id: "example-jp-prod", host: "example.jp" }],
        ["jp-alerts-uptime-www", { project_id: "example-jp-prod", host: "www.example.jp" }],
      ],
    );
    for (const check of checks) {
      assert.deepEqual(check.inputs.httpCheck, {
        requestMethod: "GET",
        path: "/healthz",
        port: 443,
        useSsl: true,
        validateSsl: true,
      });
    }
    assert.deepEqual(
      ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel").map((c) => [
        c.name,
        c.inputs.type,
        c.inputs.labels,
      ]),
      [["jp-alerts-channels-email-1", "email", { email_address: "sre-jp@example.jp" }]],
    );
    assert.deepEqual(policyShape(named(plan, "jp-alerts-front-certificate")), {
      name: "multicloud-jp-front-certificate",
      filter:
        'metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND resource.type="uptime_url" AND metric.label.check_id=one_of("jp-alerts-uptime-apex-id","jp-alerts-uptime-www-id")',
      aggregations: ["1200s ALIGN_NEXT_OLDER REDUCE_MIN by resource.label.host"],
      when: "COMPARISON_LT 21 for 600s",
      missing: "EVALUATION_MISSING_DATA_INACTIVE",
      severity: "ERROR",
      channels: ["jp-alerts-channels-email-1-id"],
    });
    for (const resource of [
      ...checks,
      ...ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy"),
      ...ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel"),
    ]) {
      assert.equal(resource.provider, provider.urn, resource.name);
    }
  });
});
