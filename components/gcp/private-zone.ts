// The region's internal zone (`local.` by default) as a private Cloud DNS zone bound to the VPC.
// Hosts' unbound forwards the zone to the metadata server's resolver (169.254.169.254), which
// answers from this zone.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import type { InternalRecord } from "../spec/internal-zone";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GcpPrivateZoneArgs extends GcpComponentArgs {
  /** The zone's name without the trailing dot: local. */
  readonly domain: string;
  /** The zone's resource name in the project, e.g. uk-internal. */
  readonly zoneName: string;
  /** The VPC that sees the zone. */
  readonly networkId: pulumi.Input<string>;
  /** Records relative to the zone (internalRecords(fixedHosts(...))). */
  readonly records: readonly InternalRecord[];
  /** Seconds resolvers keep an answer. Defaults to 60: host changes reach hosts quickly. */
  readonly ttl?: number;
  readonly labels?: Record<string, string>;
}

export class GcpPrivateZone extends pulumi.ComponentResource {
  readonly zone: gcp.dns.ManagedZone;
  readonly zoneName: pulumi.Output<string>;

  constructor(name: string, args: GcpPrivateZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:PrivateZone", name, {}, opts);
    const child = childOptions(this, args);
    const dnsName = `${args.domain}.`;

    this.zone = new gcp.dns.ManagedZone(
      `${name}-zone`,
      {
        name: args.zoneName,
        dnsName,
        description: `Internal zone ${dnsName} of the region's hosts`,
        visibility: "private",
        privateVisibilityConfig: { networks: [{ networkUrl: args.networkId }] },
        labels: args.labels,
      },
      { ...child, protect: true },
    );

    for (const record of args.records) {
      new gcp.dns.RecordSet(
        `${name}-${record.name}-${record.type.toLowerCase()}`,
        {
          managedZone: this.zone.name,
          name: `${record.name}.${dnsName}`,
          type: record.type,
          ttl: args.ttl ?? 60,
          rrdatas: [...record.values],
        },
        child,
      );
    }

    this.zoneName = this.zone.name;
    this.registerOutputs({ zoneName: this.zoneName });
  }
}
