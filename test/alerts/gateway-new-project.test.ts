// us's first up in a new GKE project: the API gateway's alerts, made in that project, wait for
// Cloud Monitoring's API to be enabled and waited for, since none of its APIs is on yet.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { runPlan } from "../../tools/plan/run";
import { projectDir } from "../support/stacks";
import { named, ofType } from "./support";

describe("us: the API gateway's alerts in a new project", () => {
  let plan: Plan;
  before(async () => {
    plan = await runPlan({ projectDir, stack: "us", newProject: true });
  });

  it("wait for Cloud Monitoring's API, enabled and waited for", () => {
    const monitoringApi = named(plan, "us-gke-api-monitoring-wait");
    assert.equal(monitoringApi.inputs.service, "monitoring.googleapis.com");
    assert.equal(monitoringApi.inputs.enabledBefore, false);
    const gatewayResources = [
      ...ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel"),
      named(plan, "us-alerts-gateway-checks-api"),
      named(plan, "us-alerts-gateway-uptime"),
      named(plan, "us-alerts-gateway-certificate"),
    ];
    for (const resource of gatewayResources) {
      assert.ok(resource.dependencies.includes(monitoringApi.urn), `${resource.name} waits for it`);
    }
  });
});
