// The uk plan's alerts (GCP, Google Cloud Load Balancer front with a failover check, MySQL and
// Consul hosts): Cloud Monitoring policies sent to the region's channel, uptime checks that see
// the front and its certificates from outside, and Route53's check alarmed in us-east-1.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { alarmShape, alertsOf, awsRegionOf, named, ofType, planOf, policyShape } from "./support";

const CHANNELS = ["uk-alerts-channels-email-1-id"];
const VIRGINIA_TOPIC = "arn:aws:mock:::aws:sns/topic:Topic/uk-alerts-us-east-1-topic";
const CHECKS = 'metric.label.check_id=one_of("uk-alerts-uptime-apex-id","uk-alerts-uptime-www-id")';

let plan: Plan;
before(async () => {
  plan = await planOf("uk");
});

describe("uk: alerts", () => {
  it("holds exactly the alerts on its front, its databases and its Consul quorum", () => {
    assert.deepEqual([...alertsOf(plan).keys()].sort(), [
      "multicloud-uk-consul-leader",
      "multicloud-uk-front-5xx",
      "multicloud-uk-front-backend-health",
      "multicloud-uk-front-certificate",
      "multicloud-uk-front-failover-health",
      "multicloud-uk-front-uptime",
      "multicloud-uk-mysql-replica-lag",
      "multicloud-uk-mysql-replication",
    ]);
  });

  it("mails the spec's address through one Cloud Monitoring channel in the region's project", () => {
    const channels = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel");
    assert.deepEqual(
      channels.map((c) => [c.name, c.inputs.type, c.inputs.labels]),
      [["uk-alerts-channels-email-1", "email", { email_address: "sre-uk@example.co.uk" }]],
    );
    for (const resource of [
      ...channels,
      ...ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy"),
      ...ofType(plan, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"),
    ]) {
      const provider = plan.resources.find((p) => p.urn === resource.provider);
      assert.equal(provider?.inputs.project, "example-uk-prod", resource.name);
    }
  });

  it("checks each public name over HTTPS from outside, validating its certificate", () => {
    const checks = ofType(plan, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
    assert.deepEqual(
      checks.map((c) => [c.name, c.inputs.monitoredResource, c.inputs.httpCheck, c.inputs.period]),
      [
        [
          "uk-alerts-uptime-apex",
          { type: "uptime_url", labels: { project_id: "example-uk-prod", host: "example.co.uk" } },
          { requestMethod: "GET", path: "/healthz", port: 443, useSsl: true, validateSsl: true },
          "60s",
        ],
        [
          "uk-alerts-uptime-www",
          {
            type: "uptime_url",
            labels: { project_id: "example-uk-prod", host: "www.example.co.uk" },
          },
          { requestMethod: "GET", path: "/healthz", port: 443, useSsl: true, validateSsl: true },
          "60s",
        ],
      ],
    );
  });

  it("watches the front: uptime, certificate, 5xx ratio, unhealthy backends", () => {
    const policy = (name: string) => policyShape(named(plan, `uk-alerts-${name}`));
    assert.deepEqual(policy("front-uptime"), {
      name: "multicloud-uk-front-uptime",
      filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND ${CHECKS}`,
      aggregations: ["60s ALIGN_NEXT_OLDER REDUCE_COUNT_FALSE by resource.label.host"],
      when: "COMPARISON_GT 1 for 120s",
      missing: "EVALUATION_MISSING_DATA_INACTIVE",
      severity: "CRITICAL",
      channels: CHANNELS,
    });
    assert.deepEqual(policy("front-certificate"), {
      name: "multicloud-uk-front-certificate",
      filter: `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND resource.type="uptime_url" AND ${CHECKS}`,
      aggregations: ["1200s ALIGN_NEXT_OLDER REDUCE_MIN by resource.label.host"],
      when: "COMPARISON_LT 21 for 600s",
      missing: "EVALUATION_MISSING_DATA_INACTIVE",
      severity: "ERROR",
      channels: CHANNELS,
    });
    const requests =
      'metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="uk-gcp-lb-https-map-42acd61"';
    assert.deepEqual(policy("front-5xx"), {
      name: "multicloud-uk-front-5xx",
      filter: `${requests} AND metric.label.response_code_class=500`,
      denominator: requests,
      aggregations: ["60s ALIGN_RATE REDUCE_SUM"],
      when: "COMPARISON_GT 0.05 for 300s",
      missing: "EVALUATION_MISSING_DATA_INACTIVE",
      severity: "CRITICAL",
      channels: CHANNELS,
    });
    assert.deepEqual(policy("front-backend-health"), {
      name: "multicloud-uk-front-backend-health",
      filter:
        'metric.type="logging.googleapis.com/user/multicloud-uk-front-unhealthy-backends" AND resource.type="gce_instance_group"',
      aggregations: ["300s ALIGN_DELTA REDUCE_SUM"],
      when: "COMPARISON_GT 0 for 0s",
      missing: "(not set)",
      severity: "WARNING",
      channels: CHANNELS,
    });
    const metric = named(plan, "uk-alerts-front-unhealthy-backends");
    assert.equal(metric.type, "gcp:logging/metric:Metric");
    assert.deepEqual(
      [metric.inputs.name, metric.inputs.filter, metric.inputs.metricDescriptor],
      [
        "multicloud-uk-front-unhealthy-backends",
        'logName="projects/example-uk-prod/logs/compute.googleapis.com%2Fhealthchecks" AND resource.type="gce_instance_group" AND resource.labels.instance_group_name="uk-gcp-nginx-group" AND jsonPayload.healthCheckProbeResult.healthState="UNHEALTHY"',
        { metricKind: "DELTA", valueType: "INT64", unit: "1" },
      ],
    );
  });

  it("alarms on Route53's failover check in us-east-1, sent to the region's topic there", () => {
    const alarm = named(plan, "uk-alerts-front-failover-health");
    assert.deepEqual(alarmShape(alarm), {
      name: "multicloud-uk-front-failover-health",
      metric: "AWS/Route53 HealthCheckStatus Minimum/60s",
      dimensions: { HealthCheckId: "uk-gcp-lb-failover-health-id" },
      when: "LessThanThreshold 1, 3 of 3",
      missing: "breaching",
      alarm: [VIRGINIA_TOPIC],
      ok: [VIRGINIA_TOPIC],
    });
    assert.equal(awsRegionOf(plan, alarm), "us-east-1");
    const topic = named(plan, "uk-alerts-us-east-1-topic");
    assert.equal(awsRegionOf(plan, topic), "us-east-1");
    assert.equal(
      topic.inputs.kmsMasterKeyId,
      "arn:aws:mock:::aws:kms/key:Key/uk-alerts-us-east-1-key-key",
    );
    assert.deepEqual(
      ofType(plan, "aws:sns/topicSubscription:TopicSubscription").map((s) => [
        s.inputs.topic,
        s.inputs.protocol,
        s.inputs.endpoint,
      ]),
      [[VIRGINIA_TOPIC, "email", "sre-uk@example.co.uk"]],
    );
  });

  it("watches MySQL replication and the Consul quorum through the hosts' custom metrics", () => {
    const signal = (type: string) =>
      `metric.type="custom.googleapis.com/multicloud/${type}" AND resource.type="gce_instance" AND metric.label.region="uk"`;
    const maxOverHosts = ["60s ALIGN_MAX REDUCE_MAX by metric.label.region"];
    assert.deepEqual(policyShape(named(plan, "uk-alerts-consul-leader")), {
      name: "multicloud-uk-consul-leader",
      filter: signal("consul/leader"),
      aggregations: maxOverHosts,
      when: "COMPARISON_LT 1 for 180s",
      missing: "EVALUATION_MISSING_DATA_ACTIVE",
      severity: "CRITICAL",
      channels: CHANNELS,
    });
    assert.deepEqual(policyShape(named(plan, "uk-alerts-mysql-replication")), {
      name: "multicloud-uk-mysql-replication",
      filter: signal("mysql/replication_broken"),
      aggregations: maxOverHosts,
      when: "COMPARISON_GT 0 for 180s",
      missing: "EVALUATION_MISSING_DATA_ACTIVE",
      severity: "CRITICAL",
      channels: CHANNELS,
    });
    assert.deepEqual(policyShape(named(plan, "uk-alerts-mysql-replica-lag")), {
      name: "multicloud-uk-mysql-replica-lag",
      filter: signal("mysql/replica_lag"),
      aggregations: maxOverHosts,
      when: "COMPARISON_GT 300 for 300s",
      missing: "EVALUATION_MISSING_DATA_INACTIVE",
      severity: "ERROR",
      channels: CHANNELS,
    });
    // The metrics exist before the policies that read them (Cloud Monitoring refuses a policy on
    // a custom metric it does not know).
    const descriptors = ofType(plan, "gcp:monitoring/metricDescriptor:MetricDescriptor");
    assert.deepEqual(
      descriptors.map((d) => [
        d.inputs.type,
        d.inputs.metricKind,
        d.inputs.valueType,
        d.inputs.unit,
      ]),
      [
        ["custom.googleapis.com/multicloud/consul/leader", "GAUGE", "INT64", "1"],
        ["custom.googleapis.com/multicloud/mysql/replica_lag", "GAUGE", "DOUBLE", "s"],
        ["custom.googleapis.com/multicloud/mysql/replication_broken", "GAUGE", "INT64", "1"],
      ],
    );
    for (const [policy, descriptor] of [
      ["uk-alerts-consul-leader", "uk-alerts-consul-leader-metric"],
      ["uk-alerts-mysql-replication", "uk-alerts-mysql-replication-broken-metric"],
      ["uk-alerts-mysql-replica-lag", "uk-alerts-mysql-replica-lag-metric"],
    ]) {
      assert.ok(
        named(plan, policy ?? "").dependencies.includes(named(plan, descriptor ?? "").urn),
        `${policy} waits for ${descriptor}`,
      );
    }
  });
});
