// A region's Cloud Monitoring notification channels: one per address of the spec, and PagerDuty
// when the spec pages through it. Alert policies name them all.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../../sdk/gcp";
import { dependsOnAll, type Waits } from "../../sdk/waits";

export interface AlertChannelsArgs {
  readonly region: string;
  readonly emails: readonly string[];
  /** The integration key of PagerDuty's Cloud Monitoring integration, when the spec pages through it. */
  readonly pagerDutyKey?: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
  readonly dependsOn: Waits;
}

export class AlertChannels extends pulumi.ComponentResource {
  /** Channel ids (projects/<p>/notificationChannels/<id>), as alert policies name them. */
  readonly channelIds: pulumi.Output<string>[];

  constructor(name: string, args: AlertChannelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:alerts:Channels", name, {}, opts);
    const children = {
      parent: this,
      provider: args.provider,
      dependsOn: dependsOnAll(args.dependsOn),
    };
    const channels = args.emails.map(
      (address, index) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${index + 1}`,
          {
            displayName: `multicloud ${args.region} alerts: ${address}`,
            type: "email",
            labels: { email_address: address },
            userLabels: args.labels,
            // A channel still named by a policy is not deleted behind its back.
            forceDelete: false,
          },
          children,
        ),
    );
    if (args.pagerDutyKey !== undefined) {
      channels.push(
        new gcp.monitoring.NotificationChannel(
          `${name}-pagerduty`,
          {
            displayName: `multicloud ${args.region} alerts: PagerDuty`,
            type: "pagerduty",
            sensitiveLabels: { serviceKey: pulumi.secret(args.pagerDutyKey) },
            userLabels: args.labels,
            forceDelete: false,
          },
          children,
        ),
      );
    }
    this.channelIds = channels.map((channel) => channel.id);
    this.registerOutputs({ channelIds: this.channelIds });
  }
}
