// A whole region, built from its spec: what every cloud shares (public DNS), and the cloud site.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PublicZone } from "./dns/public-zone";
import type { RegionSpec } from "./spec/schema";
import { awsTags } from "./tags";

export interface RegionArgs {
  spec: RegionSpec;
}

export class Region extends pulumi.ComponentResource {
  readonly publicZoneId: pulumi.Output<string>;
  readonly nameServers: pulumi.Output<string[]>;

  constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:index:Region", name, {}, opts);
    const { spec } = args;
    // Route53 is global; its API lives in us-east-1 whatever the region's own cloud is.
    const dnsProvider = new aws.Provider(
      `${name}-dns`,
      { region: "us-east-1", defaultTags: { tags: awsTags(spec) } },
      { parent: this },
    );
    const zone = new PublicZone(
      `${name}-public`,
      {
        domain: spec.domain,
        caaIssuers: spec.dns.caaIssuers,
        iodefEmail: `hostmaster@${spec.domain}`,
        tags: awsTags(spec, { Name: spec.domain }),
        provider: dnsProvider,
      },
      { parent: this },
    );
    this.publicZoneId = zone.zoneId;
    this.nameServers = zone.nameServers;
    this.registerOutputs({ publicZoneId: this.publicZoneId, nameServers: this.nameServers });
  }
}
