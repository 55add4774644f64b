// Can every caller reach every name it must, across clouds and inside a site? For each reach in
// the table (a name, who calls it, on which protocols), the plan is read back (topology-model.ts)
// and each path from a caller's range to a serving host must have:
//   - a link: what carries the packet from the caller's network to the host's (a VPN whose far
//     end is the host's network), or one network for both;
//   - a route back: the host's side sends the caller's range into that link;
//   - an opening: the host's filters (security groups, GCP firewall, the Sakura VPC router's
//     firewall and packet filters) admit the caller's range or identity on that port;
//   - a listener: the host's rendered configuration serves the port on an address callers reach;
//   - and no more: the port is admitted from the region's own ranges only (topology-exposure.ts).
// A reach added later (the US gateway's route to the monolith) is one more table entry. Pure.
import {
  type Cidr,
  contains,
  formatCidr,
  formatIpv4,
  overlaps,
  parseCidr,
  parseIpv4,
} from "../../components/spec/cidr";
import type { RegionSpec } from "../../components/spec/schema";
import type { Plan, PlannedResource } from "./plan";
import { regionRanges, widerOpenings } from "./topology-exposure";
import {
  list,
  type PlanCluster,
  type PlanHost,
  PlanIndex,
  readCluster,
  readHosts,
  record,
  text,
} from "./topology-model";

type Protocol = "tcp" | "udp";

export interface Reach {
  readonly id: string;
  /** What callers ask for, in their words. */
  readonly name: string;
  /** The cluster's nodes and pods (each listed range), or the site's hosts. */
  readonly from: { readonly cluster: readonly ("nodes" | "pods")[] } | { readonly hosts: true };
  /** Who serves it: the servers kube-dns forwards a domain to, or the hosts of a Consul service. */
  readonly to: { readonly stubDomain: string } | { readonly service: string };
  readonly protocols: readonly Protocol[];
  /** Whether the plan has this reach at all (a route that is not always there). */
  readonly when?: (index: PlanIndex) => boolean;
}

export const REACHES: readonly Reach[] = [
  {
    id: "consul-dns",
    name: "*.consul from the cluster (kube-dns and NodeLocal DNSCache to the Consul servers)",
    from: { cluster: ["nodes", "pods"] },
    to: { stubDomain: "consul" },
    protocols: ["udp", "tcp"],
  },
  {
    id: "chocon-from-pods",
    name: "chocon.service.consul from pods",
    from: { cluster: ["pods"] },
    to: { service: "chocon" },
    protocols: ["tcp"],
  },
  {
    id: "chocon-from-hosts",
    name: "*.ccnproxy-https (chocon.service.consul) from every host",
    from: { hosts: true },
    to: { service: "chocon" },
    protocols: ["tcp"],
  },
  {
    id: "monolith-from-gateway",
    name: "the monolith API (the app tier) from the API gateway, through chocon",
    from: { cluster: ["pods"] },
    to: { service: "app" },
    protocols: ["tcp"],
    when: gatewayWrapsMonolith,
  },
];

/** `wide`: a port a reach needs is also admitted from outside the region's own ranges. */
export type ProblemKind = "name" | "link" | "route" | "opening" | "listener" | "wide";

export interface TopologyProblem {
  readonly reach: string;
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface TopologyReport {
  /** Paths judged: caller range x serving host x protocol. */
  readonly paths: number;
  readonly byReach: Readonly<Record<string, number>>;
  /** One entry per distinct problem. */
  readonly problems: readonly TopologyProblem[];
}

/** `dedicated`: the addresses of hosts the plan cannot show (dedicated servers), by name. */
export function checkTopology(
  plan: Plan,
  dedicated: Record<string, string> = {},
  reaches: readonly Reach[] = REACHES,
): TopologyReport {
  const index = new PlanIndex(plan);
  const hosts = readHosts(index, dedicated);
  const cluster = readCluster(index);
  const problems = new Map<string, TopologyProblem>();
  const byReach: Record<string, number> = {};
  const own = regionRanges(index, hosts, cluster);
  let paths = 0;
  for (const reach of reaches) {
    if (reach.when && !reach.when(index)) continue;
    const report = (kind: ProblemKind, message: string) =>
      problems.set(`${reach.id}|${kind}|${message}`, { reach: reach.id, kind, message });
    const targets = servingHosts(reach, hosts, cluster, report);
    const callers = callersOf(reach, hosts, cluster);
    for (const target of targets) {
      for (const protocol of reach.protocols) {
        const served = { host: target.host, protocol, port: target.port };
        for (const wide of widerOpenings(index, served, own)) report("wide", wide);
      }
      for (const caller of callers) {
        if (caller.host === target.host) continue;
        for (const protocol of reach.protocols) {
          paths++;
          byReach[reach.id] = (byReach[reach.id] ?? 0) + 1;
          judgePath(index, cluster, caller, target, protocol, report);
        }
      }
    }
  }
  return { paths, byReach, problems: [...problems.values()] };
}

interface Target {
  readonly host: PlanHost;
  readonly port: number;
  readonly reach: Reach;
}

interface Caller {
  /** What the caller is called in messages: `pods 10.24.0.0/14`, a host's resource name. */
  readonly label: string;
  readonly host?: PlanHost;
  /** The cluster's range the call starts from (absent for hosts). */
  readonly clusterRange?: Cidr;
  readonly part?: "nodes" | "pods";
}

function servingHosts(
  reach: Reach,
  hosts: readonly PlanHost[],
  cluster: PlanCluster | undefined,
  report: (kind: ProblemKind, message: string) => void,
): Target[] {
  if ("stubDomain" in reach.to) {
    if (!cluster) return [];
    const domain = reach.to.stubDomain;
    const servers = cluster.stubDomains.get(domain) ?? [];
    if (servers.length === 0) {
      report(
        "name",
        `kube-dns does not forward ${domain}. anywhere: pods cannot resolve *.${domain}`,
      );
    }
    return servers.flatMap((server) => {
      const host = hosts.find((candidate) =>
        candidate.ranges.some((range) => range.prefix === 32 && range.base === server.address),
      );
      if (!host) {
        report(
          "name",
          `kube-dns forwards ${domain}. to ${formatIpv4(server.address)}:${server.port}, which no host of the plan has`,
        );
        return [];
      }
      return [{ host, port: server.port, reach }];
    });
  }
  const service = reach.to.service;
  const targets = hosts.flatMap((host) => {
    const port = servicePort(host, service);
    return port === undefined ? [] : [{ host, port, reach }];
  });
  // A name nobody serves is a gap too, not a reach with no paths to judge.
  if (targets.length === 0) report("listener", `no host registers the ${service} service`);
  return targets;
}

function callersOf(
  reach: Reach,
  hosts: readonly PlanHost[],
  cluster: PlanCluster | undefined,
): Caller[] {
  if ("hosts" in reach.from) {
    return hosts.map((host) => ({ label: host.resource.name, host }));
  }
  if (!cluster) return [];
  return reach.from.cluster.flatMap((part): Caller[] => {
    const range = cluster[part];
    return range ? [{ label: `GKE ${part} ${formatCidr(range)}`, clusterRange: range, part }] : [];
  });
}

function judgePath(
  index: PlanIndex,
  cluster: PlanCluster | undefined,
  caller: Caller,
  target: Target,
  protocol: Protocol,
  report: (kind: ProblemKind, message: string) => void,
): void {
  const where = `${caller.label} -> ${hostLabel(target.host)} ${protocol}/${target.port}`;
  const listener = listening(target);
  if (listener) report("listener", `${hostLabel(target.host)}: ${listener}`);
  if (caller.clusterRange && cluster) {
    const source = sourceAtTarget(cluster, caller, target.host);
    const paths = linkPaths(index, cluster, source, target.host);
    const working = paths.filter((path) => path.problem === undefined);
    if (working.length === 0) {
      const why = paths.map((path) => path.problem).join("; ");
      report(
        "link",
        `${where}: no link carries ${formatCidr(source)} to the host${why ? ` (${why})` : ""}`,
      );
      return;
    }
    const back = working.map((path) => path.routeBack(target.host, source));
    if (back.every((problem) => problem !== undefined)) {
      report("route", `${where}: ${back[0]}`);
    }
    const open = working.map((path) => path.opening(target.host, source, protocol, target.port));
    if (open.every((problem) => problem !== undefined)) {
      report("opening", `${where}: ${open[0]}`);
    }
    return;
  }
  const from = caller.host;
  if (!from) return;
  const route = sameNetwork(from, target.host);
  if (route) report("route", `${where}: ${route}`);
  const opening = siteOpening(index, from, target.host, protocol, target.port);
  if (opening) report("opening", `${where}: ${opening}`);
}

function hostLabel(host: PlanHost): string {
  const address = host.ranges.find((range) => range.prefix === 32);
  return address ? `${host.resource.name} (${formatIpv4(address.base)})` : host.resource.name;
}

/**
 * The source address a call from the cluster has when it arrives: pods keep theirs unless the
 * cluster's ip-masq-agent masquerades the destination (it is outside every nonMasqueradeCIDRs
 * range), when they carry their node's. With no such ConfigMap, GKE keeps pod addresses towards
 * private ranges.
 */
function sourceAtTarget(cluster: PlanCluster, caller: Caller, host: PlanHost): Cidr {
  const range = caller.clusterRange as Cidr;
  if (caller.part !== "pods" || !cluster.nonMasquerade || !cluster.nodes) return range;
  const kept = host.ranges.every((hostRange) =>
    (cluster.nonMasquerade ?? []).some((entry) => contains(entry, hostRange)),
  );
  return kept ? range : cluster.nodes;
}

interface LinkPath {
  /** Why this candidate does not carry the call; undefined when it does. */
  readonly problem?: string;
  routeBack(host: PlanHost, source: Cidr): string | undefined;
  opening(host: PlanHost, source: Cidr, protocol: Protocol, port: number): string | undefined;
}

function linkPaths(
  index: PlanIndex,
  cluster: PlanCluster,
  source: Cidr,
  host: PlanHost,
): LinkPath[] {
  return [...haVpnPaths(index, cluster, host), ...classicVpnPaths(index, cluster, source, host)];
}

/** HA VPN tunnels from the cluster's network whose BGP sessions reach an AWS VPC holding the host. */
function haVpnPaths(index: PlanIndex, cluster: PlanCluster, host: PlanHost): LinkPath[] {
  const paths: LinkPath[] = [];
  for (const tunnel of index.ofType("gcp:compute/vPNTunnel:VPNTunnel")) {
    const gateway = index.ref(tunnel, tunnel.inputs.vpnGateway);
    if (gateway?.type !== "gcp:compute/haVpnGateway:HaVpnGateway") continue;
    if (index.ref(gateway, gateway.inputs.network) !== cluster.network) continue;
    const fail = (problem: string): LinkPath => ({
      problem: `${tunnel.name}: ${problem}`,
      routeBack: () => problem,
      opening: () => problem,
    });
    const router = index.ref(tunnel, tunnel.inputs.router);
    const asn = router ? Number(record(router.inputs.bgp).asn) : Number.NaN;
    if (!router || Number.isNaN(asn)) {
      paths.push(fail("no Cloud Router with BGP"));
      continue;
    }
    const nic = index
      .ofType("gcp:compute/routerInterface:RouterInterface")
      .find(
        (candidate) =>
          index.ref(candidate, candidate.inputs.router) === router &&
          index.ref(candidate, candidate.inputs.vpnTunnel) === tunnel,
      );
    const peer = nic
      ? index
          .ofType("gcp:compute/routerPeer:RouterPeer")
          .find(
            (candidate) =>
              index.ref(candidate, candidate.inputs.router) === router &&
              index.ref(candidate, candidate.inputs.interface) === nic,
          )
      : undefined;
    if (!nic || !peer) {
      paths.push(fail("no BGP session on the tunnel (router interface and peer)"));
      continue;
    }
    const external = index.ref(tunnel, tunnel.inputs.peerExternalGateway);
    const connections = external
      ? index
          .ofType("aws:ec2/vpnConnection:VpnConnection")
          .filter((connection) => index.dependsOn(external, connection))
      : [];
    const candidates = connections.flatMap((connection) => {
      const vgw = index.ref(connection, connection.inputs.vpnGatewayId);
      const vpc = vgw ? index.ref(vgw, vgw.inputs.vpcId) : undefined;
      const customer = index.ref(connection, connection.inputs.customerGatewayId);
      return vgw && vpc && customer ? [{ connection, vgw, vpc, customer }] : [];
    });
    const reaching = candidates.filter(({ vpc }) => host.network === vpc);
    const end = reaching[0];
    if (!end) {
      paths.push(fail("its AWS end is on no VPC holding the host"));
      continue;
    }
    if (end.connection.inputs.staticRoutesOnly === true) {
      paths.push(fail(`${end.connection.name} uses static routes, so BGP learns nothing`));
      continue;
    }
    const vgwAsn = Number(text(end.vgw.inputs.amazonSideAsn) ?? 64512);
    if (Number(peer.inputs.peerAsn) !== vgwAsn) {
      paths.push(
        fail(`BGP peer ASN ${String(peer.inputs.peerAsn)} is not the gateway's ${vgwAsn}`),
      );
      continue;
    }
    if (Number(text(end.customer.inputs.bgpAsn)) !== asn) {
      paths.push(
        fail(
          `the customer gateway's ASN ${String(end.customer.inputs.bgpAsn)} is not the Cloud Router's ${asn}`,
        ),
      );
      continue;
    }
    paths.push({
      routeBack: (target, source) => {
        const announced = announcedBy(router, cluster);
        if (!announced.some((range) => contains(range, source))) {
          return `the Cloud Router ${router.name} does not announce ${formatCidr(source)} to AWS`;
        }
        const propagated = index
          .ofType("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")
          .filter(
            (propagation) => index.ref(propagation, propagation.inputs.vpnGatewayId) === end.vgw,
          )
          .map((propagation) => index.ref(propagation, propagation.inputs.routeTableId));
        const missing = target.routeTables.filter((table) => !propagated.includes(table));
        if (target.routeTables.length === 0 || missing.length > 0) {
          return `the host's route table ${missing.map((table) => table.name).join(", ") || "(none)"} takes no routes from ${end.vgw.name}`;
        }
        return undefined;
      },
      opening: (target, source, protocol, port) =>
        awsOpening(index, target, { range: source }, protocol, port),
    });
  }
  return paths;
}

/** What a Cloud Router announces: its custom ranges, or by default the network's subnets. */
function announcedBy(router: PlannedResource, cluster: PlanCluster): Cidr[] {
  const bgp = record(router.inputs.bgp);
  if (bgp.advertiseMode === "CUSTOM") {
    return list(bgp.advertisedIpRanges).flatMap((item) => {
      const range = parseCidr(text(record(item).range) ?? "");
      return range ? [range] : [];
    });
  }
  return [cluster.nodes, cluster.pods].filter((range): range is Cidr => range !== undefined);
}

/** Classic VPN tunnels from the cluster's network to a Sakura VPC router on the host's switch. */
function classicVpnPaths(
  index: PlanIndex,
  cluster: PlanCluster,
  source: Cidr,
  host: PlanHost,
): LinkPath[] {
  const paths: LinkPath[] = [];
  const hostRange = host.ranges[0];
  if (!hostRange) return paths;
  for (const route of index.ofType("gcp:compute/route:Route")) {
    if (index.ref(route, route.inputs.network) !== cluster.network) continue;
    const destination = parseCidr(text(route.inputs.destRange) ?? "");
    if (!destination || !contains(destination, hostRange)) continue;
    const tunnel = index.ref(route, route.inputs.nextHopVpnTunnel);
    if (!tunnel) continue;
    const fail = (problem: string): LinkPath => ({
      problem: `${tunnel.name}: ${problem}`,
      routeBack: () => problem,
      opening: () => problem,
    });
    const gateway = index.ref(tunnel, tunnel.inputs.targetVpnGateway);
    if (!gateway || index.ref(gateway, gateway.inputs.network) !== cluster.network) {
      paths.push(fail("no Classic VPN gateway on the cluster's network"));
      continue;
    }
    const forwarded = index
      .referrers("gcp:compute/forwardingRule:ForwardingRule", "target", gateway)
      .map(
        (rule) =>
          `${String(rule.inputs.ipProtocol)}${rule.inputs.portRange ? `/${String(rule.inputs.portRange)}` : ""}`,
      );
    const needed = ["ESP", "UDP/500", "UDP/4500"].filter((entry) => !forwarded.includes(entry));
    if (needed.length > 0) {
      paths.push(fail(`the gateway receives no ${needed.join(", ")} (forwarding rules)`));
      continue;
    }
    const local = cidrs(tunnel.inputs.localTrafficSelectors);
    const remote = cidrs(tunnel.inputs.remoteTrafficSelectors);
    if (!local.some((range) => contains(range, source))) {
      paths.push(
        fail(
          `its local traffic selector (${local.map(formatCidr).join(", ")}) does not hold ${formatCidr(source)}`,
        ),
      );
      continue;
    }
    if (!remote.some((range) => contains(range, hostRange))) {
      paths.push(
        fail(
          `its remote traffic selector (${remote.map(formatCidr).join(", ")}) does not hold the host`,
        ),
      );
      continue;
    }
    const router = index
      .ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter")
      .find((candidate) => index.dependsOn(tunnel, candidate));
    if (!router) {
      paths.push(fail("its peer is no Sakura VPC router of the plan"));
      continue;
    }
    if (Number(tunnel.inputs.ikeVersion ?? 2) !== 1) {
      paths.push(fail("it speaks IKEv2, and a Sakura VPC router only IKEv1"));
      continue;
    }
    const nic = list(router.inputs.privateInterfaces)
      .map(record)
      .find((candidate) => {
        const address = parseIpv4(text(list(candidate.ipAddresses)[0]) ?? "");
        const length = Number(candidate.networkMaskLen);
        return (
          address !== undefined &&
          index.ref(router, candidate.switchId) === host.network &&
          contains({ base: address - (address % 2 ** (32 - length)), prefix: length }, hostRange)
        );
      });
    if (!nic) {
      paths.push(fail(`${router.name} has no NIC on the host's switch`));
      continue;
    }
    const nicAddress = parseIpv4(text(list(nic.ipAddresses)[0]) ?? "") as number;
    paths.push({
      routeBack: (target, from) =>
        target.nicRoutes.some((route) => route.via === nicAddress && contains(route.to, from))
          ? undefined
          : `the host has no route to ${formatCidr(from)} through ${router.name} (${formatIpv4(nicAddress)})`,
      opening: (target, from, protocol, port) =>
        sakuraRouterOpening(index, router, Number(nic.index), target, from, protocol, port),
    });
  }
  return paths;
}

function cidrs(value: unknown): Cidr[] {
  return list(value).flatMap((item) => {
    const range = parseCidr(text(item) ?? "");
    return range ? [range] : [];
  });
}

// Openings

interface Source {
  readonly range?: Cidr;
  readonly host?: PlanHost;
}

/** Security groups are allow-lists: some rule on one of the host's groups admits the source. */
function awsOpening(
  index: PlanIndex,
  host: PlanHost,
  source: Source,
  protocol: Protocol,
  port: number,
): string | undefined {
  const ranges = source.range ? [source.range] : (source.host?.ranges ?? []);
  const rules = index
    .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .filter((rule) => {
      const group = index.ref(rule, rule.inputs.securityGroupId);
      return group !== undefined && host.securityGroups.includes(group);
    })
    .filter((rule) => {
      const ruleProtocol = String(rule.inputs.ipProtocol);
      const from = Number(rule.inputs.fromPort);
      const to = Number(rule.inputs.toPort);
      return (
        (ruleProtocol === protocol || ruleProtocol === "-1") &&
        (ruleProtocol === "-1" || (from <= port && port <= to))
      );
    });
  const admitted = (range: Cidr) =>
    rules.some((rule) => {
      const cidr = parseCidr(text(rule.inputs.cidrIpv4) ?? "");
      if (cidr && contains(cidr, range)) return true;
      const referenced = index.ref(rule, rule.inputs.referencedSecurityGroupId);
      return referenced !== undefined && (source.host?.securityGroups ?? []).includes(referenced);
    });
  const refused = ranges.filter((range) => !admitted(range));
  return refused.length === 0 && ranges.length > 0
    ? undefined
    : `no security group rule of the host admits ${refused.map(formatCidr).join(", ") || "the caller"} on ${protocol}/${port}`;
}

/** The VPC router's firewall on the switch NIC (`send`), then the host's filter on that NIC. */
function sakuraRouterOpening(
  index: PlanIndex,
  router: PlannedResource,
  nicIndex: number,
  host: PlanHost,
  source: Cidr,
  protocol: Protocol,
  port: number,
): string | undefined {
  const entry = list(router.inputs.firewall)
    .map(record)
    .find(
      (candidate) =>
        Number(candidate.interfaceIndex ?? 0) === nicIndex && candidate.direction === "send",
    );
  const destination = host.ranges[0] as Cidr;
  const verdict = firstMatch(
    list(entry?.expressions).map(record),
    source,
    destination,
    protocol,
    port,
  );
  if (verdict !== "allow") {
    return `${router.name}'s firewall on eth${nicIndex} ${verdict} ${formatCidr(source)} to the host on ${protocol}/${port}`;
  }
  return sakuraFilterOpening(index, host, source, protocol, port);
}

function sakuraFilterOpening(
  _index: PlanIndex,
  host: PlanHost,
  source: Cidr,
  protocol: Protocol,
  port: number,
): string | undefined {
  if (!host.switchFilter) return undefined;
  const destination = host.ranges[0] as Cidr;
  const verdict = firstMatch(
    list(host.switchFilter.inputs.expressions).map(record),
    source,
    destination,
    protocol,
    port,
  );
  return verdict === "allow"
    ? undefined
    : `the packet filter ${host.switchFilter.name} on the host's switch NIC ${verdict} ${formatCidr(source)} on ${protocol}/${port}`;
}

/**
 * First match wins over Sakura's rules (a VPC router's firewall, a packet filter); a packet no rule
 * matches passes. A rule that covers only part of the source range counts when it denies (part of
 * the callers would be refused), and is passed over when it allows.
 */
function firstMatch(
  rules: readonly Record<string, unknown>[],
  source: Cidr,
  destination: Cidr,
  protocol: Protocol,
  port: number,
): "allow" | "denies" | "partly denies" {
  for (const rule of rules) {
    const ruleProtocol = text(rule.protocol);
    if (ruleProtocol !== "ip" && ruleProtocol !== protocol) continue;
    if (rule.sourcePort !== undefined && rule.sourcePort !== null) continue;
    const ports = text(rule.destinationPort);
    if (ports !== undefined && !inPorts(ports, port)) continue;
    const to = network(rule.destinationNetwork);
    if (to && !overlaps(to, destination)) continue;
    const from = network(rule.sourceNetwork);
    if (from && !overlaps(from, source)) continue;
    const whole = (!from || contains(from, source)) && (!to || contains(to, destination));
    if (rule.action === "deny") return whole ? "denies" : "partly denies";
    if (whole) return "allow";
  }
  return "allow";
}

function network(value: unknown): Cidr | undefined {
  const value_ = text(value);
  if (value_ === undefined) return undefined;
  return parseCidr(value_.includes("/") ? value_ : `${value_}/32`);
}

function inPorts(ports: string, port: number): boolean {
  const [low, high] = ports.split("-").map(Number);
  if (low === undefined || Number.isNaN(low)) return false;
  return port >= low && port <= (high ?? low);
}

/** Inside a site: one network for caller and host. */
function sameNetwork(from: PlanHost, to: PlanHost): string | undefined {
  if (to.cloud === "sakura" && to.switchRange) {
    return from.ranges.length > 0 &&
      from.ranges.every((range) => contains(to.switchRange as Cidr, range))
      ? undefined
      : `the caller is not on the host's switch (${formatCidr(to.switchRange)})`;
  }
  if (from.network && from.network === to.network) return undefined;
  return "the caller is on another network, and no link joins them";
}

function siteOpening(
  index: PlanIndex,
  from: PlanHost,
  to: PlanHost,
  protocol: Protocol,
  port: number,
): string | undefined {
  switch (to.cloud) {
    case "aws":
      return awsOpening(index, to, { host: from }, protocol, port);
    case "gcp":
      return gcpOpening(index, from, to, protocol, port);
    case "sakura":
      return from.ranges
        .map((range) => sakuraFilterOpening(index, to, range, protocol, port))
        .find((problem) => problem !== undefined);
    case "metal":
      return undefined;
  }
}

/** GCP's firewall: the lowest priority number that matches decides (deny first at a tie); none denies. */
function gcpOpening(
  index: PlanIndex,
  from: PlanHost,
  to: PlanHost,
  protocol: Protocol,
  port: number,
): string | undefined {
  const rules = index
    .ofType("gcp:compute/firewall:Firewall")
    .filter((rule) => index.ref(rule, rule.inputs.network) === to.network)
    .filter((rule) => (text(rule.inputs.direction) ?? "INGRESS") === "INGRESS")
    .filter((rule) => rule.inputs.disabled !== true)
    .filter((rule) => {
      const targets = list(rule.inputs.targetServiceAccounts).map(String);
      return targets.length === 0
        ? list(rule.inputs.targetTags).length === 0
        : targets.includes(to.serviceAccount ?? "");
    })
    .filter((rule) => {
      const accounts = list(rule.inputs.sourceServiceAccounts).map(String);
      if (accounts.includes(from.serviceAccount ?? "")) return true;
      const ranges = cidrs(rule.inputs.sourceRanges);
      return (
        from.ranges.length > 0 &&
        from.ranges.every((range) => ranges.some((block) => contains(block, range)))
      );
    })
    .map((rule) => {
      const allows = list(rule.inputs.allows).map(record);
      const denies = list(rule.inputs.denies).map(record);
      const matches = (entries: Record<string, unknown>[]) =>
        entries.some((entry) => {
          const ruleProtocol = text(entry.protocol);
          if (ruleProtocol !== "all" && ruleProtocol !== protocol) return false;
          const ports = list(entry.ports).map(String);
          return ports.length === 0 || ports.some((range) => inPorts(range, port));
        });
      return {
        rule,
        priority: Number(rule.inputs.priority ?? 1000),
        action: matches(denies)
          ? ("deny" as const)
          : matches(allows)
            ? ("allow" as const)
            : undefined,
      };
    })
    .filter((entry) => entry.action !== undefined)
    .sort((a, b) => a.priority - b.priority || (a.action === "deny" ? -1 : 1));
  const first = rules[0];
  if (first?.action === "allow") return undefined;
  return first
    ? `the firewall rule ${first.rule.name} (priority ${first.priority}) denies the caller on ${protocol}/${port}`
    : `no firewall rule admits the caller on ${protocol}/${port}`;
}

// Listeners

/** Why the host does not serve the reach on the port, or undefined when it does. */
function listening(target: Target): string | undefined {
  const { host, port, reach } = target;
  if ("stubDomain" in reach.to) return consulDnsListener(host, port);
  const service = reach.to.service;
  const registered = servicePort(host, service);
  if (registered !== port) return `registers no ${service} service on port ${port}`;
  for (const [path, unit] of host.files) {
    if (!path.startsWith("/etc/systemd/system/") || !path.endsWith(".service")) continue;
    const exec = unit.replace(/\\\n\s*/g, " ");
    const portFlag = new RegExp(`--port[= ]${port}\\b`).test(exec);
    const listen = /--listen[= ](\S+)/.exec(exec)?.[1];
    if (portFlag && listen !== undefined && isLoopback(listen)) {
      return `${path} listens on ${listen}:${port} only, which nothing off the host reaches`;
    }
  }
  return undefined;
}

/** The Consul agent answers DNS on the port, on an address other hosts and the link reach. */
function consulDnsListener(host: PlanHost, port: number): string | undefined {
  const raw = host.files.get("/etc/consul.d/multicloud.json");
  if (raw === undefined) return "runs no Consul agent (no /etc/consul.d/multicloud.json)";
  const config = record(JSON.parse(raw));
  const dnsPort = Number(record(config.ports).dns ?? 8600);
  if (dnsPort !== port) return `Consul answers DNS on port ${dnsPort}, not ${port}`;
  const bind = text(record(config.addresses).dns) ?? text(config.client_addr) ?? "127.0.0.1";
  const addresses = bind.match(/\{\{.*?\}\}|\S+/g) ?? [];
  const own = host.ranges.find((range) => range.prefix === 32);
  const reachable = addresses.some(
    (address) =>
      address === "0.0.0.0" ||
      address === "::" ||
      (own !== undefined && address === formatIpv4(own.base)) ||
      /GetPrivateInterfaces|GetPrivateIP|GetInterfaceIP|GetAllInterfaces/.test(address),
  );
  return reachable
    ? undefined
    : `Consul answers DNS (port ${port}) on ${bind} only, which nothing off the host reaches`;
}

function isLoopback(address: string): boolean {
  return /^127\.|^localhost$|^::1$/.test(address);
}

/** The port of a Consul service the host registers (its service definition among its files). */
function servicePort(host: PlanHost, service: string): number | undefined {
  for (const [path, content] of host.files) {
    if (!path.endsWith(".json") || !/"services?"/.test(content)) continue;
    try {
      // Consul takes one `service` or a list of `services` (the role's template, which the host
      // fills in at boot).
      const file = record(JSON.parse(content));
      const definitions = [file.service, ...list(file.services)].map(record);
      const definition = definitions.find((each) => each.name === service);
      if (definition && typeof definition.port === "number") return definition.port;
    } catch {
      // Not a JSON service definition.
    }
  }
  return undefined;
}

/** The addresses of a region's dedicated servers, by name: the plan shows their bootstrap only. */
export function dedicatedAddresses(spec: RegionSpec): Record<string, string> {
  return spec.cloud === "sakura"
    ? Object.fromEntries(spec.sakura.dedicated.map((server) => [server.name, server.address]))
    : {};
}

/** The US gateway's default route (prefix "/") that wraps the monolith, when the plan has one. */
export function gatewayWrapsMonolith(index: PlanIndex): boolean {
  return index.ofType("kubernetes:core/v1:ConfigMap").some((map) =>
    Object.values(record(map.inputs.data)).some((value) => {
      try {
        return list(record(JSON.parse(text(value) ?? "")).routes).some(
          (route) => record(route).prefix === "/",
        );
      } catch {
        return false;
      }
    }),
  );
}

/** The CLI's summary: one line when whole, else one line per problem. */
export function formatTopology(report: TopologyReport): string {
  const counts = Object.entries(report.byReach)
    .map(([reach, count]) => `${reach} ${count}`)
    .join(", ");
  const head = `Topology: ${report.paths} paths (${counts || "none in this region"})`;
  if (report.problems.length === 0)
    return `${head}, each with a link, a route back, an opening and a listener.`;
  return [
    `${head}, ${report.problems.length} gap(s):`,
    ...report.problems.map((problem) => `  ${problem.reach} ${problem.kind}: ${problem.message}`),
  ].join("\n");
}
