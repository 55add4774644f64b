// Whether an API was on before the run, read from the provider's data source. Only the exact id
// the data source gives an enabled service counts as on (terraform-provider-google's
// data_source_google_project_service.go sets "{{project}}/{{service}}"; for a service not in
// Service Usage's enabled list its Read clears the id, and the bridge then answers `{}`). Any other
// answer, a failed call included, counts as off, so the run waits as in a new project. The
// enabling is sent only after the answer, which could otherwise see this run's own enabling.
import assert from "node:assert/strict";
import { before, describe, it, mock } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { enableGoogleApi } from "../../components/gcp/api-wait";
import * as gcp from "../../components/sdk/gcp";
import { waitForRegistrations } from "../support/mocks";

const PROJECT = "example-uk-prod";
const GET_SERVICE = "gcp:projects/getProjectService:getProjectService";

/** The data source's answer per service, as each case below needs it. */
const answers: Record<string, () => Record<string, unknown>> = {
  "compute.googleapis.com": () => ({ id: `${PROJECT}/compute.googleapis.com` }),
  "dns.googleapis.com": () => ({}),
  "iam.googleapis.com": () => ({ id: `projects/${PROJECT}/iam.googleapis.com` }),
  "storage.googleapis.com": () => {
    throw new Error("googleapi: Error 403: Permission denied to list services");
  },
};

const events: string[] = [];
const waits = new Map<string, Record<string, unknown>>();

/** What the program warned of (the SDK prints warnings to the console under mocks). */
const warnings: string[] = [];

describe("an API's state before the run", () => {
  before(async () => {
    mock.method(console, "warn", (message: unknown) => {
      warnings.push(String(message));
    });
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (args.type === "gcp:projects/service:Service")
            events.push(`enable ${args.inputs.service}`);
          if (args.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait")
            waits.set(String(args.inputs.service), args.inputs);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        // Each answer takes a while, as a call to the cloud does.
        call: async (args) => {
          if (args.token !== GET_SERVICE) throw new Error(`unexpected invoke ${args.token}`);
          const service = String(args.inputs.service);
          await new Promise((done) => setTimeout(done, 20));
          events.push(`answered ${service}`);
          const answer = answers[service];
          if (!answer) throw new Error(`no answer for ${service}`);
          return answer();
        },
      },
      "multicloud",
      "test",
    );
    await pulumi.runtime.runInPulumiStack(async () => {
      const parent = new pulumi.ComponentResource("test:index:Site", "site");
      const provider = new gcp.Provider("site-gcp", { project: PROJECT }, { parent });
      for (const service of Object.keys(answers)) {
        enableGoogleApi(
          `site-api-${service.split(".")[0]}`,
          { project: PROJECT, service, seconds: 60 },
          { parent, provider },
        );
      }
      return {};
    });
    await waitForRegistrations();
  });

  it("counts only the exact id of an enabled service as on", () => {
    const enabledBefore = Object.fromEntries(
      Object.keys(answers).map((service) => [service, waits.get(service)?.enabledBefore]),
    );
    assert.deepEqual(enabledBefore, {
      "compute.googleapis.com": true,
      "dns.googleapis.com": false,
      "iam.googleapis.com": false,
      "storage.googleapis.com": false,
    });
  });

  it("warns of a call that failed, and of nothing else", () => {
    // The SDK's mock monitor passes on no message of the failed call; the engine does.
    assert.deepEqual(warnings, [
      `warning: [runtime] could not read whether storage.googleapis.com is on in ${PROJECT}: ` +
        "what is created through it waits after enabling it, as in a new project",
    ]);
  });

  it("enables an API only once the answer is in, for every API", () => {
    for (const service of Object.keys(answers)) {
      const asked = events.indexOf(`answered ${service}`);
      const enabled = events.indexOf(`enable ${service}`);
      assert.ok(asked >= 0 && enabled > asked, `${service}: ${events.join(", ")}`);
    }
  });
});
