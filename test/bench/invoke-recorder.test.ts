// The plan child's record of the program's data-source calls, which the floor makes again: each
// call's token, arguments and provider (named by the plan's URN), the engine's own reads left out.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordInvokes } from "../../bench/children/invoke-recorder";

const MOCK_PROVIDER = "urn:pulumi:uk::multicloud::pulumi:providers:gcp::uk-gcp";
const PLAN_PROVIDER =
  "urn:pulumi:uk::multicloud::multicloud:index:Region$multicloud:gcp:Site$pulumi:providers:gcp::uk-gcp";

function request(token: string, args: Record<string, unknown>, provider: string) {
  return {
    getTok: () => token,
    getArgs: () => ({ toJavaScript: () => args }),
    getProvider: () => provider,
  };
}

describe("the plan child's invoke recorder", () => {
  it("records each call with its provider in the plan's form, and passes it on unchanged", async () => {
    const passed: string[] = [];
    class Monitor {
      engineUrnOf(urn: string): string {
        assert.equal(urn, MOCK_PROVIDER);
        return PLAN_PROVIDER;
      }
      async invoke(req: { getTok(): string }, _callback: unknown): Promise<void> {
        passed.push(req.getTok());
      }
    }
    const recorder = recordInvokes(Monitor.prototype);
    const monitor = new Monitor();
    const args = { project: "example-uk-prod", service: "compute.googleapis.com" };
    const token = "gcp:projects/getProjectService:getProjectService";
    await monitor.invoke(request(token, args, `${MOCK_PROVIDER}::provider-id`), undefined);
    await monitor.invoke(request("pulumi:pulumi:getResource", { urn: "x" }, ""), undefined);
    await monitor.invoke(request("aws:index/getPartition:getPartition", {}, ""), undefined);
    assert.deepEqual(passed, [
      token,
      "pulumi:pulumi:getResource",
      "aws:index/getPartition:getPartition",
    ]);
    assert.deepEqual(recorder.inPlanForm(), [
      { token, args, provider: PLAN_PROVIDER },
      { token: "aws:index/getPartition:getPartition", args: {} },
    ]);
  });
});
