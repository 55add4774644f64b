// check() of the VPC router's site-to-site IPsec VPN: peers and their IKE/ESP parameters.
import { type Failures, isUnknown } from "./check";
import { allKnown, ipv4At, listAt, objectAt } from "./check-shapes";
import {
  vpcRouterPreSharedKeyPattern,
  vpcRouterVpnDefaults,
  vpcRouterVpnDhGroups,
  vpcRouterVpnEncryptionAlgos,
  vpcRouterVpnHashAlgos,
  vpcRouterVpnPrefixMinLength,
} from "./limits";
import { inNetwork, oneOf, parseCidr } from "./network-fields";
import type { ConnectedNetworks } from "./vpc-router-check";
import type {
  VpcRouterSiteToSiteInputs,
  VpcRouterStaticRouteInputs,
  VpcRouterVpnParameterInputs,
} from "./vpc-router-inputs";

/**
 * Peers (terraform-provider-sakuracloud `site_to_site_vpn`: `peer` an address, `remote_id`,
 * `pre_shared_secret`, `routes` and `local_prefix` required): each peer once (Sakura's Terraform
 * provider keys the secret by peer); the key as Sakura's manual allows it; prefixes of /8 to
 * /32. And what the link needs to carry anything: every local prefix behind this router (on a
 * private NIC's network or a static route), no peer route overlapping the router's own networks.
 */
export function checkSiteToSite(
  f: Failures,
  value: unknown,
  connected: ConnectedNetworks,
  staticRoutes: VpcRouterStaticRouteInputs[],
): VpcRouterSiteToSiteInputs[] {
  const list = listAt(f, "siteToSiteVpn", value);
  if (list === undefined) return value as VpcRouterSiteToSiteInputs[];
  const peers = new Set<string>();
  return list.map((item, i) => {
    const at = `siteToSiteVpn[${i}]`;
    if (isUnknown(item)) return item as VpcRouterSiteToSiteInputs;
    const peer = objectAt(f, at, item) ?? {};
    ipv4At(f, `${at}.peer`, peer.peer);
    if (typeof peer.peer === "string") {
      if (peers.has(peer.peer)) f.add(`${at}.peer`, `peer ${peer.peer} is given twice`);
      peers.add(peer.peer);
    }
    f.string(`${at}.remoteId`, peer.remoteId);
    const secret = peer.preSharedSecret;
    // The message never repeats the key: it is a secret.
    if (
      !isUnknown(secret) &&
      !(typeof secret === "string" && vpcRouterPreSharedKeyPattern.test(secret))
    ) {
      f.add(`${at}.preSharedSecret`, "must be 1 to 40 letters, digits or underscores");
    }
    const routes = prefixList(f, `${at}.routes`, peer.routes);
    const localPrefixes = prefixList(f, `${at}.localPrefixes`, peer.localPrefixes);
    checkRouted(f, at, routes, localPrefixes, connected, staticRoutes);
    return {
      peer: peer.peer as string,
      remoteId: peer.remoteId as string,
      preSharedSecret: secret as string,
      routes,
      localPrefixes,
    };
  });
}

function prefixList(f: Failures, at: string, value: unknown): string[] {
  const list = listAt(f, at, value);
  if (list === undefined) return value as string[];
  if (list.length === 0) f.add(at, "must name at least one network");
  for (const [i, prefix] of list.entries()) {
    if (!isUnknown(prefix) && parseCidr(prefix, vpcRouterVpnPrefixMinLength) === undefined) {
      f.add(`${at}[${i}]`, "must be a network from /8 to /32, such as 10.0.0.0/16");
    }
  }
  return list as string[];
}

function checkRouted(
  f: Failures,
  at: string,
  routes: string[],
  localPrefixes: string[],
  { networks, complete }: ConnectedNetworks,
  staticRoutes: VpcRouterStaticRouteInputs[],
): void {
  if (!complete || !allKnown(routes) || !allKnown(localPrefixes) || !allKnown(staticRoutes)) return;
  const behind = [
    ...networks.map((n) => ({ network: n.network, prefix: n.prefix })),
    ...staticRoutes.flatMap((r) => {
      const cidr = parseCidr(r.prefix);
      return cidr ? [{ network: cidr.address, prefix: cidr.prefix }] : [];
    }),
  ];
  for (const [i, local] of localPrefixes.entries()) {
    const cidr = parseCidr(local);
    if (cidr === undefined) continue;
    const covered = behind.some(
      (b) => b.prefix <= cidr.prefix && inNetwork(cidr.address, b.network, b.prefix),
    );
    if (!covered) {
      f.add(
        `${at}.localPrefixes[${i}]`,
        `${local} is behind no private NIC and no static route of this router, so nothing there can use the link`,
      );
    }
  }
  for (const [i, route] of routes.entries()) {
    const cidr = parseCidr(route);
    if (cidr === undefined) continue;
    const clash = networks.find((n) =>
      inNetwork(cidr.address, n.network, Math.min(cidr.prefix, n.prefix)),
    );
    if (clash !== undefined) {
      f.add(
        `${at}.routes[${i}]`,
        `${route} overlaps the router's own network on eth${clash.index} (${clash.network}/${clash.prefix})`,
      );
    }
  }
}

/** IKE/ESP parameters (terraform `site_to_site_vpn_parameter`), Sakura's defaults filled in. */
export function checkVpnParameters(f: Failures, value: unknown): VpcRouterVpnParameterInputs {
  if (isUnknown(value)) return value as VpcRouterVpnParameterInputs;
  const given = objectAt(f, "siteToSiteVpnParameters", value) ?? {};
  const merged = { ...vpcRouterVpnDefaults, ...withoutUndefined(given) };
  const at = (key: string) => `siteToSiteVpnParameters.${key}`;
  oneOf(f, at("encryptionAlgo"), merged.encryptionAlgo, vpcRouterVpnEncryptionAlgos);
  oneOf(f, at("hashAlgo"), merged.hashAlgo, vpcRouterVpnHashAlgos);
  oneOf(f, at("dhGroup"), merged.dhGroup, vpcRouterVpnDhGroups);
  for (const key of ["ikeLifetime", "dpdInterval", "dpdTimeout", "espLifetime"] as const) {
    f.positiveInteger(at(key), merged[key]);
  }
  return merged as VpcRouterVpnParameterInputs;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
