// One Cloud Monitoring alert policy, named for what it watches, sent to every channel of the
// region. Every condition states how it treats data that stops arriving.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../../sdk/gcp";
import { dependsOnAll, type Waits } from "../../sdk/waits";

type Threshold = gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold;

export interface PolicyDefinition {
  /** What it watches, e.g. "front-5xx": the policy is multicloud-<region>-<watch>. */
  readonly watch: string;
  /** The condition in people's words (the incident's title). */
  readonly conditionName: string;
  readonly condition: Threshold;
  /** What firing means and what to look at first (Markdown, sent with the notification). */
  readonly documentation: string;
  readonly severity: "CRITICAL" | "ERROR" | "WARNING";
}

export interface PolicyTarget {
  readonly region: string;
  readonly channelIds: pulumi.Input<string>[];
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
  readonly parent: pulumi.Resource;
  /** Pulumi name prefix (the component's name). */
  readonly prefix: string;
  /** The APIs, and the metrics a policy reads that must exist before it (custom, log-based). */
  readonly dependsOn: Waits;
}

export function policyName(region: string, watch: string): string {
  return `multicloud-${region}-${watch}`;
}

/** The policy's inputs: pure, so tests read exactly what is sent. */
export function policyArgs(
  definition: PolicyDefinition,
  target: Pick<PolicyTarget, "region" | "channelIds" | "labels">,
): gcp.monitoring.AlertPolicyArgs {
  return {
    displayName: policyName(target.region, definition.watch),
    combiner: "OR",
    conditions: [
      { displayName: definition.conditionName, conditionThreshold: definition.condition },
    ],
    notificationChannels: target.channelIds,
    severity: definition.severity,
    documentation: { content: definition.documentation, mimeType: "text/markdown" },
    userLabels: target.labels,
    enabled: true,
  };
}

export function alertPolicy(
  definition: PolicyDefinition,
  target: PolicyTarget,
  extraDependsOn: readonly pulumi.Resource[] = [],
): gcp.monitoring.AlertPolicy {
  return new gcp.monitoring.AlertPolicy(
    `${target.prefix}-${definition.watch}`,
    policyArgs(definition, target),
    {
      parent: target.parent,
      provider: target.provider,
      dependsOn: dependsOnAll(target.dependsOn, extraDependsOn),
    },
  );
}

/** The last part of a GCP resource's id (projects/<p>/global/urlMaps/<name> -> <name>). */
export function lastSegment(id: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(id).apply((value) => value.split("/").at(-1) ?? value);
}
