// Alerts in the spec: who is told when something would page an operator, and the few thresholds
// a team tunes. Every region has alerts; what they watch follows from the rest of the spec.
import { z } from "zod";
import { intIn, strict, text } from "./primitives";

/** An e-mail address; the domain in lower case, as DNS compares it. */
const emailAddress = z
  .string({ error: "expected an e-mail address such as sre@example.com" })
  .max(254, { error: "expected an e-mail address of at most 254 characters", abort: true })
  .regex(/^[A-Za-z0-9._%+-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "expected an e-mail address such as sre@example.com (its domain in lower case)",
  });

export const ALERT_DEFAULTS = {
  certificateDays: 21,
  rdsFreeStoragePercent: 5,
  replicaLagSeconds: 300,
  errorRatePercent: 5,
} as const;

const alertsShape = {
  /** Every alert of the region, and its recovery, is sent to each of these addresses. */
  email: z
    .array(emailAddress, { error: "expected a list of e-mail addresses" })
    .min(1, { error: "expected at least one address: an alert nobody receives pages nobody" })
    .max(10, {
      error: "expected at most 10 addresses (a team list or a pager address scales better)",
    }),
  /**
   * Page through PagerDuty as well. Its integration keys are config secrets, never in the stack
   * file: multicloud:pagerDutyCloudWatchKey (an "Amazon CloudWatch" integration, for the SNS
   * topics) and multicloud:pagerDutyCloudMonitoringKey (for Cloud Monitoring), each where the
   * region has such a target.
   */
  pagerDuty: z.boolean({ error: "expected true or false" }).default(false),
  /**
   * Sakura regions: the GCP project whose Cloud Monitoring checks the certificates the front serves
   * (Route53 health checks do not look at certificates). Defaults to gke.project.
   */
  uptimeProject: text(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    "a GCP project id such as example-jp-prod",
  ).optional(),
  thresholds: strict({
    /** A served certificate this close to expiry pages: renewals run 30 days (ACME, Google) or more ahead. */
    certificateDays: intIn(7, 29).default(ALERT_DEFAULTS.certificateDays),
    /** An RDS database pages when its free storage falls under this share of aws.rds[].storageGb. */
    rdsFreeStoragePercent: intIn(1, 50).default(ALERT_DEFAULTS.rdsFreeStoragePercent),
    /** A self-run MySQL replica this far behind its primary pages. */
    replicaLagSeconds: intIn(30, 3600).default(ALERT_DEFAULTS.replicaLagSeconds),
    /** The front pages when this share of its requests fails with a 5xx over five minutes. */
    errorRatePercent: intIn(1, 50).default(ALERT_DEFAULTS.errorRatePercent),
  }).default({ ...ALERT_DEFAULTS }),
};

const alertKeys = Object.keys(alertsShape).join(", ");

/** Required: a region that tells nobody is refused, with what to write. */
export const alertsSchema = z.strictObject(alertsShape, {
  error: (issue) =>
    issue.code === "unrecognized_keys"
      ? `expected only the keys ${alertKeys}`
      : issue.input === undefined
        ? "expected { email: [addresses] }: every region says who is told when something would page an operator"
        : "expected a mapping (key: value pairs)",
});
export type AlertsSpec = z.output<typeof alertsSchema>;

type Path = (string | number)[];

/** The rules of alerts across keys: where the certificate checks of a Sakura front run. */
export function checkAlerts(
  spec: { cloud: string; alerts: AlertsSpec; gke?: { project: string } | undefined },
  report: (path: Path, message: string) => void,
): void {
  const project = spec.alerts.uptimeProject;
  if (spec.cloud === "sakura") {
    if (project === undefined && spec.gke === undefined) {
      report(
        ["alerts", "uptimeProject"],
        "expected a GCP project: the front's certificates are checked by Cloud Monitoring uptime checks, and the region has no gke.project to run them in",
      );
    }
    return;
  }
  if (project !== undefined) {
    report(
      ["alerts", "uptimeProject"],
      spec.cloud === "aws"
        ? "expected no uptimeProject: on aws the certificate's expiry is ACM's own metric"
        : "expected no uptimeProject: on gcp the uptime checks run in gcp.project",
    );
  }
}

/** The GCP project of a Sakura region's certificate checks (checkAlerts makes sure there is one). */
export function sakuraUptimeProject(spec: {
  name: string;
  alerts: AlertsSpec;
  gke?: { project: string } | undefined;
}): string {
  const project = spec.alerts.uptimeProject ?? spec.gke?.project;
  if (project === undefined) {
    throw new Error(
      `region ${spec.name}: no alerts.uptimeProject (checked earlier; this is a bug)`,
    );
  }
  return project;
}
