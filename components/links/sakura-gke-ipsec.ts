// The jp link: Sakura's switch and GKE Tokyo's node range joined by an IKEv1 site-to-site VPN
// from a Sakura VPC router to a Classic VPN gateway, with static routes on both sides.
//
// Sakura's router speaks IKEv1 with a pre-shared key only; over IKEv1 Cloud VPN negotiates one
// range per side of a tunnel (one child SA), and HA VPN needs BGP, which the router lacks. So one
// Classic VPN tunnel carries the node range to network.cidr, and pods reach Sakura with their
// node's address: the cluster's ip-masq-agent masquerades every destination outside the cluster.
//
// Ciphers: the router proposes one set for every peer, AES-256 / SHA-256 / MODP-2048 (group 14),
// stronger than Sakura's defaults (AES-128 / SHA-1 / MODP-1024) and within what Cloud VPN
// negotiates over IKEv1 (cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers:
// AES-CBC-256, HMAC-SHA2-256-128, group 14), so the GCP tunnel names none and accepts the router's.
import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import { SakuraVpcRouter } from "../sakura/provider/vpc-router";
import * as gcp from "../sdk/gcp";
import * as k8s from "../sdk/kubernetes";
import { parseCidr } from "../spec/cidr";
import type { ResolvedLink } from "../spec/links";
import { preSharedKey } from "./keys";
import { ipMasqAgentConfig } from "./masquerade";
import type { LinkOpening } from "./openings";
import { ROUTER_SWITCH_NIC, routerFirewallRules, type ServingHost } from "./sakura-router-plan";

/** The router's IKE and ESP parameters (Sakura's names); see the file's comment for the choice. */
export const SAKURA_IPSEC_PARAMETERS = {
  encryptionAlgo: "aes256",
  hashAlgo: "sha256",
  dhGroup: "modp2048",
} as const;

/** Sakura's VPC router speaks IKEv1 only. */
export const SAKURA_IKE_VERSION = 1;

export interface SakuraGkeIpsecArgs {
  /** The resolved ipsecVpn link (routerAddress set, one range per side). */
  readonly link: ResolvedLink;
  /** Prefix of the GCP names and the router's name: `jp-link-gke`. */
  readonly baseName: string;
  readonly sakura: {
    readonly zone: string;
    readonly switchId: pulumi.Input<string>;
    /** The switch's mask length (network.cidr's). */
    readonly networkMaskLen: number;
    readonly tags: string[];
    /** The hosts the cluster calls, and what it calls them on. */
    readonly servingHosts: readonly ServingHost[];
    readonly openings: readonly LinkOpening[];
  };
  readonly gcp: {
    readonly provider: gcp.Provider;
    readonly region: string;
    readonly networkId: pulumi.Input<string>;
    readonly labels: Record<string, string>;
  };
  readonly gke: {
    readonly provider: k8s.Provider;
    /** The cluster's own ranges: traffic to them keeps the pod's address. */
    readonly clusterRanges: readonly string[];
  };
  readonly keyProvider: random.Provider;
}

export class SakuraGkeIpsec extends pulumi.ComponentResource {
  /** The Classic VPN gateway's public address. */
  public readonly gcpAddress: pulumi.Output<string>;
  /** The VPC router's public address. */
  public readonly routerAddress: pulumi.Output<string>;

  constructor(name: string, args: SakuraGkeIpsecArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:links:SakuraGkeIpsec", name, {}, opts);
    const { link, baseName } = args;
    const [local] = link.local;
    const [remote] = link.remote;
    const routerAddress = link.routerAddress;
    if (!local || !remote || routerAddress === undefined || !parseCidr(local)) {
      throw new Error(
        `link ${link.name}: an ipsecVpn link needs one range per side and a router address`,
      );
    }
    const onGcp = { parent: this, provider: args.gcp.provider };
    const { region, labels } = args.gcp;

    const address = new gcp.compute.Address(
      `${name}-address`,
      {
        name: baseName,
        description: `Classic VPN gateway of link ${link.name}`,
        region,
        addressType: "EXTERNAL",
        networkTier: "PREMIUM",
        labels,
      },
      onGcp,
    );
    this.gcpAddress = address.address;
    const gateway = new gcp.compute.VPNGateway(
      `${name}-gateway`,
      {
        name: baseName,
        description: `IKEv1 to the Sakura VPC router (link ${link.name})`,
        network: args.gcp.networkId,
        region,
      },
      onGcp,
    );
    // A Classic VPN gateway receives IPsec through forwarding rules: ESP, IKE and NAT traversal.
    const forwarding = (
      [
        ["esp", "ESP", undefined],
        ["udp500", "UDP", "500"],
        ["udp4500", "UDP", "4500"],
      ] as const
    ).map(
      ([suffix, ipProtocol, portRange]) =>
        new gcp.compute.ForwardingRule(
          `${name}-${suffix}`,
          {
            name: `${baseName}-${suffix}`,
            region,
            ipProtocol,
            ...(portRange ? { portRange } : {}),
            ipAddress: address.address,
            target: gateway.id,
            labels,
          },
          onGcp,
        ),
    );

    const key = preSharedKey(`${name}-key`, args.keyProvider, this);
    const router = new SakuraVpcRouter(
      `${name}-router`,
      {
        zone: args.sakura.zone,
        name: baseName,
        description: `IKEv1 VPN from ${local} to GKE ${remote} (link ${link.name})`,
        tags: args.sakura.tags,
        plan: "standard",
        // The hosts reach the internet through their own public NIC, never through the router.
        internetConnection: false,
        privateInterfaces: [
          {
            index: ROUTER_SWITCH_NIC,
            switchId: args.sakura.switchId,
            ipAddresses: [routerAddress],
            networkMaskLen: args.sakura.networkMaskLen,
          },
        ],
        siteToSiteVpn: [
          {
            peer: address.address,
            remoteId: address.address,
            preSharedSecret: key,
            routes: [remote],
            localPrefixes: [local],
          },
        ],
        siteToSiteVpnParameters: SAKURA_IPSEC_PARAMETERS,
        firewall: [
          {
            interfaceIndex: ROUTER_SWITCH_NIC,
            direction: "send",
            expressions: routerFirewallRules(args.sakura.openings, args.sakura.servingHosts, [
              remote,
            ]),
          },
        ],
      },
      { parent: this },
    );
    this.routerAddress = router.publicIpAddress.apply((ip) => ip ?? "");

    const tunnel = new gcp.compute.VPNTunnel(
      `${name}-tunnel`,
      {
        name: baseName,
        description: `IKEv1 to the Sakura VPC router (link ${link.name})`,
        region,
        targetVpnGateway: gateway.id,
        peerIp: this.routerAddress,
        sharedSecret: key,
        ikeVersion: SAKURA_IKE_VERSION,
        localTrafficSelectors: [remote],
        remoteTrafficSelectors: [local],
        labels,
      },
      { ...onGcp, dependsOn: forwarding, additionalSecretOutputs: ["sharedSecret"] },
    );
    link.local.forEach((range, index) => {
      new gcp.compute.Route(
        `${name}-route-${index + 1}`,
        {
          name: `${baseName}-${index + 1}`,
          description: `Sakura's ${range} through link ${link.name}`,
          network: args.gcp.networkId,
          destRange: range,
          nextHopVpnTunnel: tunnel.id,
          priority: 1000,
        },
        onGcp,
      );
    });
    // Pods leave the cluster with their node's address, the one range the tunnel carries.
    new k8s.core.v1.ConfigMap(
      `${name}-ip-masq-agent`,
      {
        metadata: { name: "ip-masq-agent", namespace: "kube-system" },
        data: { config: ipMasqAgentConfig(args.gke.clusterRanges) },
      },
      { parent: this, provider: args.gke.provider },
    );
    this.registerOutputs({ gcpAddress: this.gcpAddress, routerAddress: this.routerAddress });
  }
}
