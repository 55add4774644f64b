// The VPC router's inputs and outputs as Pulumi stores them (after check() filled in defaults).
import type {
  vpcRouterFirewallProtocols,
  vpcRouterPlanIds,
  vpcRouterVpnDhGroups,
  vpcRouterVpnEncryptionAlgos,
  vpcRouterVpnHashAlgos,
} from "./limits";

export type VpcRouterPlan = keyof typeof vpcRouterPlanIds;

/**
 * The public NIC on a switch+router's switch (premium plan and up): two real routers and the
 * address they share by VRRP. A standard-plan router sits on the shared segment instead.
 */
export interface VpcRouterPublicInterfaceInputs {
  switchId: string;
  /** One address per real router. */
  ipAddresses: string[];
  /** The shared address: the router's public address. */
  virtualIpAddress: string;
  /** The VRRP group. */
  vrid: number;
  ipAliases: string[];
}

/** A NIC eth1-eth7 on a switch. */
export interface VpcRouterPrivateInterfaceInputs {
  index: number;
  switchId: string;
  /** One address (standard plan) or one per real router (premium and up). */
  ipAddresses: string[];
  /** The shared address (premium and up): the next hop the hosts use. */
  virtualIpAddress?: string;
  networkMaskLen: number;
}

export interface VpcRouterStaticRouteInputs {
  prefix: string;
  nextHop: string;
}

/** One site-to-site IPsec peer. */
export interface VpcRouterSiteToSiteInputs {
  /** The peer gateway's public address. */
  peer: string;
  /** The IKE identity the peer presents; usually its public address. */
  remoteId: string;
  /** Letters, digits and underscores, 1 to 40 of them. Secret. */
  preSharedSecret: string;
  /** Networks behind the peer, routed into the tunnel. */
  routes: string[];
  /** Networks behind this router that the peer may reach. */
  localPrefixes: string[];
}

/** IKE and ESP parameters, for every peer. */
export interface VpcRouterVpnParameterInputs {
  encryptionAlgo: (typeof vpcRouterVpnEncryptionAlgos)[number];
  hashAlgo: (typeof vpcRouterVpnHashAlgos)[number];
  dhGroup: (typeof vpcRouterVpnDhGroups)[number];
  /** ISAKMP SA lifetime, seconds. */
  ikeLifetime: number;
  dpdInterval: number;
  dpdTimeout: number;
  /** IPsec SA lifetime, seconds. */
  espLifetime: number;
}

export interface VpcRouterFirewallRuleInputs {
  protocol: (typeof vpcRouterFirewallProtocols)[number];
  sourceNetwork?: string;
  sourcePort?: string;
  destinationNetwork?: string;
  destinationPort?: string;
  action: "allow" | "deny";
  logging: boolean;
  description?: string;
}

/** The rules of one NIC in one direction, first match wins. */
export interface VpcRouterFirewallInputs {
  interfaceIndex: number;
  direction: "receive" | "send";
  expressions: VpcRouterFirewallRuleInputs[];
}

export interface VpcRouterInputs {
  zone: string;
  name: string;
  description: string;
  tags: string[];
  plan: VpcRouterPlan;
  version: number;
  /** Null on the standard plan (the shared segment). */
  publicInterface: VpcRouterPublicInterfaceInputs | null;
  internetConnection: boolean;
  /** Sorted by index. */
  privateInterfaces: VpcRouterPrivateInterfaceInputs[];
  staticRoutes: VpcRouterStaticRouteInputs[];
  siteToSiteVpn: VpcRouterSiteToSiteInputs[];
  siteToSiteVpnParameters: VpcRouterVpnParameterInputs;
  /** Sorted by NIC, then direction; no entry without rules. */
  firewall: VpcRouterFirewallInputs[];
}

export interface VpcRouterOutputs extends VpcRouterInputs {
  /** The address peers reach: the shared-segment address, or the public NIC's shared address. */
  publicIpAddress: string | null;
  publicNetworkMaskLen: number | null;
  instanceStatus: string;
  createdAt: string | null;
}
