// Cloud Monitoring uptime checks of public names over HTTPS, validating the certificate: they see
// a front (the site's, or the GKE API gateway) as a visitor does, from several places, and measure
// how long the certificate each name is served with has left. The policies page when a name fails
// from more than one place, and when its certificate is close to expiry (a renewal that failed).
import * as pulumi from "@pulumi/pulumi";
import type { PublicName } from "../../gcp/public-names";
import * as gcp from "../../sdk/gcp";
import { dependsOnAll, type Waits } from "../../sdk/waits";
import { lastSegment, type PolicyDefinition } from "./policy";

/** What a set of checks watches: the site's front, or the GKE API gateway. */
export interface UptimeSubject {
  /** In the names: multicloud-<region>-<watch>-<name key>, policies multicloud-<region>-<watch>-uptime. */
  readonly watch: "front" | "gateway";
  /** In the policies' words. */
  readonly what: string;
}

export const FRONT: UptimeSubject = { watch: "front", what: "the front" };
export const API_GATEWAY: UptimeSubject = { watch: "gateway", what: "the API gateway (GKE)" };

export interface UptimeChecksArgs {
  readonly region: string;
  readonly subject: UptimeSubject;
  readonly project: string;
  readonly names: readonly PublicName[];
  readonly path: string;
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
  readonly dependsOn: Waits;
}

export class UptimeChecks extends pulumi.ComponentResource {
  /** The checks' ids, as their metrics label them (check_id). */
  readonly checkIds: pulumi.Output<string>[];

  constructor(name: string, args: UptimeChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:alerts:UptimeChecks", name, {}, opts);
    this.checkIds = args.names.map((publicName) => {
      const check = new gcp.monitoring.UptimeCheckConfig(
        `${name}-${publicName.key}`,
        {
          displayName: `multicloud-${args.region}-${args.subject.watch}-${publicName.key}`,
          monitoredResource: {
            type: "uptime_url",
            labels: { project_id: args.project, host: publicName.fqdn },
          },
          httpCheck: {
            requestMethod: "GET",
            path: args.path,
            port: 443,
            useSsl: true,
            validateSsl: true,
          },
          checkerType: "STATIC_IP_CHECKERS",
          period: "60s",
          timeout: "10s",
          userLabels: args.labels,
        },
        { parent: this, provider: args.provider, dependsOn: dependsOnAll(args.dependsOn) },
      );
      // The id is projects/<p>/uptimeCheckConfigs/<check id>.
      return lastSegment(check.id);
    });
    this.registerOutputs({ checkIds: this.checkIds });
  }
}

/** A filter term matching any of the checks. */
function checkIdFilter(checkIds: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi
    .all([...checkIds])
    .apply((ids) => `metric.label.check_id=one_of(${ids.map((id) => `"${id}"`).join(",")})`);
}

export function uptimePolicy(
  subject: UptimeSubject,
  checkIds: readonly pulumi.Input<string>[],
): PolicyDefinition {
  return {
    watch: `${subject.watch}-uptime`,
    conditionName: "A public name fails its HTTPS check from more than one place",
    condition: {
      filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND ${checkIdFilter(checkIds)}`,
      aggregations: [
        {
          alignmentPeriod: "60s",
          perSeriesAligner: "ALIGN_NEXT_OLDER",
          crossSeriesReducer: "REDUCE_COUNT_FALSE",
          groupByFields: ["resource.label.host"],
        },
      ],
      comparison: "COMPARISON_GT",
      thresholdValue: 1,
      duration: "120s",
      // The checks run every minute; when they stop reporting there is nothing to judge.
      evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
      trigger: { count: 1 },
    },
    documentation: `A public name of ${subject.what} has failed its HTTPS uptime check (TLS, status or timeout) from more than one checker location for 2 minutes: visitors cannot reach it.`,
    severity: "CRITICAL",
  };
}

export function certificatePolicy(
  subject: UptimeSubject,
  checkIds: readonly pulumi.Input<string>[],
  certificateDays: number,
): PolicyDefinition {
  return {
    watch: `${subject.watch}-certificate`,
    conditionName: `A public name's certificate expires in fewer than ${certificateDays} days`,
    condition: {
      filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND resource.type="uptime_url" AND ${checkIdFilter(checkIds)}`,
      aggregations: [
        {
          alignmentPeriod: "1200s",
          perSeriesAligner: "ALIGN_NEXT_OLDER",
          crossSeriesReducer: "REDUCE_MIN",
          groupByFields: ["resource.label.host"],
        },
      ],
      comparison: "COMPARISON_LT",
      thresholdValue: certificateDays,
      duration: "600s",
      evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
      trigger: { count: 1 },
    },
    documentation: `The certificate a public name of ${subject.what} is served with expires in fewer than ${certificateDays} days: its automatic renewal has failed (Certificate Manager's DNS authorization, or the hosts' ACME client).`,
    severity: "ERROR",
  };
}
