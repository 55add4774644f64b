// PagerDuty integration keys: config secrets that `pulumi up` needs when the spec pages through
// PagerDuty; a preview goes without them, as it goes without the SSH deploy key.
import * as pulumi from "@pulumi/pulumi";

/** The config keys (namespace multicloud) and the PagerDuty integration each holds. */
export const PAGERDUTY_KEYS = {
  cloudWatch: {
    config: "pagerDutyCloudWatchKey",
    integration: 'the integration key of a PagerDuty "Amazon CloudWatch" integration',
  },
  cloudMonitoring: {
    config: "pagerDutyCloudMonitoringKey",
    integration: "the integration key PagerDuty gives Cloud Monitoring",
  },
} as const;

export type PagerDutyTarget = keyof typeof PAGERDUTY_KEYS;

/** The keys as the program read them from config (either may be absent). */
export type PagerDutyKeys = Partial<Record<PagerDutyTarget, pulumi.Input<string>>>;

/** The key a target needs: given, or unknown in a preview, or an error naming what to set. */
export function pagerDutyKey(
  target: PagerDutyTarget,
  keys: PagerDutyKeys,
  stack: string,
): pulumi.Input<string> {
  const given = keys[target];
  if (given !== undefined) return given;
  if (pulumi.runtime.isDryRun()) return pulumi.secret(pulumi.unknown as unknown as string);
  const { config, integration } = PAGERDUTY_KEYS[target];
  throw new pulumi.RunError(
    `Pulumi.${stack}.yaml: multicloud:${config} is missing: alerts.pagerDuty pages through PagerDuty and the region has a target that needs ${integration}; set it with \`pulumi config set --secret multicloud:${config}\``,
  );
}
