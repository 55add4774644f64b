// The HA VPN topology Google documents for AWS ("Create HA VPN connections between Google Cloud
// and AWS"): an HA VPN gateway with two interfaces, an external gateway with AWS's four tunnel
// addresses, four tunnels, two AWS VPN connections of two tunnels each, and one BGP session per
// tunnel. Interface 0 of the HA VPN gateway is the first customer gateway, whose connection's
// two tunnels are external interfaces 0 and 1; interface 1 is the second, with 2 and 3. Pure.
import { formatIpv4, parseCidr } from "../spec/cidr";

export interface HaVpnTunnel {
  /** 1 to 4: the GCP tunnel, its router interface and BGP peer. */
  readonly number: number;
  /** The HA VPN gateway's interface, 0 or 1 (and the customer gateway / AWS connection index). */
  readonly gatewayInterface: 0 | 1;
  /** Which of the AWS connection's tunnels: 1 or 2. */
  readonly awsTunnel: 1 | 2;
  /** The external VPN gateway's interface, 0 to 3. */
  readonly externalInterface: number;
  /** The tunnel's /30 inside block. */
  readonly insideCidr: string;
  /** The AWS side's BGP address (the block's first host: the virtual private gateway). */
  readonly awsAddress: string;
  /** The Cloud Router's BGP address with the block's length (the second host: the customer side). */
  readonly routerInterfaceRange: string;
}

export function haVpnTunnels(insideCidrs: readonly string[]): HaVpnTunnel[] {
  if (insideCidrs.length !== 4) {
    throw new Error(`HA VPN to AWS takes four inside blocks, got ${insideCidrs.length}`);
  }
  return insideCidrs.map((text, index) => {
    const block = parseCidr(text);
    if (block?.prefix !== 30) throw new Error(`inside block ${text} is not a /30`);
    return {
      number: index + 1,
      gatewayInterface: index < 2 ? 0 : 1,
      awsTunnel: index % 2 === 0 ? 1 : 2,
      externalInterface: index,
      insideCidr: text,
      awsAddress: formatIpv4(block.base + 1),
      routerInterfaceRange: `${formatIpv4(block.base + 2)}/30`,
    };
  });
}

/**
 * What the AWS tunnels accept: IKEv2 with one cipher per role, as Google asks of peers ("configure
 * your peer VPN gateway to propose and accept only one cipher for each cipher role"), chosen from
 * those both ends support: AES256 / SHA2-256 / group 14 are in botocore's valid values for
 * VpnTunnelOptionsSpecification and in Cloud VPN's IKEv2 table (AES-CBC-256, HMAC-SHA2-256-128,
 * Group 14).
 */
export const AWS_TUNNEL_CRYPTO = {
  ikeVersions: ["ikev2"],
  phase1EncryptionAlgorithms: ["AES256"],
  phase1IntegrityAlgorithms: ["SHA2-256"],
  phase1DhGroupNumbers: [14],
  phase2EncryptionAlgorithms: ["AES256"],
  phase2IntegrityAlgorithms: ["SHA2-256"],
  phase2DhGroupNumbers: [14],
} as const;

/** The IKE version of the GCP tunnels to AWS. */
export const HA_VPN_IKE_VERSION = 2;
