// alerts in the stack file: required, with at least one address; each mistake is one line that
// names the file and the key and says what is expected.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec } from "../../components/spec/load";
import { noSecretsInStackFile } from "../../policy/rules/stack-file";
import { rawRegion, type StackName } from "../support/stacks";

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into parsed YAML
type Raw = Record<string, any>;

function problems(stack: StackName, mutate: (raw: Raw) => void): string[] {
  const raw = rawRegion(stack);
  mutate(raw);
  try {
    parseRegionSpec(raw, `Pulumi.${stack}.yaml`);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split("\n");
  }
}

describe("alerts in the spec", () => {
  it("is required: a region that tells nobody is refused", () => {
    assert.deepEqual(
      problems("us", (r) => {
        delete r.alerts;
      }),
      [
        "Pulumi.us.yaml: multicloud:region.alerts is missing: expected { email: [addresses] }: every region says who is told when something would page an operator",
      ],
    );
  });

  it("takes at least one address, each an e-mail address", () => {
    assert.deepEqual(
      problems("uk", (r) => {
        r.alerts.email = [];
      }),
      [
        "Pulumi.uk.yaml: multicloud:region.alerts.email = []: expected at least one address: an alert nobody receives pages nobody",
      ],
    );
    assert.deepEqual(
      problems("us", (r) => {
        r.alerts.email = ["sre-us@example.com", "on call"];
      }),
      [
        'Pulumi.us.yaml: multicloud:region.alerts.email[1] = "on call": expected an e-mail address such as sre@example.com (its domain in lower case)',
      ],
    );
  });

  it("says where a Sakura front's certificates are checked, and only there", () => {
    assert.deepEqual(
      problems("jp", (r) => {
        delete r.alerts.uptimeProject;
        delete r.gke;
        // The GKE VPN link goes with the cluster; the dedicated servers' link stays.
        r.links = (r.links as { name: string }[]).filter((link) => link.name !== "gke");
      }),
      [
        "Pulumi.jp.yaml: multicloud:region.alerts.uptimeProject is missing: expected a GCP project: the front's certificates are checked by Cloud Monitoring uptime checks, and the region has no gke.project to run them in",
      ],
    );
    // With a GKE project, that is where they run.
    assert.deepEqual(
      problems("jp", (r) => {
        delete r.alerts.uptimeProject;
      }),
      [],
    );
    assert.deepEqual(
      problems("us", (r) => {
        r.alerts.uptimeProject = "example-us-prod";
      }),
      [
        "Pulumi.us.yaml: multicloud:region.alerts.uptimeProject = \"example-us-prod\": expected no uptimeProject: on aws the certificate's expiry is ACM's own metric",
      ],
    );
    assert.deepEqual(
      problems("uk", (r) => {
        r.alerts.uptimeProject = "example-uk-prod";
      }),
      [
        'Pulumi.uk.yaml: multicloud:region.alerts.uptimeProject = "example-uk-prod": expected no uptimeProject: on gcp the uptime checks run in gcp.project',
      ],
    );
  });

  it("keeps the certificate threshold under the renewals' 30 days, and the others in range", () => {
    assert.deepEqual(
      problems("us", (r) => {
        r.alerts.thresholds = { certificateDays: 30, errorRatePercent: 0 };
      }),
      [
        "Pulumi.us.yaml: multicloud:region.alerts.thresholds.certificateDays = 30: expected a whole number from 7 to 29",
        "Pulumi.us.yaml: multicloud:region.alerts.thresholds.errorRatePercent = 0: expected a whole number from 1 to 50",
      ],
    );
  });

  it("fills the defaults a team expects", () => {
    const raw = rawRegion("uk");
    const spec = parseRegionSpec(raw, "Pulumi.uk.yaml");
    assert.deepEqual(spec.alerts, {
      email: ["sre-uk@example.co.uk"],
      pagerDuty: false,
      thresholds: {
        certificateDays: 21,
        rdsFreeStoragePercent: 5,
        replicaLagSeconds: 300,
        errorRatePercent: 5,
      },
    });
  });

  it("keeps PagerDuty's integration keys out of the stack file in clear", () => {
    assert.deepEqual(
      noSecretsInStackFile.validate("Pulumi.us.yaml", [
        { key: "multicloud:pagerDutyCloudWatchKey", value: "0123abcd", secret: false },
        {
          key: "multicloud:pagerDutyCloudMonitoringKey",
          value: { secure: "v1:AAAA" },
          secret: true,
        },
      ]),
      [
        "Pulumi.us.yaml: multicloud:pagerDutyCloudWatchKey holds a PagerDuty integration key in clear: expected it encrypted (pulumi config set --secret multicloud:pagerDutyCloudWatchKey)",
      ],
    );
  });
});
