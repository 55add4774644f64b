// What the region's GKE cluster must reach over its link, and from which ranges: Consul DNS on the
// util hosts (kube-dns forwards `consul.` there) and chocon on the chocon hosts. Each site turns
// these into its own kind of rule (security group rules on AWS, the VPC router's firewall on
// Sakura). Only the ranges that arrive over the link are admitted: the link's remote ranges. Pure.
import { parseChoconCall } from "../spec/chocon";
import { type Role, roles } from "../spec/hosts";
import { hostCount } from "../spec/layout";
import { type ResolvedLink, resolvedLinks } from "../spec/links";
import type { RegionSpec } from "../spec/schema";

/** Consul's DNS port on every agent (the host layer's `ports.dns`). */
export const CONSUL_DNS_PORT = 8600;
/** chocon's port: it keeps the Host header's port, so port-less URLs need 80. */
export const CHOCON_PORT = 80;

export interface LinkOpening {
  readonly role: Role;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  /** A range that arrives over the link. */
  readonly cidr: string;
  /** The link it arrives over. */
  readonly link: string;
  readonly description: string;
}

/** The services the cluster calls across its link, by role. */
export const CLUSTER_CALLS: readonly {
  readonly role: Role;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly what: string;
}[] = [
  { role: "util", protocol: "udp", port: CONSUL_DNS_PORT, what: "Consul DNS" },
  { role: "util", protocol: "tcp", port: CONSUL_DNS_PORT, what: "Consul DNS over TCP" },
  { role: "chocon", protocol: "tcp", port: CHOCON_PORT, what: "calls through chocon" },
];

/**
 * The API gateway's default route, when it names a Consul service of this region's hosts
 * (`http://app.service.consul.ccnproxy:8080`): chocon in the cluster calls that role's port.
 */
export function gatewayCall(spec: RegionSpec): (typeof CLUSTER_CALLS)[number] | undefined {
  const upstream = spec.gke?.gateway.default?.upstream;
  const call = upstream === undefined ? undefined : parseChoconCall(upstream);
  const service = call ? /^([a-z0-9-]+)\.service\.consul$/.exec(call.target)?.[1] : undefined;
  const role = roles.find((candidate) => candidate === service);
  if (!call || !role) return undefined;
  return {
    role,
    protocol: "tcp",
    port: call.port,
    what: "the gateway's default route through chocon",
  };
}

/** The links that end at the region's GKE network. */
export function clusterLinks(spec: RegionSpec): ResolvedLink[] {
  if (!spec.gke) return [];
  return resolvedLinks(spec).filter((link) => link.kind === "haVpn" || link.kind === "ipsecVpn");
}

/** Every opening the region's hosts need for its cluster: call x range, for roles with hosts. */
export function linkOpenings(spec: RegionSpec): LinkOpening[] {
  const openings: LinkOpening[] = [];
  for (const link of clusterLinks(spec)) {
    const gateway = gatewayCall(spec);
    for (const call of gateway ? [...CLUSTER_CALLS, gateway] : CLUSTER_CALLS) {
      if (hostCount(spec, call.role) === 0) continue;
      for (const cidr of link.remote) {
        openings.push({
          role: call.role,
          protocol: call.protocol,
          port: call.port,
          cidr,
          link: link.name,
          description: `${call.what} from GKE (${cidr}) over link ${link.name}`,
        });
      }
    }
  }
  return openings;
}

/** A CIDR as a resource-name label: 10.21.0.0/20 -> 10-21-0-0-20. */
export function cidrLabel(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}
