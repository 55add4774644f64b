// The other half of "reachable where it must be, and only there": the ports the reaches need
// (Consul DNS, chocon, the monolith) must be admitted from the region's own ranges only: its
// hosts' networks and its GKE cluster's node and pod ranges. An allow rule that admits any other
// source (the internet, another region's cluster) on such a port is a gap. Pure.
import { type Cidr, contains, formatCidr, parseCidr } from "../../components/spec/cidr";
import type { PlannedResource } from "./plan";
import {
  list,
  type PlanCluster,
  type PlanHost,
  type PlanIndex,
  record,
  text,
} from "./topology-model";

export interface ServedPort {
  readonly host: PlanHost;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
}

/** The region's own ranges: every host network of the plan and the cluster's node and pod ranges. */
export function regionRanges(
  index: PlanIndex,
  hosts: readonly PlanHost[],
  cluster: PlanCluster | undefined,
): Cidr[] {
  const ranges: Cidr[] = [];
  const add = (value: unknown) => {
    const range = parseCidr(text(value) ?? "");
    if (range) ranges.push(range);
  };
  for (const vpc of index.ofType("aws:ec2/vpc:Vpc")) add(vpc.inputs.cidrBlock);
  for (const subnet of index.ofType("gcp:compute/subnetwork:Subnetwork")) {
    add(subnet.inputs.ipCidrRange);
    for (const secondary of list(subnet.inputs.secondaryIpRanges))
      add(record(secondary).ipCidrRange);
  }
  for (const host of hosts) if (host.switchRange) ranges.push(host.switchRange);
  if (cluster?.nodes) ranges.push(cluster.nodes);
  if (cluster?.pods) ranges.push(cluster.pods);
  return ranges;
}

/** Why the host's port is open wider than the region: one text per rule and foreign source. */
export function widerOpenings(
  index: PlanIndex,
  served: ServedPort,
  own: readonly Cidr[],
): string[] {
  const { host, protocol, port } = served;
  const foreign = (source: Cidr | undefined) =>
    source === undefined || !own.some((range) => contains(range, source));
  const say = (rule: PlannedResource, source: Cidr | undefined) =>
    `${rule.name} admits ${source ? formatCidr(source) : "any source"} to ${host.resource.name} on ${protocol}/${port}, outside the region's networks and GKE ranges`;
  const found: string[] = [];
  for (const rule of index.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
    const group = index.ref(rule, rule.inputs.securityGroupId);
    if (!group || !host.securityGroups.includes(group)) continue;
    const ruleProtocol = String(rule.inputs.ipProtocol);
    const covers =
      ruleProtocol === "-1" ||
      (ruleProtocol === protocol &&
        Number(rule.inputs.fromPort) <= port &&
        port <= Number(rule.inputs.toPort));
    const cidr = text(rule.inputs.cidrIpv4);
    if (!covers || cidr === undefined) continue;
    const source = parseCidr(cidr);
    if (foreign(source)) found.push(say(rule, source));
  }
  if (host.cloud === "gcp") {
    for (const rule of index.ofType("gcp:compute/firewall:Firewall")) {
      if (index.ref(rule, rule.inputs.network) !== host.network) continue;
      if ((text(rule.inputs.direction) ?? "INGRESS") !== "INGRESS") continue;
      const targets = list(rule.inputs.targetServiceAccounts).map(String);
      if (targets.length > 0 && !targets.includes(host.serviceAccount ?? "")) continue;
      const opens = list(rule.inputs.allows)
        .map(record)
        .some((entry) => {
          const entryProtocol = text(entry.protocol);
          if (entryProtocol !== "all" && entryProtocol !== protocol) return false;
          const ports = list(entry.ports).map(String);
          return ports.length === 0 || ports.some((range) => inPorts(range, port));
        });
      if (!opens) continue;
      for (const cidr of list(rule.inputs.sourceRanges)) {
        const source = parseCidr(text(cidr) ?? "");
        if (foreign(source)) found.push(say(rule, source));
      }
    }
  }
  if (host.cloud === "sakura" || host.cloud === "metal") {
    const address = host.ranges[0];
    for (const router of index.ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter")) {
      for (const entry of list(router.inputs.firewall).map(record)) {
        for (const rule of list(entry.expressions).map(record)) {
          if (rule.action !== "allow") continue;
          const ruleProtocol = text(rule.protocol);
          if (ruleProtocol !== "ip" && ruleProtocol !== protocol) continue;
          const ports = text(rule.destinationPort);
          if (ports !== undefined && !inPorts(ports, port)) continue;
          const to = sakuraNetwork(rule.destinationNetwork);
          if (to && address && !contains(to, address) && !contains(address, to)) continue;
          const source = sakuraNetwork(rule.sourceNetwork);
          if (foreign(source)) found.push(say(router, source));
        }
      }
    }
  }
  return found;
}

/** A Sakura network field: an address, or a range; absent means any. */
function sakuraNetwork(value: unknown): Cidr | undefined {
  const written = text(value);
  if (written === undefined) return undefined;
  return parseCidr(written.includes("/") ? written : `${written}/32`);
}

function inPorts(ports: string, port: number): boolean {
  const [low, high] = ports.split("-").map(Number);
  if (low === undefined || Number.isNaN(low)) return false;
  return port >= low && port <= (high ?? low);
}
