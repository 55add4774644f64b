// Private links of a region: what joins its cloud network to the networks it must reach privately
// (its GKE cluster, the dedicated servers, other regions). Each link names its kind, the ranges of
// this region's side it carries (`local`) and the ranges it reaches (`remote`); the VPNs add the
// BGP numbers or the VPC router's address. Defaults that follow from other keys (network.cidr,
// the GKE ranges) are filled in by `resolvedLinks`, so the stack file may stay short.
import { z } from "zod";
import { formatCidr, hostAddress, parseCidr, subnet } from "./cidr";
import { cidr, hostLabel, ipv4, oneOf, strict, text } from "./primitives";

export const linkKinds = ["haVpn", "ipsecVpn", "hybrid", "external"] as const;
export type LinkKind = (typeof linkKinds)[number];

/** What each kind is, in a user's words (error messages and the README say the same). */
export const LINK_KIND_MEANING: Readonly<Record<LinkKind, string>> = {
  haVpn: "HA VPN with BGP between the AWS VPC and the region's GKE network",
  ipsecVpn: "an IKEv1 site-to-site VPN from a Sakura VPC router to a Classic VPN gateway",
  hybrid: "Sakura's hybrid connection to the dedicated servers, ordered by hand",
  external: "a link built outside this program (an interconnect, another region's VPN)",
};

const PRIVATE_ASN_TEXT =
  "a private ASN: 64512 to 65534, or 4200000000 to 4294967294 (RFC 6996; AWS and Cloud Router take no other)";

/** RFC 6996 private ASNs, 16- and 32-bit: what a virtual private gateway and a Cloud Router take. */
export function isPrivateAsn(value: number): boolean {
  return (
    Number.isInteger(value) &&
    ((value >= 64512 && value <= 65534) || (value >= 4_200_000_000 && value <= 4_294_967_294))
  );
}

const asn = z
  .number({ error: `expected ${PRIVATE_ASN_TEXT}` })
  .refine(isPrivateAsn, { error: `expected ${PRIVATE_ASN_TEXT}` });

const ranges = z
  .array(cidr, { error: "expected a list of CIDR blocks" })
  .min(1, { error: "expected at least one CIDR block" })
  .max(8, { error: "expected at most 8 CIDR blocks" });

export const linkSchema = strict({
  /** Names the link's resources: `gke`, `metal`. Unique in the region. */
  name: hostLabel,
  kind: oneOf(linkKinds),
  /** This region's ranges the link carries. Default: network.cidr. */
  local: ranges.optional(),
  /**
   * The ranges reached over the link. Default for haVpn: the GKE node and pod ranges; for
   * ipsecVpn: the GKE node range (pods reach Sakura with their node's address). Required for
   * hybrid and external links.
   */
  remote: ranges.optional(),
  /** haVpn: the BGP numbers of both ends and, optionally, the four tunnels' inside /30s. */
  bgp: strict({
    /** The AWS virtual private gateway's ASN (its Amazon side). */
    localAsn: asn,
    /** The Cloud Router's ASN. */
    remoteAsn: asn,
    /** The BGP addresses of the four tunnels: /30 blocks of 169.254.0.0/16. Default: 169.254.10.0/28 cut in four. */
    insideCidrs: z
      .array(cidr, { error: "expected a list of four /30 blocks of 169.254.0.0/16" })
      .length(4, { error: "expected four /30 blocks, one per tunnel" })
      .optional(),
  }).optional(),
  /** ipsecVpn: the VPC router's address on the region's switch. Default: network.cidr's first address. */
  routerAddress: ipv4.optional(),
  /** hybrid, external: what was ordered (service code, circuit id), for whoever looks after it. */
  reference: text(
    /^[A-Za-z0-9._:/-]{1,64}$/,
    "an order or circuit reference such as hc-0123",
  ).optional(),
  description: z
    .string({ error: "expected text" })
    .max(200, { error: "expected text of at most 200 characters" })
    .optional(),
});
export type LinkSpec = z.output<typeof linkSchema>;

/** A link with every default filled in, as the components and the rules read it. */
export interface ResolvedLink {
  readonly name: string;
  readonly kind: LinkKind;
  readonly local: readonly string[];
  readonly remote: readonly string[];
  readonly bgp?: {
    readonly localAsn: number;
    readonly remoteAsn: number;
    readonly insideCidrs: readonly string[];
  };
  readonly routerAddress?: string;
  readonly reference?: string;
  readonly description?: string;
}

/** The part of a region the defaults are read from (a parsed spec or a validated one). */
export interface LinkContext {
  readonly network: { readonly cidr: string };
  readonly gke?: { readonly network: { readonly nodes: string; readonly pods: string } };
}

/** Where the four tunnels' inside addresses come from when the spec names none. */
export const DEFAULT_INSIDE_BLOCK = "169.254.10.0/28";

export function defaultInsideCidrs(): string[] {
  const block = parseCidr(DEFAULT_INSIDE_BLOCK);
  if (!block) throw new Error(`bad built-in block ${DEFAULT_INSIDE_BLOCK}`);
  return [0, 1, 2, 3].map((index) => formatCidr(subnet(block, 30, index)));
}

/** The router's default address: the first of network.cidr, a block the address plan leaves empty on Sakura. */
export function defaultRouterAddress(networkCidr: string): string | undefined {
  const network = parseCidr(networkCidr);
  // A range too small for hosts has no first address; network.cidr's own rule says so.
  return network && network.prefix <= 30 ? hostAddress(network, 1) : undefined;
}

export function resolveLink(link: LinkSpec, context: LinkContext): ResolvedLink {
  const gke = context.gke?.network;
  const remoteDefault =
    link.kind === "haVpn" && gke
      ? [gke.nodes, gke.pods]
      : link.kind === "ipsecVpn" && gke
        ? [gke.nodes]
        : [];
  // A hybrid connection joins the dedicated servers to the switch at layer 2: it routes nothing
  // of the region's own network to them, it only extends it.
  const localDefault = link.kind === "hybrid" ? [] : [context.network.cidr];
  const routerAddress =
    link.kind === "ipsecVpn"
      ? (link.routerAddress ?? defaultRouterAddress(context.network.cidr))
      : link.routerAddress;
  return {
    name: link.name,
    kind: link.kind,
    local: link.local ?? localDefault,
    remote: link.remote ?? remoteDefault,
    ...(link.bgp
      ? {
          bgp: {
            localAsn: link.bgp.localAsn,
            remoteAsn: link.bgp.remoteAsn,
            insideCidrs: link.bgp.insideCidrs ?? defaultInsideCidrs(),
          },
        }
      : {}),
    ...(routerAddress !== undefined ? { routerAddress } : {}),
    ...(link.reference !== undefined ? { reference: link.reference } : {}),
    ...(link.description !== undefined ? { description: link.description } : {}),
  };
}

export function resolvedLinks(
  spec: LinkContext & { readonly links: readonly LinkSpec[] },
): ResolvedLink[] {
  return spec.links.map((link) => resolveLink(link, spec));
}

/** The one link of a kind a region may have (haVpn, ipsecVpn), when it has it. */
export function linkOfKind(
  spec: LinkContext & { readonly links: readonly LinkSpec[] },
  kind: "haVpn" | "ipsecVpn",
): ResolvedLink | undefined {
  return resolvedLinks(spec).find((link) => link.kind === kind);
}
