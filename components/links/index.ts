// The region's private links, built from the spec's `links`: the VPN to the region's GKE network
// (HA VPN with BGP from AWS, IKEv1 from a Sakura VPC router). Hybrid and external links are
// inventory: ordered or built outside this program, they have no resources, only rules.
import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import type * as aws from "../sdk/aws";
import type * as gcp from "../sdk/gcp";
import type * as k8s from "../sdk/kubernetes";
import { fixedHosts, networkLayout } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import { awsTags, gcpLabels } from "../tags";
import { AwsGkeHaVpn } from "./aws-gke-ha-vpn";
import { clusterLinks, linkOpenings } from "./openings";
import { SakuraGkeIpsec } from "./sakura-gke-ipsec";

export { AwsGkeHaVpn } from "./aws-gke-ha-vpn";
export { SakuraGkeIpsec } from "./sakura-gke-ipsec";

export interface RegionLinksArgs {
  readonly spec: RegionSpec;
  readonly keyProvider: random.Provider;
  /** The AWS site's end: its provider, VPC and the hosts' route tables. */
  readonly aws?: {
    readonly provider: aws.Provider;
    readonly vpcId: pulumi.Input<string>;
    readonly routeTableIds: readonly pulumi.Input<string>[];
  };
  /** The Sakura site's end: the region's switch. */
  readonly sakura?: { readonly switchId: pulumi.Input<string> };
  /** The cluster's end: its network and providers. */
  readonly gke?: {
    readonly gcpProvider: gcp.Provider;
    readonly k8sProvider: k8s.Provider;
    readonly networkId: pulumi.Input<string>;
  };
}

export class RegionLinks extends pulumi.ComponentResource {
  constructor(name: string, args: RegionLinksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:links:Links", name, {}, opts);
    const { spec } = args;
    const gke = spec.gke;
    for (const link of clusterLinks(spec)) {
      const end = args.gke;
      if (!gke || !end) throw new Error(`link ${link.name}: the region builds no GKE cluster`);
      const baseName = `${spec.name}-link-${link.name}`;
      const onGcp = {
        provider: end.gcpProvider,
        region: gke.region,
        networkId: end.networkId,
        labels: gcpLabels(spec, { component: "links", link: link.name }),
      };
      if (link.kind === "haVpn") {
        if (!args.aws) throw new Error(`link ${link.name}: the region has no AWS site`);
        new AwsGkeHaVpn(
          `${name}-${link.name}`,
          {
            link,
            baseName,
            awsNamePrefix: `multicloud-${spec.name}`,
            aws: args.aws,
            gcp: onGcp,
            keyProvider: args.keyProvider,
          },
          { parent: this },
        );
      } else if (link.kind === "ipsecVpn" && spec.cloud === "sakura") {
        if (!args.sakura) throw new Error(`link ${link.name}: the region has no Sakura site`);
        const openings = linkOpenings(spec).filter((opening) => opening.link === link.name);
        const roles = new Set(openings.map((opening) => opening.role));
        const servingHosts = fixedHosts(spec)
          .filter((host) => roles.has(host.role))
          .map((host) => ({ role: host.role, name: host.name, address: host.address }));
        new SakuraGkeIpsec(
          `${name}-${link.name}`,
          {
            link,
            baseName,
            sakura: {
              zone: spec.sakura.zone,
              switchId: args.sakura.switchId,
              networkMaskLen: networkLayout(spec).network.prefix,
              tags: Object.entries(awsTags(spec, { link: link.name })).map(
                ([key, value]) => `${key}=${value}`,
              ),
              servingHosts,
              openings,
            },
            gcp: onGcp,
            gke: {
              provider: end.k8sProvider,
              clusterRanges: [gke.network.nodes, gke.network.pods, gke.network.services],
            },
            keyProvider: args.keyProvider,
          },
          { parent: this },
        );
      }
    }
    this.registerOutputs({});
  }
}
