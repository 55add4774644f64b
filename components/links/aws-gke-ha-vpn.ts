// The us link: the AWS VPC and the GKE cluster's VPC joined by HA VPN with BGP, as Google
// documents it for AWS (ha-vpn-plan.ts): a virtual private gateway on the VPC that propagates the
// routes it learns into the hosts' route tables, two customer gateways (the HA VPN gateway's two
// interfaces), two VPN connections of two tunnels each, and on GCP the HA VPN gateway, an
// external gateway with AWS's four tunnel addresses, four tunnels, and a Cloud Router with one
// BGP session per tunnel that announces the cluster's ranges. Routes are learned both ways.
import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import type { ResolvedLink } from "../spec/links";
import { AWS_TUNNEL_CRYPTO, HA_VPN_IKE_VERSION, haVpnTunnels } from "./ha-vpn-plan";
import { preSharedKey } from "./keys";

export interface AwsGkeHaVpnArgs {
  /** The resolved haVpn link (bgp set). */
  readonly link: ResolvedLink;
  /** Prefix of the GCP names, unique in the project: `us-link-gke`. */
  readonly baseName: string;
  /** AWS `Name` tags start with this: `multicloud-us`. */
  readonly awsNamePrefix: string;
  readonly aws: {
    readonly provider: aws.Provider;
    readonly vpcId: pulumi.Input<string>;
    /** The route tables of the subnets whose hosts the cluster reaches. */
    readonly routeTableIds: readonly pulumi.Input<string>[];
  };
  readonly gcp: {
    readonly provider: gcp.Provider;
    readonly region: string;
    /** The cluster's VPC. */
    readonly networkId: pulumi.Input<string>;
    readonly labels: Record<string, string>;
  };
  readonly keyProvider: random.Provider;
}

export class AwsGkeHaVpn extends pulumi.ComponentResource {
  /** The HA VPN gateway's two public addresses. */
  public readonly gatewayAddresses: pulumi.Output<string[]>;
  /** The AWS tunnels' four outside addresses, in external-interface order. */
  public readonly awsTunnelAddresses: pulumi.Output<string[]>;

  constructor(name: string, args: AwsGkeHaVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:links:AwsGkeHaVpn", name, {}, opts);
    const { link, baseName } = args;
    const bgp = link.bgp;
    if (!bgp) throw new Error(`link ${link.name}: an haVpn link needs bgp (checked by the spec)`);
    const onAws = { parent: this, provider: args.aws.provider };
    const onGcp = { parent: this, provider: args.gcp.provider };
    const { region, labels } = args.gcp;
    const tunnels = haVpnTunnels(bgp.insideCidrs);
    const awsName = (suffix: string) => ({ Name: `${args.awsNamePrefix}-${link.name}-${suffix}` });

    const gateway = new gcp.compute.HaVpnGateway(
      `${name}-gcp-gateway`,
      {
        name: baseName,
        description: `HA VPN to AWS (link ${link.name})`,
        network: args.gcp.networkId,
        region,
        stackType: "IPV4_ONLY",
        labels,
      },
      onGcp,
    );
    this.gatewayAddresses = gateway.vpnInterfaces.apply((interfaces) =>
      [0, 1].map((id) => interfaces?.find((nic) => nic.id === id)?.ipAddress ?? ""),
    );
    // The cluster's ranges, and nothing else, are announced to AWS.
    const router = new gcp.compute.Router(
      `${name}-router`,
      {
        name: baseName,
        description: `BGP with AWS over link ${link.name}`,
        network: args.gcp.networkId,
        region,
        bgp: {
          asn: bgp.remoteAsn,
          advertiseMode: "CUSTOM",
          advertisedIpRanges: link.remote.map((range) => ({
            range,
            description: `GKE range over link ${link.name}`,
          })),
        },
      },
      onGcp,
    );

    const vgw = new aws.ec2.VpnGateway(
      `${name}-vgw`,
      { vpcId: args.aws.vpcId, amazonSideAsn: String(bgp.localAsn), tags: awsName("vgw") },
      onAws,
    );
    // What BGP learns (the cluster's ranges) lands in the hosts' route tables.
    args.aws.routeTableIds.forEach((routeTableId, index) => {
      new aws.ec2.VpnGatewayRoutePropagation(
        `${name}-propagation-${index + 1}`,
        { vpnGatewayId: vgw.id, routeTableId },
        onAws,
      );
    });

    const keys = tunnels.map((tunnel) =>
      preSharedKey(`${name}-key-${tunnel.number}`, args.keyProvider, this),
    );
    const connections = ([0, 1] as const).map((nic) => {
      const customer = new aws.ec2.CustomerGateway(
        `${name}-cgw-${nic + 1}`,
        {
          type: "ipsec.1",
          bgpAsn: String(bgp.remoteAsn),
          ipAddress: this.gatewayAddresses.apply((addresses) => addresses[nic] ?? ""),
          tags: awsName(`cgw-${nic + 1}`),
        },
        onAws,
      );
      const [first, second] = tunnels.filter((tunnel) => tunnel.gatewayInterface === nic);
      if (!first || !second) throw new Error(`HA VPN interface ${nic} has no two tunnels`);
      const options = (n: 1 | 2, tunnel: (typeof tunnels)[number]) => {
        const key = keys[tunnel.number - 1];
        const crypto = AWS_TUNNEL_CRYPTO;
        return {
          [`tunnel${n}InsideCidr`]: tunnel.insideCidr,
          [`tunnel${n}PresharedKey`]: key,
          [`tunnel${n}IkeVersions`]: [...crypto.ikeVersions],
          [`tunnel${n}Phase1EncryptionAlgorithms`]: [...crypto.phase1EncryptionAlgorithms],
          [`tunnel${n}Phase1IntegrityAlgorithms`]: [...crypto.phase1IntegrityAlgorithms],
          [`tunnel${n}Phase1DhGroupNumbers`]: [...crypto.phase1DhGroupNumbers],
          [`tunnel${n}Phase2EncryptionAlgorithms`]: [...crypto.phase2EncryptionAlgorithms],
          [`tunnel${n}Phase2IntegrityAlgorithms`]: [...crypto.phase2IntegrityAlgorithms],
          [`tunnel${n}Phase2DhGroupNumbers`]: [...crypto.phase2DhGroupNumbers],
        };
      };
      return new aws.ec2.VpnConnection(
        `${name}-connection-${nic + 1}`,
        {
          type: "ipsec.1",
          customerGatewayId: customer.id,
          vpnGatewayId: vgw.id,
          staticRoutesOnly: false,
          ...(options(1, first) as Partial<aws.ec2.VpnConnectionArgs>),
          ...(options(2, second) as Partial<aws.ec2.VpnConnectionArgs>),
          tags: awsName(`connection-${nic + 1}`),
        },
        { ...onAws, additionalSecretOutputs: ["tunnel1PresharedKey", "tunnel2PresharedKey"] },
      );
    });
    this.awsTunnelAddresses = pulumi
      .all(connections.flatMap((c) => [c.tunnel1Address, c.tunnel2Address]))
      .apply((addresses) => addresses.map((address) => address ?? ""));

    const peer = new gcp.compute.ExternalVpnGateway(
      `${name}-aws-gateway`,
      {
        name: `${baseName}-aws`,
        description: `AWS's four tunnel addresses (link ${link.name})`,
        redundancyType: "FOUR_IPS_REDUNDANCY",
        interfaces: tunnels.map((tunnel) => ({
          id: tunnel.externalInterface,
          ipAddress: this.awsTunnelAddresses.apply(
            (addresses) => addresses[tunnel.externalInterface] ?? "",
          ),
        })),
        labels,
      },
      onGcp,
    );
    for (const tunnel of tunnels) {
      const gcpTunnel = new gcp.compute.VPNTunnel(
        `${name}-tunnel-${tunnel.number}`,
        {
          name: `${baseName}-${tunnel.number}`,
          description: `To AWS connection ${tunnel.gatewayInterface + 1}, tunnel ${tunnel.awsTunnel}`,
          region,
          vpnGateway: gateway.id,
          vpnGatewayInterface: tunnel.gatewayInterface,
          peerExternalGateway: peer.id,
          peerExternalGatewayInterface: tunnel.externalInterface,
          sharedSecret: keys[tunnel.number - 1],
          router: router.id,
          ikeVersion: HA_VPN_IKE_VERSION,
          labels,
        },
        { ...onGcp, additionalSecretOutputs: ["sharedSecret"] },
      );
      const nic = new gcp.compute.RouterInterface(
        `${name}-interface-${tunnel.number}`,
        {
          name: `${baseName}-${tunnel.number}`,
          router: router.name,
          region,
          ipRange: tunnel.routerInterfaceRange,
          vpnTunnel: gcpTunnel.name,
        },
        onGcp,
      );
      new gcp.compute.RouterPeer(
        `${name}-peer-${tunnel.number}`,
        {
          name: `${baseName}-${tunnel.number}`,
          router: router.name,
          region,
          interface: nic.name,
          peerIpAddress: tunnel.awsAddress,
          peerAsn: bgp.localAsn,
          advertisedRoutePriority: 100,
        },
        onGcp,
      );
    }
    this.registerOutputs({
      gatewayAddresses: this.gatewayAddresses,
      awsTunnelAddresses: this.awsTunnelAddresses,
    });
  }
}
