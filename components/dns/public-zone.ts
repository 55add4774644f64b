// The region's public hosted zone on Route53, with the records that belong at its apex.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

export interface PublicZoneArgs {
  /** The domain, e.g. example.com. */
  domain: string;
  /** Certificate authorities allowed to issue certificates for the domain (CAA `issue`). */
  caaIssuers: readonly string[];
  /** Where CAs report refused requests (CAA `iodef`). */
  iodefEmail: string;
  tags: Record<string, string>;
  /** Provider for Route53 (a global service; any region works). */
  provider: aws.Provider;
}

export class PublicZone extends pulumi.ComponentResource {
  readonly zoneId: pulumi.Output<string>;
  /** The name servers the registrar must delegate the domain to. */
  readonly nameServers: pulumi.Output<string[]>;

  constructor(name: string, args: PublicZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:dns:PublicZone", name, {}, opts);
    const zone = new aws.route53.Zone(
      `${name}-zone`,
      {
        name: args.domain,
        comment: `Public zone of ${args.domain}, managed by the multicloud program`,
        forceDestroy: false,
        tags: args.tags,
      },
      // A new zone gets new name servers: deleting it breaks the delegation, so it is protected.
      { parent: this, provider: args.provider, protect: true },
    );
    new aws.route53.Record(
      `${name}-caa`,
      {
        zoneId: zone.zoneId,
        name: args.domain,
        type: "CAA",
        ttl: 3600,
        records: caaRecords(args.caaIssuers, args.iodefEmail),
      },
      { parent: this, provider: args.provider },
    );
    this.zoneId = zone.zoneId;
    this.nameServers = zone.nameServers;
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
  }
}

/** Only the listed CAs may issue, none may issue wildcards, and refusals are reported. */
export function caaRecords(issuers: readonly string[], iodefEmail: string): string[] {
  return [
    ...issuers.map((issuer) => `0 issue "${issuer}"`),
    `0 issuewild ";"`,
    `0 iodef "mailto:${iodefEmail}"`,
  ];
}
