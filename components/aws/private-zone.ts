// The region's internal zone (`local.`) as a Route53 private zone on the VPC: every fixed host
// and role by name, and each RDS database as `<name>-db`. Hosts' unbound forwards the zone to the
// VPC resolver, which answers from here.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { InternalRecord } from "../spec/internal-zone";
import type { AwsRegionSpec } from "../spec/schema";
import { qualify } from "./dns-names";

export interface PrivateZoneArgs {
  /** The region: zone name (dns.internalDomain) and VPC region. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  vpcId: pulumi.Input<string>;
  /** Host and role records (internalRecords of the fixed hosts). */
  records: readonly InternalRecord[];
  /** Names whose target is known only once created (databases), as CNAMEs. */
  aliases?: readonly { name: string; target: pulumi.Input<string> }[];
  /** TTL of every record, seconds. Default 60: hosts replaced by hand show up quickly. */
  ttl?: number;
}

export class PrivateZone extends pulumi.ComponentResource {
  public readonly zoneId: pulumi.Output<string>;
  public readonly zoneName: string;

  constructor(name: string, args: PrivateZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:PrivateZone", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const ttl = args.ttl ?? 60;
    this.zoneName = spec.dns.internalDomain;

    const zone = new aws.route53.Zone(
      `${name}-zone`,
      {
        name: this.zoneName,
        comment: `Internal names of region ${spec.name}`,
        vpcs: [{ vpcId: args.vpcId, vpcRegion: spec.aws.region }],
        forceDestroy: false,
        tags: { Name: `multicloud-${spec.name}-${this.zoneName}` },
      },
      { ...children, protect: true },
    );

    for (const record of args.records) {
      new aws.route53.Record(
        `${name}-${record.name}-${record.type.toLowerCase()}`,
        {
          zoneId: zone.zoneId,
          name: qualify(record.name, this.zoneName),
          type: record.type,
          ttl,
          records: [...record.values],
        },
        children,
      );
    }
    for (const alias of args.aliases ?? []) {
      new aws.route53.Record(
        `${name}-${alias.name}-cname`,
        {
          zoneId: zone.zoneId,
          name: qualify(alias.name, this.zoneName),
          type: "CNAME",
          ttl,
          records: [alias.target],
        },
        children,
      );
    }
    this.zoneId = zone.zoneId;
    this.registerOutputs({ zoneId: this.zoneId, zoneName: this.zoneName });
  }
}
