// The Sakura side of an IKEv1 link, as data: the VPC router's firewall on its switch NIC and the
// routes the Sakura hosts need back to the far side. Pure.
//
// The router's firewall on eth1, direction `send`, sees what the router forwards onto the switch:
// what arrives through the tunnel. First match wins, and a packet no rule matches passes, so the
// list admits the cluster's calls to the hosts that serve them and ends with a logged deny of
// anything else from the far side. The other direction (the hosts' replies) has no rules.
import type { SakuraVpcRouterFirewallRuleArgs } from "../sakura/provider/vpc-router";
import type { LinkOpening } from "./openings";

/** The router's NIC on the region's switch. */
export const ROUTER_SWITCH_NIC = 1;

export interface ServingHost {
  readonly role: string;
  readonly name: string;
  readonly address: string;
}

export function routerFirewallRules(
  openings: readonly LinkOpening[],
  hosts: readonly ServingHost[],
  remote: readonly string[],
): SakuraVpcRouterFirewallRuleArgs[] {
  const rules: SakuraVpcRouterFirewallRuleArgs[] = [];
  for (const opening of openings) {
    for (const host of hosts.filter((candidate) => candidate.role === opening.role)) {
      rules.push({
        protocol: opening.protocol,
        sourceNetwork: opening.cidr,
        destinationNetwork: host.address,
        destinationPort: String(opening.port),
        action: "allow",
        description: `${opening.description} to ${host.name}`,
      });
    }
  }
  for (const cidr of remote) {
    rules.push({
      protocol: "ip",
      sourceNetwork: cidr,
      action: "deny",
      logging: true,
      description: `nothing else from ${cidr}`,
    });
  }
  return rules;
}

/** A route on the hosts' private NIC: the far side's ranges go to the router, not the default gateway. */
export interface HostRoute {
  readonly to: string;
  readonly via: string;
}

/** Routes every Sakura cloud host needs for the links that end at a VPC router on its switch. */
export function hostRoutes(
  links: readonly { readonly remote: readonly string[]; readonly routerAddress?: string }[],
): HostRoute[] {
  return links.flatMap((link) =>
    link.routerAddress === undefined
      ? []
      : link.remote.map((to) => ({ to, via: link.routerAddress as string })),
  );
}
