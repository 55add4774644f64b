// Which traffic each security group lets through, as data. Least privilege: the internet reaches
// only the front on 80/443; every other rule names the group at its other end; egress to the
// internet is HTTP(S) only. No rule opens 22: administration goes through Session Manager. DNS
// needs no rule: unbound on each host talks to the VPC resolver, which security groups never
// filter. Pure.
import { cidrLabel, linkOpenings } from "../links/openings";
import { parseIpv4 } from "../spec/cidr";
import type { Role } from "../spec/hosts";
import { hostCount } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import { ports } from "./ports";

/** A security group of the site: one per role, one every host shares, the ALB's, the RDS one. */
export type GroupKey = "alb" | "host" | "database" | Role;

export type Peer =
  | { readonly group: GroupKey }
  /** A CIDR block; `label` names it in resource names ("internet", "wan-10-30-68-16"). */
  | { readonly cidr: string; readonly label: string };

export interface RulePlan {
  readonly group: GroupKey;
  readonly direction: "ingress" | "egress";
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly peer: Peer;
  readonly description: string;
}

export interface SecurityPlan {
  /** Groups to create, in order. */
  readonly groups: readonly GroupKey[];
  readonly rules: readonly RulePlan[];
  /** wanJoin entries that are host names: a security group can only name addresses. */
  readonly unresolvedWanPeers: readonly string[];
}

export const internet = { cidr: "0.0.0.0/0", label: "internet" } as const;

/** A short resource-name key for a rule, unique within a plan. */
export function ruleKey(rule: RulePlan): string {
  const peer = "group" in rule.peer ? rule.peer.group : rule.peer.label;
  const direction = rule.direction === "ingress" ? "in" : "out";
  return `${rule.group}-${direction}-${rule.protocol}${rule.port}-${peer}`;
}

export function securityPlan(spec: AwsRegionSpec): SecurityPlan {
  const rules: RulePlan[] = [];
  /** Allows `port` from group `from` to group `to`: an egress rule on one, an ingress on the other. */
  const flow = (
    from: GroupKey,
    to: GroupKey,
    protocol: "tcp" | "udp",
    port: number,
    what: string,
  ) => {
    rules.push({
      group: to,
      direction: "ingress",
      protocol,
      port,
      peer: { group: from },
      description: `${what} from ${from}`,
    });
    rules.push({
      group: from,
      direction: "egress",
      protocol,
      port,
      peer: { group: to },
      description: `${what} to ${to}`,
    });
  };
  const has = (role: Role) => hostCount(spec, role) > 0;
  const loadBalanced = spec.front.mode === "loadBalancer";
  const front: GroupKey = loadBalanced ? "alb" : "nginx";

  // The front: the only ingress from the internet.
  for (const [port, what] of [
    [ports.http, "HTTP (redirected to HTTPS)"],
    [ports.https, "HTTPS"],
  ] as const) {
    rules.push({
      group: front,
      direction: "ingress",
      protocol: "tcp",
      port,
      peer: internet,
      description: `${what} from the internet`,
    });
  }
  if (loadBalanced) flow("alb", "nginx", "tcp", ports.http, "HTTP and health checks");

  // The three tiers.
  flow("nginx", "app", "tcp", ports.app, "app HTTP");
  if (has("mysql")) {
    flow("app", "mysql", "tcp", ports.mysql, "MySQL");
    if (hostCount(spec, "mysql") > 1)
      flow("mysql", "mysql", "tcp", ports.mysql, "MySQL replication");
  }
  if (has("memcached")) flow("app", "memcached", "tcp", ports.memcached, "memcached");
  if (spec.aws.rds.length > 0) flow("app", "database", "tcp", ports.mysql, "MySQL (RDS)");

  // Consul: gossip between every agent, RPC from every agent to the servers (util hosts).
  for (const protocol of ["tcp", "udp"] as const) {
    flow("host", "host", protocol, ports.consulLan, "Consul LAN gossip");
  }
  flow("host", "util", "tcp", ports.consulRpc, "Consul RPC");

  // chocon: every host may send it calls bound for other clouds.
  if (has("chocon")) flow("host", "chocon", "tcp", ports.http, "calls through chocon");

  // The region's GKE cluster over its link: Consul DNS on the util hosts, chocon, from the ranges
  // that arrive over the link and nowhere else (replies leave through the stateful groups).
  for (const opening of linkOpenings(spec)) {
    rules.push({
      group: opening.role,
      direction: "ingress",
      protocol: opening.protocol,
      port: opening.port,
      peer: { cidr: opening.cidr, label: `${opening.link}-${cidrLabel(opening.cidr)}` },
      description: opening.description,
    });
  }

  // Out to the internet through NAT: HTTPS for AWS APIs, Session Manager and upstreams; HTTP for
  // Ubuntu's package archive (signed packages, served over HTTP) and chocon's http upstreams.
  rules.push({
    group: "host",
    direction: "egress",
    protocol: "tcp",
    port: ports.https,
    peer: internet,
    description: "HTTPS to the internet",
  });
  rules.push({
    group: "host",
    direction: "egress",
    protocol: "tcp",
    port: ports.http,
    peer: internet,
    description: "HTTP to the internet (package archive)",
  });

  // Consul WAN federation: the servers talk to other regions' servers (and to each other).
  const unresolvedWanPeers: string[] = [];
  if (spec.consul.wanJoin.length > 0) {
    for (const protocol of ["tcp", "udp"] as const) {
      flow("util", "util", protocol, ports.consulWan, "Consul WAN gossip");
    }
    for (const peer of spec.consul.wanJoin) {
      if (parseIpv4(peer) === undefined) {
        unresolvedWanPeers.push(peer);
        continue;
      }
      const block = { cidr: `${peer}/32`, label: `wan-${peer.replace(/\./g, "-")}` };
      const wan: ["tcp" | "udp", number, string][] = [
        ["tcp", ports.consulWan, "Consul WAN gossip"],
        ["udp", ports.consulWan, "Consul WAN gossip"],
        ["tcp", ports.consulRpc, "Consul RPC across datacenters"],
      ];
      for (const [protocol, port, what] of wan) {
        rules.push({
          group: "util",
          direction: "ingress",
          protocol,
          port,
          peer: block,
          description: `${what} from ${peer}`,
        });
        rules.push({
          group: "util",
          direction: "egress",
          protocol,
          port,
          peer: block,
          description: `${what} to ${peer}`,
        });
      }
    }
  }

  const groups: GroupKey[] = [
    ...(loadBalanced ? (["alb"] as const) : []),
    "host",
    "nginx",
    "app",
    "mysql",
    "memcached",
    "util",
    "chocon",
    ...(spec.aws.rds.length > 0 ? (["database"] as const) : []),
  ];
  return { groups, rules, unresolvedWanPeers };
}
