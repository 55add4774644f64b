import type {
  VpcRouterFirewallInputs,
  VpcRouterPlan,
  VpcRouterPrivateInterfaceInputs,
  VpcRouterPublicInterfaceInputs,
  VpcRouterSiteToSiteInputs,
  VpcRouterStaticRouteInputs,
  VpcRouterVpnParameterInputs,
} from "@multicloud/sakura-cloud";
import * as pulumi from "@pulumi/pulumi";
import { packagedProvider } from "./packaged";
import { defaultZone } from "./zone";

/** The public NIC on a switch+router (premium plan and up). Replaces, except `ipAliases`. */
export interface SakuraVpcRouterPublicInterfaceArgs {
  /** The switch+router's switch. */
  switchId: pulumi.Input<string>;
  /** Two of the switch+router's addresses, one per real router. */
  ipAddresses: pulumi.Input<pulumi.Input<string>[]>;
  /** A third address the pair shares by VRRP: the router's public address and the VPN's. */
  virtualIpAddress: pulumi.Input<string>;
  /** VRRP group, 1-255. */
  vrid: pulumi.Input<number>;
  /** More of the switch+router's addresses on the same NIC (at most 19). In place. */
  ipAliases?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A NIC eth1-eth7 on a switch. In place (the router is stopped while a NIC's switch changes). */
export interface SakuraVpcRouterPrivateInterfaceArgs {
  /** 1 to 7, once each. */
  index: pulumi.Input<number>;
  switchId: pulumi.Input<string>;
  /** One address on the standard plan; two (one per real router) on the others. */
  ipAddresses: pulumi.Input<pulumi.Input<string>[]>;
  /** Premium and up: the address the pair shares, which hosts use as their gateway. */
  virtualIpAddress?: pulumi.Input<string>;
  /** 16 to 29. */
  networkMaskLen: pulumi.Input<number>;
}

/** A network reached through a next hop on one of the private NICs' networks. */
export interface SakuraVpcRouterStaticRouteArgs {
  /** e.g. `172.16.0.0/16`. */
  prefix: pulumi.Input<string>;
  nextHop: pulumi.Input<string>;
}

/** One site-to-site IPsec (IKEv1, pre-shared key) peer. */
export interface SakuraVpcRouterSiteToSiteArgs {
  /** The peer gateway's public IPv4 address, e.g. a GCP VPN gateway's interface address. */
  peer: pulumi.Input<string>;
  /** The IKE identity the peer presents; usually `peer` again. */
  remoteId: pulumi.Input<string>;
  /** 1 to 40 letters, digits or underscores. Pass a secret (`pulumi.secret`, a RandomPassword). */
  preSharedSecret: pulumi.Input<string>;
  /** Networks behind the peer (/8 to /32), routed into the tunnel; none may overlap the router's own. */
  routes: pulumi.Input<pulumi.Input<string>[]>;
  /** Networks behind this router (/8 to /32) the peer may reach: each on a private NIC or a static route. */
  localPrefixes: pulumi.Input<pulumi.Input<string>[]>;
}

/** IKE/ESP parameters for every peer; defaults are Sakura's (aes128, sha1, modp1024, 28800/15/30/1800 s). */
export type SakuraVpcRouterVpnParametersArgs = {
  [K in keyof VpcRouterVpnParameterInputs]?: pulumi.Input<VpcRouterVpnParameterInputs[K]>;
};

/** A firewall rule; a field left out matches anything. */
export interface SakuraVpcRouterFirewallRuleArgs {
  protocol: pulumi.Input<"tcp" | "udp" | "icmp" | "ip">;
  /** An address or network, e.g. `192.0.2.0/24`. */
  sourceNetwork?: pulumi.Input<string>;
  /** A port or range, e.g. `"1024-65535"` (tcp/udp only). */
  sourcePort?: pulumi.Input<string | number>;
  destinationNetwork?: pulumi.Input<string>;
  destinationPort?: pulumi.Input<string | number>;
  action: pulumi.Input<"allow" | "deny">;
  /** Log matching packets; default false. */
  logging?: pulumi.Input<boolean>;
  description?: pulumi.Input<string>;
}

/** The rules of one NIC in one direction, first match wins; a NIC without rules passes everything. */
export interface SakuraVpcRouterFirewallArgs {
  /** 0 (public) to 7; default 0. */
  interfaceIndex?: pulumi.Input<number>;
  direction: pulumi.Input<"receive" | "send">;
  expressions: pulumi.Input<pulumi.Input<SakuraVpcRouterFirewallRuleArgs>[]>;
}

export interface SakuraVpcRouterArgs {
  /** Zone such as `tk1a`; defaults to `sakuracloud:zone` / `SAKURACLOUD_ZONE`. Replaces. */
  zone?: pulumi.Input<string>;
  /** Name shown in the control panel (1-64 characters); defaults to the resource name. In place. */
  name?: pulumi.Input<string>;
  /** Free text. In place. */
  description?: pulumi.Input<string>;
  /** Tags. In place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * `standard` (default: one router, its public NIC on the shared segment, where Sakura gives the
   * address for the router's life), or `premium`, `highspec`, `highspec4000` (a redundant pair on
   * a switch+router: give `publicInterface`). Replaces.
   */
  plan?: pulumi.Input<VpcRouterPlan>;
  /** Router version; default 2, as Sakura's libraries create. Replaces. */
  version?: pulumi.Input<number>;
  /** Premium and up only. */
  publicInterface?: pulumi.Input<SakuraVpcRouterPublicInterfaceArgs>;
  /** Let the private networks reach the internet through the router; default true. In place. */
  internetConnection?: pulumi.Input<boolean>;
  /** NICs eth1-eth7. In place. */
  privateInterfaces?: pulumi.Input<pulumi.Input<SakuraVpcRouterPrivateInterfaceArgs>[]>;
  /** In place. */
  staticRoutes?: pulumi.Input<pulumi.Input<SakuraVpcRouterStaticRouteArgs>[]>;
  /** Site-to-site VPN peers; the output of this name is a secret (it holds the keys). In place. */
  siteToSiteVpn?: pulumi.Input<pulumi.Input<SakuraVpcRouterSiteToSiteArgs>[]>;
  /** In place. */
  siteToSiteVpnParameters?: pulumi.Input<SakuraVpcRouterVpnParametersArgs>;
  /** In place. */
  firewall?: pulumi.Input<pulumi.Input<SakuraVpcRouterFirewallArgs>[]>;
}

const provider = packagedProvider("VpcRouter");

/**
 * A Sakura Cloud VPC router: built, its settings applied and booted at create; every change of
 * the settings applied in place.
 */
export class SakuraVpcRouter extends pulumi.dynamic.Resource {
  declare readonly zone: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly plan: pulumi.Output<VpcRouterPlan>;
  declare readonly version: pulumi.Output<number>;
  declare readonly publicInterface: pulumi.Output<VpcRouterPublicInterfaceInputs | null>;
  declare readonly internetConnection: pulumi.Output<boolean>;
  declare readonly privateInterfaces: pulumi.Output<VpcRouterPrivateInterfaceInputs[]>;
  declare readonly staticRoutes: pulumi.Output<VpcRouterStaticRouteInputs[]>;
  declare readonly siteToSiteVpn: pulumi.Output<VpcRouterSiteToSiteInputs[]>;
  declare readonly siteToSiteVpnParameters: pulumi.Output<VpcRouterVpnParameterInputs>;
  declare readonly firewall: pulumi.Output<VpcRouterFirewallInputs[]>;
  /** The address VPN peers connect to. */
  declare readonly publicIpAddress: pulumi.Output<string | null>;
  declare readonly publicNetworkMaskLen: pulumi.Output<number | null>;
  declare readonly instanceStatus: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string | null>;

  constructor(name: string, args: SakuraVpcRouterArgs = {}, opts?: pulumi.CustomResourceOptions) {
    // Every output needs a key here, or Pulumi creates no property for it.
    const props = {
      zone: defaultZone(args.zone),
      name: args.name ?? name,
      description: args.description,
      tags: args.tags,
      plan: args.plan,
      version: args.version,
      publicInterface: args.publicInterface,
      internetConnection: args.internetConnection,
      privateInterfaces: args.privateInterfaces,
      staticRoutes: args.staticRoutes,
      siteToSiteVpn: args.siteToSiteVpn,
      siteToSiteVpnParameters: args.siteToSiteVpnParameters,
      firewall: args.firewall,
      publicIpAddress: undefined,
      publicNetworkMaskLen: undefined,
      instanceStatus: undefined,
      createdAt: undefined,
    };
    // The pre-shared keys sit inside a list: the whole output is kept secret.
    const secret = [...(opts?.additionalSecretOutputs ?? []), "siteToSiteVpn"];
    super(
      provider,
      name,
      props,
      { ...opts, additionalSecretOutputs: secret },
      "sakuracloud",
      "VpcRouter",
    );
  }
}
