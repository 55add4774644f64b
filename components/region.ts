// A whole region, built from its spec: public DNS (Route53), the Consul secrets, the host layer
// rendered once per role, the cloud's site, the GKE microservices where the spec has them, and
// the alerts on what the site runs, sent to the region's notification targets.
// Disaster recovery: every site keeps backups in another region, a rebuild of a lost region
// restores its databases from them (dr.restore) and serves the names from the existing zone.
//
// Built in phases, so that the engine starts work while the program still builds: the region
// registers itself, the Route53 provider and the public zone (which much else names) from modules
// that load little; the rest loads and is built after a turn of the event loop, which lets those
// first registrations go to the engine (region-build.ts, in parts with a turn between each).
// `ready` says when the whole region is built, or why it could not be.
import * as pulumi from "@pulumi/pulumi";
import type { PagerDutyKeys, RegionAlerts } from "./alerts";
import type { ChoconRelease } from "./artifacts/publish";
import { existingPublicZone, type ZoneReference } from "./dns/existing-zone";
import { PublicZone } from "./dns/public-zone";
import type { RoleArtifacts } from "./host";
import { nextTurn } from "./region-phases";
import * as aws from "./sdk/aws";
import type { Role } from "./spec/hosts";
import type { RegionSpec } from "./spec/schema";
import { awsTags } from "./tags";

export interface RegionArgs {
  spec: RegionSpec;
  /**
   * The private key that reaches Sakura hosts over SSH (a config secret). Required by `pulumi up`
   * on Sakura; a preview goes without it, since nothing connects during a preview.
   */
  sshPrivateKey?: pulumi.Input<string>;
  /**
   * The chocon build of this deploy (the artifacts workflow's): chocon hosts install it from the
   * region's artifact store and GKE runs its image. Unknown only in a preview run without it.
   */
  chocon: ChoconRelease;
  /** PagerDuty integration keys (config secrets), used when alerts.pagerDuty is true. */
  pagerDuty?: PagerDutyKeys;
}

/** What the region holds once it is built whole (`Region.ready`). */
export interface RegionBuilt {
  /** The rendered host files per role (pure data; written by the offline plan's --out). */
  readonly hosts: Partial<Record<Role, RoleArtifacts>>;
  /** What the site exposes that people ask for first: the front's address or name. */
  readonly front: pulumi.Output<unknown>;
  readonly gatewayHostname?: string;
  /** Where the region's backups are, for a rebuild elsewhere (the program's `drBackups`). */
  readonly backups: pulumi.Output<unknown>;
  /** The region's alerts and their notification targets. */
  readonly alerts: RegionAlerts;
}

/** The region's first resources, which the later parts build on. */
export interface RegionFirst {
  readonly dnsProvider: aws.Provider;
  readonly zone: ZoneReference;
}

export class Region extends pulumi.ComponentResource {
  readonly publicZoneId: pulumi.Output<string>;
  readonly nameServers: pulumi.Output<string[]>;
  /**
   * Resolves once every resource of the region has been constructed (the rest of the region,
   * built after the constructor returns); rejects with the error of the part that failed. A
   * program awaits it before it ends, or an error there would go unseen by the engine.
   */
  readonly ready: Promise<RegionBuilt>;

  constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:index:Region", name, {}, opts);
    const { spec } = args;
    // Route53 is global; its API lives in us-east-1 whatever the region's own cloud is.
    const dnsProvider = new aws.Provider(
      `${name}-dns`,
      { region: "us-east-1", defaultTags: { tags: awsTags(spec) } },
      { parent: this },
    );
    // A rebuild of another stack's region serves its names from that stack's zone.
    const zone = spec.dns.existingZone
      ? existingPublicZone(spec.domain, dnsProvider, this)
      : new PublicZone(
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
    this.ready = this.buildRest(name, args, { dnsProvider, zone });
  }

  /** The rest of the region, once the first registrations have had their turn. */
  private async buildRest(
    name: string,
    args: RegionArgs,
    first: RegionFirst,
  ): Promise<RegionBuilt> {
    await nextTurn();
    const { buildRegionRest } = await import("./region-build");
    const built = await buildRegionRest(this, name, args, first);
    this.registerOutputs({
      publicZoneId: this.publicZoneId,
      nameServers: this.nameServers,
      front: built.front,
      backups: built.backups,
    });
    return built;
  }
}
