// RegionAlerts built directly under the mocks, for what the stacks' plans do not show: a site in
// us-east-1 sharing one topic with Route53's alarms, the publishing grant attached to exactly the
// publishing roles, and PagerDuty as a subscriber of the SNS topic and a Cloud Monitoring channel.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { pagerDutyKey } from "../../components/alerts/pagerduty";
import { RegionAlerts } from "../../components/alerts/region-alerts";
import { parseRegionSpec } from "../../components/spec/load";
import { installMocks, runInStack } from "../support/mocks";
import { rawRegion } from "../support/stacks";

const rec = installMocks("test");

/** Pulumi's wire form of a secret: the value must travel as one. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
function secretValue(value: unknown): unknown {
  const envelope = value as Record<string, unknown>;
  assert.equal(envelope?.["4dabf18193072939515e22adb298388d"], SECRET_SIG, "sent as a secret");
  return envelope.value;
}

function specOf(stack: "us" | "jp") {
  const raw = rawRegion(stack);
  raw.name = `${stack}x`;
  (raw.alerts as Record<string, unknown>).pagerDuty = true;
  if (stack === "us") (raw.aws as Record<string, unknown>).region = "us-east-1";
  if (stack === "us") (raw.aws as Record<string, unknown>).zones = ["us-east-1a", "us-east-1b"];
  if (stack === "us") (raw.dr as Record<string, unknown>).backupLocation = "us-west-2";
  return parseRegionSpec(raw, `Pulumi.${stack}.yaml`);
}

before(async () => {
  await runInStack(() => {
    const dnsProvider = new aws.Provider("dns", { region: "us-east-1" });
    const siteProvider = new aws.Provider("site", { region: "us-east-1" });
    new RegionAlerts("usx-alerts", {
      spec: specOf("us"),
      dnsProvider,
      watch: {
        cloud: "aws",
        provider: siteProvider,
        awsRegion: "us-east-1",
        route53Checks: [{ subject: "failover", healthCheckId: "hc-1", what: "the front" }],
        loadBalancer: {
          loadBalancer: "app/front/1",
          targetGroup: "targetgroup/nginx/2",
          certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/c",
        },
        databases: [{ name: "accounts", identifier: "usx-accounts", storageGb: 100 }],
        instanceRoleNames: { util: "role-util", mysql: "role-mysql", app: "role-app" },
      },
      pagerDuty: { cloudWatch: pulumi.secret("cw-key-1") },
    });
    new RegionAlerts("jpx-alerts", {
      spec: specOf("jp"),
      dnsProvider,
      watch: { cloud: "sakura", route53Checks: [] },
      pagerDuty: {
        cloudWatch: pulumi.secret("cw-key-2"),
        cloudMonitoring: pulumi.secret("cm-key-2"),
      },
    });
  });
});

describe("RegionAlerts", () => {
  it("shares one topic between the site and Route53 when the site is in us-east-1", () => {
    const topics = rec.ofType("aws:sns/topic:Topic").filter((t) => t.name.startsWith("usx-"));
    assert.deepEqual(
      topics.map((t) => t.name),
      ["usx-alerts-us-east-1-topic"],
    );
    const actions = new Set(
      rec
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .filter((a) => a.name.startsWith("usx-"))
        .flatMap((a) => a.inputs.alarmActions as string[]),
    );
    assert.deepEqual(
      [...actions],
      ["arn:aws:mock:::aws:sns/topic:Topic/usx-alerts-us-east-1-topic"],
    );
  });

  it("lets exactly the util and MySQL roles publish signals", () => {
    assert.deepEqual(
      rec
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .map((p) => [p.name, p.inputs.role])
        .sort(),
      [
        ["usx-alerts-mysql-publish", "role-mysql"],
        ["usx-alerts-util-publish", "role-util"],
      ],
    );
  });

  it("subscribes PagerDuty's CloudWatch integration to every SNS topic, by its key", () => {
    const pagerDuty = rec
      .ofType("aws:sns/topicSubscription:TopicSubscription")
      .filter((s) => s.inputs.protocol === "https")
      .map((s) => [s.inputs.topic, secretValue(s.inputs.endpoint), s.inputs.endpointAutoConfirms])
      .sort();
    assert.deepEqual(pagerDuty, [
      [
        "arn:aws:mock:::aws:sns/topic:Topic/jpx-alerts-us-east-1-topic",
        "https://events.pagerduty.com/integration/cw-key-2/enqueue",
        true,
      ],
      [
        "arn:aws:mock:::aws:sns/topic:Topic/usx-alerts-us-east-1-topic",
        "https://events.pagerduty.com/integration/cw-key-1/enqueue",
        true,
      ],
    ]);
  });

  it("adds a PagerDuty channel beside the e-mail channel on Cloud Monitoring", () => {
    const channels = rec.ofType("gcp:monitoring/notificationChannel:NotificationChannel");
    assert.deepEqual(
      channels.map((c) => [c.name, c.inputs.type, c.inputs.labels]),
      [
        ["jpx-alerts-channels-email-1", "email", { email_address: "sre-jp@example.jp" }],
        ["jpx-alerts-channels-pagerduty", "pagerduty", undefined],
      ],
    );
    assert.deepEqual(
      secretValue(
        rec.get(
          "gcp:monitoring/notificationChannel:NotificationChannel",
          "jpx-alerts-channels-pagerduty",
        ).inputs.sensitiveLabels,
      ),
      { serviceKey: "cm-key-2" },
    );
    const policy = rec.get(
      "gcp:monitoring/alertPolicy:AlertPolicy",
      "jpx-alerts-front-certificate",
    );
    assert.deepEqual(policy.inputs.notificationChannels, [
      "jpx-alerts-channels-email-1-id",
      "jpx-alerts-channels-pagerduty-id",
    ]);
  });

  it("refuses a pulumi up without a PagerDuty key the region needs, naming the config key", () => {
    assert.throws(() => pagerDutyKey("cloudMonitoring", { cloudWatch: "k" }, "uk"), {
      message:
        "Pulumi.uk.yaml: multicloud:pagerDutyCloudMonitoringKey is missing: alerts.pagerDuty pages through PagerDuty and the region has a target that needs the integration key PagerDuty gives Cloud Monitoring; set it with `pulumi config set --secret multicloud:pagerDutyCloudMonitoringKey`",
    });
  });
});
