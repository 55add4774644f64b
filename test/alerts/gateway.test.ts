// The GKE API gateway's alerts in the jp and us plans: the gateway is a public front of its own,
// served with a Certificate Manager certificate. An HTTPS uptime check of its public name pages when
// it fails from more than one place and when its certificate is close to expiry; on us (no other
// Cloud Monitoring alerts) the region's channel is made in the GKE project, on jp the region's
// channel in its uptime project is shared.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { named, ofType, planOf, policyShape } from "./support";

const CASES = [
  { stack: "jp", host: "api.example.jp", project: "example-jp-prod", email: "sre-jp@example.jp" },
  { stack: "us", host: "api.example.com", project: "example-us-prod", email: "sre-us@example.com" },
] as const;

const plans: Partial<Record<string, Plan>> = {};
before(async () => {
  for (const { stack } of CASES) plans[stack] = await planOf(stack);
});

function planFor(stack: string): Plan {
  const plan = plans[stack];
  assert.ok(plan, `the ${stack} plan`);
  return plan;
}

for (const { stack, host, project, email } of CASES) {
  describe(`${stack}: the API gateway's alerts`, () => {
    it("checks the gateway's public name over HTTPS, validating its certificate", () => {
      const plan = planFor(stack);
      const check = named(plan, `${stack}-alerts-gateway-checks-api`);
      assert.deepEqual(
        [
          check.inputs.displayName,
          check.inputs.monitoredResource,
          check.inputs.httpCheck,
          check.inputs.period,
          check.inputs.checkerType,
        ],
        [
          `multicloud-${stack}-gateway-api`,
          { type: "uptime_url", labels: { project_id: project, host } },
          { requestMethod: "GET", path: "/healthz", port: 443, useSsl: true, validateSsl: true },
          "60s",
          "STATIC_IP_CHECKERS",
        ],
      );
      // The name checked is the one the gateway's certificate is issued for.
      assert.deepEqual(
        (named(plan, `${stack}-gke-edge-certificate`).inputs.managed as { domains: unknown })
          .domains,
        [host],
      );
    });

    it("pages when the gateway fails from more than one place, and when its certificate nears expiry", () => {
      const plan = planFor(stack);
      const channels = [`${stack}-alerts-channels-email-1-id`];
      const checkFilter = `metric.label.check_id=one_of("${stack}-alerts-gateway-checks-api-id")`;
      assert.deepEqual(policyShape(named(plan, `${stack}-alerts-gateway-uptime`)), {
        name: `multicloud-${stack}-gateway-uptime`,
        filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND ${checkFilter}`,
        aggregations: ["60s ALIGN_NEXT_OLDER REDUCE_COUNT_FALSE by resource.label.host"],
        when: "COMPARISON_GT 1 for 120s",
        missing: "EVALUATION_MISSING_DATA_INACTIVE",
        severity: "CRITICAL",
        channels,
      });
      assert.deepEqual(policyShape(named(plan, `${stack}-alerts-gateway-certificate`)), {
        name: `multicloud-${stack}-gateway-certificate`,
        filter: `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND resource.type="uptime_url" AND ${checkFilter}`,
        aggregations: ["1200s ALIGN_NEXT_OLDER REDUCE_MIN by resource.label.host"],
        when: "COMPARISON_LT 21 for 600s",
        missing: "EVALUATION_MISSING_DATA_INACTIVE",
        severity: "ERROR",
        channels,
      });
    });

    it("sends them to the region's one channel, all in the GKE project through its provider", () => {
      const plan = planFor(stack);
      const provider = named(plan, `${stack}-gke-gcp`);
      assert.equal(provider.inputs.project, project);
      const channels = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel");
      assert.deepEqual(
        channels.map((c) => [c.name, c.inputs.type, c.inputs.labels]),
        [[`${stack}-alerts-channels-email-1`, "email", { email_address: email }]],
      );
      const gatewayResources: PlannedResource[] = [
        ...channels,
        named(plan, `${stack}-alerts-gateway-checks-api`),
        named(plan, `${stack}-alerts-gateway-uptime`),
        named(plan, `${stack}-alerts-gateway-certificate`),
      ];
      for (const resource of gatewayResources) {
        assert.equal(resource.provider, provider.urn, resource.name);
      }
      // Cloud Monitoring's API is on in the running project: nothing waits for its enabling
      // (gateway-new-project.test.ts has the first up in a new project).
      const waits = new Set(
        plan.resources
          .filter((r) => r.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait")
          .map((r) => r.urn),
      );
      for (const resource of gatewayResources) {
        assert.deepEqual(
          resource.dependencies.filter((urn) => waits.has(urn)),
          [],
          `${resource.name} waits for an API that is on`,
        );
      }
    });
  });
}
