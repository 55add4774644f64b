// check() of the VPC router: refuses what Sakura's API and its own clients refuse (each rule
// names its source) and what could not work (a route whose next hop is on no NIC), and fills
// in the defaults Sakura's clients use.
import type * as pulumi from "@pulumi/pulumi";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
import {
  allKnown,
  booleanAt,
  integerIn,
  ipv4At,
  ipv4List,
  listAt,
  objectAt,
  type Raw,
} from "./check-shapes";
import {
  vpcRouterDefaultVersion,
  vpcRouterMaxIpAliases,
  vpcRouterMaxNameLength,
  vpcRouterNetmask,
  vpcRouterPlanIds,
  vpcRouterPrivateNicIndexes,
} from "./limits";
import { inNetwork, ipv4ToNumber, oneOf, parseCidr } from "./network-fields";
import { checkFirewall } from "./vpc-router-check-firewall";
import { checkSiteToSite, checkVpnParameters } from "./vpc-router-check-vpn";
import type {
  VpcRouterInputs,
  VpcRouterPlan,
  VpcRouterPrivateInterfaceInputs,
  VpcRouterPublicInterfaceInputs,
  VpcRouterStaticRouteInputs,
} from "./vpc-router-inputs";

const planNames = Object.keys(vpcRouterPlanIds) as VpcRouterPlan[];

/** A network a NIC is on, to place next hops and prefixes. */
export interface ConnectedNetwork {
  index: number;
  network: string;
  prefix: number;
}

export interface ConnectedNetworks {
  networks: ConnectedNetwork[];
  /** False while some NIC's address is unknown. */
  complete: boolean;
}

export function checkVpcRouterInputs(news: Raw): {
  inputs: VpcRouterInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const f = new Failures();
  f.string("zone", news.zone, zonePattern, zoneHint);
  f.string("name", news.name);
  if (typeof news.name === "string" && news.name.length > vpcRouterMaxNameLength) {
    f.add("name", `must be at most ${vpcRouterMaxNameLength} characters`);
  }
  f.optionalString("description", news.description);
  f.stringList("tags", news.tags);
  const plan = (news.plan ?? "standard") as VpcRouterPlan;
  oneOf(f, "plan", plan, planNames);
  const version = news.version ?? vpcRouterDefaultVersion;
  f.positiveInteger("version", version);
  const publicInterface = checkPublicInterface(f, plan, news.publicInterface);
  const privateInterfaces = checkPrivateInterfaces(f, plan, news.privateInterfaces);
  const networks = connectedNetworks(privateInterfaces);
  const staticRoutes = checkStaticRoutes(f, news.staticRoutes, networks);
  const inputs: VpcRouterInputs = {
    zone: news.zone as string,
    name: news.name as string,
    description: (news.description ?? "") as string,
    tags: (news.tags ?? []) as string[],
    plan,
    version: version as number,
    publicInterface,
    internetConnection: booleanAt(f, "internetConnection", news.internetConnection, true),
    privateInterfaces,
    staticRoutes,
    siteToSiteVpn: checkSiteToSite(f, news.siteToSiteVpn, networks, staticRoutes),
    siteToSiteVpnParameters: checkVpnParameters(f, news.siteToSiteVpnParameters),
    firewall: checkFirewall(f, news.firewall, privateInterfaces),
  };
  return { inputs, failures: f.list };
}

/**
 * Standard plan: the public NIC is on the shared segment, nothing to set. Premium and up: on a
 * switch+router's switch with two real addresses, a shared one and a VRRP group
 * (iaas-service-go vpcrouter/builder/builder.go validateForStandard/validateForPremium with
 * builder_nic.go StandardNICSetting/PremiumNICSetting; terraform-provider-sakuracloud
 * `public_network_interface`: two `ip_addresses`, `vip`, `vrid`, at most 19 `aliases`, "only
 * required when plan is not standard").
 */
function checkPublicInterface(
  f: Failures,
  plan: VpcRouterPlan,
  value: unknown,
): VpcRouterPublicInterfaceInputs | null {
  if (isUnknown(value)) return value as VpcRouterPublicInterfaceInputs;
  const nic = objectAt(f, "publicInterface", value);
  // Which NIC the plan wants is known only for a known plan; the plan's own failure says the rest.
  if (!planNames.includes(plan)) return (nic ?? null) as VpcRouterPublicInterfaceInputs | null;
  if (plan === "standard") {
    if (nic !== undefined) {
      f.add(
        "publicInterface",
        "the standard plan's public NIC is on the shared segment, where Sakura gives the address: leave publicInterface out, or choose premium, highspec or highspec4000 for a switch+router",
      );
    }
    return null;
  }
  if (nic === undefined) {
    if (value === undefined || value === null) {
      f.add(
        "publicInterface",
        `the ${plan} plan puts the public NIC on a switch+router: give its switchId, two ipAddresses, the virtualIpAddress and the vrid`,
      );
    }
    return null;
  }
  f.string("publicInterface.switchId", nic.switchId);
  const ipAddresses = ipv4List(f, "publicInterface.ipAddresses", nic.ipAddresses, 2);
  ipv4At(f, "publicInterface.virtualIpAddress", nic.virtualIpAddress);
  if (Array.isArray(ipAddresses) && ipAddresses.includes(nic.virtualIpAddress as string)) {
    f.add("publicInterface.virtualIpAddress", "must differ from both ipAddresses");
  }
  // VRRP's Virtual Router Identifier is 1-255 (RFC 5798 section 5.2.3).
  integerIn(f, "publicInterface.vrid", nic.vrid, 1, 255);
  const ipAliases = ipv4List(f, "publicInterface.ipAliases", nic.ipAliases);
  if (Array.isArray(ipAliases) && ipAliases.length > vpcRouterMaxIpAliases) {
    f.add("publicInterface.ipAliases", `must hold at most ${vpcRouterMaxIpAliases} addresses`);
  }
  return {
    switchId: nic.switchId as string,
    ipAddresses,
    virtualIpAddress: nic.virtualIpAddress as string,
    vrid: nic.vrid as number,
    ipAliases,
  };
}

/**
 * NICs eth1-eth7: index 1-7 once each, a switch, a mask of 16-29, one address on the standard
 * plan and two with a shared `virtualIpAddress` on the others (terraform-provider-sakuracloud
 * `private_network_interface`; builder_nic.go AdditionalStandardNICSetting and
 * AdditionalPremiumNICSetting). The addresses must lie in one network of that mask, and two
 * NICs' networks must not overlap, or the router could not tell where to send a packet.
 */
function checkPrivateInterfaces(
  f: Failures,
  plan: VpcRouterPlan,
  value: unknown,
): VpcRouterPrivateInterfaceInputs[] {
  const list = listAt(f, "privateInterfaces", value);
  if (list === undefined) return value as VpcRouterPrivateInterfaceInputs[];
  if (list.length > vpcRouterPrivateNicIndexes.max) {
    f.add("privateInterfaces", `must hold at most ${vpcRouterPrivateNicIndexes.max} NICs`);
  }
  const seen = new Set<number>();
  const nics = list.map((item, i): VpcRouterPrivateInterfaceInputs => {
    const at = `privateInterfaces[${i}]`;
    if (isUnknown(item)) return item as VpcRouterPrivateInterfaceInputs;
    const nic = objectAt(f, at, item) ?? {};
    const { min, max } = vpcRouterPrivateNicIndexes;
    integerIn(f, `${at}.index`, nic.index, min, max);
    if (typeof nic.index === "number") {
      if (seen.has(nic.index)) f.add(`${at}.index`, `NIC ${nic.index} is given twice`);
      seen.add(nic.index);
    }
    f.string(`${at}.switchId`, nic.switchId);
    const ipAddresses = ipv4List(f, `${at}.ipAddresses`, nic.ipAddresses, addressCount(plan));
    if (plan === "standard" && nic.virtualIpAddress !== undefined) {
      f.add(`${at}.virtualIpAddress`, "the standard plan runs one router: leave it out");
    } else if (addressCount(plan) === 2) {
      ipv4At(f, `${at}.virtualIpAddress`, nic.virtualIpAddress);
    }
    integerIn(
      f,
      `${at}.networkMaskLen`,
      nic.networkMaskLen,
      vpcRouterNetmask.min,
      vpcRouterNetmask.max,
    );
    const result: VpcRouterPrivateInterfaceInputs = {
      index: nic.index as number,
      switchId: nic.switchId as string,
      ipAddresses,
      networkMaskLen: nic.networkMaskLen as number,
      ...(nic.virtualIpAddress === undefined
        ? {}
        : { virtualIpAddress: nic.virtualIpAddress as string }),
    };
    checkOneNetwork(f, at, result);
    return result;
  });
  checkNoOverlap(f, nics);
  return [...nics].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
}

/** Addresses per NIC: one router on the standard plan, a pair on the others; unknown plan, no rule. */
function addressCount(plan: VpcRouterPlan): number | undefined {
  if (!planNames.includes(plan)) return undefined;
  return plan === "standard" ? 1 : 2;
}

function checkOneNetwork(f: Failures, at: string, nic: VpcRouterPrivateInterfaceInputs): void {
  const addresses = [
    ...(nic.ipAddresses ?? []),
    ...(nic.virtualIpAddress ? [nic.virtualIpAddress] : []),
  ];
  if (!allKnown(addresses) || !allKnown(nic.networkMaskLen) || addresses.length === 0) return;
  if (!addresses.every((a) => parseCidr(`${a}/${nic.networkMaskLen}`))) return;
  const [first = ""] = addresses;
  const size = 2 ** (32 - nic.networkMaskLen);
  for (const address of addresses) {
    if (!inNetwork(address, first, nic.networkMaskLen)) {
      f.add(at, `${address} is not in the /${nic.networkMaskLen} network of ${first}`);
    }
    const host = ipv4ToNumber(address) % size;
    if (host === 0 || host === size - 1) {
      f.add(at, `${address} is the network's ${host === 0 ? "own" : "broadcast"} address`);
    }
  }
  if (nic.virtualIpAddress !== undefined && nic.ipAddresses?.includes(nic.virtualIpAddress)) {
    f.add(`${at}.virtualIpAddress`, "must differ from the ipAddresses");
  }
}

function checkNoOverlap(f: Failures, nics: VpcRouterPrivateInterfaceInputs[]): void {
  const { networks } = connectedNetworks(nics);
  for (const [i, a] of networks.entries()) {
    for (const b of networks.slice(i + 1)) {
      const prefix = Math.min(a.prefix, b.prefix);
      if (inNetwork(a.network, b.network, prefix)) {
        f.add(
          "privateInterfaces",
          `the networks of eth${a.index} (${a.network}/${a.prefix}) and eth${b.index} (${b.network}/${b.prefix}) overlap`,
        );
      }
    }
  }
}

/**
 * The networks of the private NICs, and whether that is all of them: a NIC whose address or
 * mask is still unknown at preview leaves the list incomplete, and checks that need every
 * network wait until it is known.
 */
export function connectedNetworks(nics: VpcRouterPrivateInterfaceInputs[]): ConnectedNetworks {
  if (!Array.isArray(nics)) return { networks: [], complete: false };
  let complete = true;
  const networks = nics.flatMap((nic) => {
    const address = nic?.virtualIpAddress ?? nic?.ipAddresses?.[0];
    const known = allKnown(address) && allKnown(nic?.networkMaskLen) && allKnown(nic?.index);
    if (!known) complete = false;
    if (!known || parseCidr(`${address}/${nic.networkMaskLen}`, 1) === undefined) return [];
    const size = 2 ** (32 - nic.networkMaskLen);
    const base = Math.floor(ipv4ToNumber(address as string) / size) * size;
    return [{ index: nic.index, network: numberToIpv4(base), prefix: nic.networkMaskLen }];
  });
  return { networks, complete };
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/**
 * Static routes: a destination network and an IPv4 next hop (terraform-provider-sakuracloud
 * `static_route`: `prefix` a CIDR block, `next_hop` validateIPv4Address). The next hop must be
 * on a private NIC's network, the only place the router can reach it.
 */
function checkStaticRoutes(
  f: Failures,
  value: unknown,
  { networks, complete }: ConnectedNetworks,
): VpcRouterStaticRouteInputs[] {
  const list = listAt(f, "staticRoutes", value);
  if (list === undefined) return value as VpcRouterStaticRouteInputs[];
  return list.map((item, i) => {
    const at = `staticRoutes[${i}]`;
    if (isUnknown(item)) return item as VpcRouterStaticRouteInputs;
    const route = objectAt(f, at, item) ?? {};
    if (!isUnknown(route.prefix) && parseCidr(route.prefix) === undefined) {
      f.add(`${at}.prefix`, "must be a network such as 172.16.0.0/16");
    }
    ipv4At(f, `${at}.nextHop`, route.nextHop);
    const hop = route.nextHop;
    if (complete && typeof hop === "string" && allKnown(hop) && parseCidr(`${hop}/32`)) {
      if (!networks.some((n) => inNetwork(hop, n.network, n.prefix))) {
        const on = networks.map((n) => `eth${n.index} ${n.network}/${n.prefix}`).join(", ");
        f.add(`${at}.nextHop`, `${hop} is on no private NIC's network (${on || "none given"})`);
      }
    }
    return { prefix: route.prefix as string, nextHop: route.nextHop as string };
  });
}
