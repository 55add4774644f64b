// The site's firewall, as data: who may reach which port of which role. Hosts are named by their
// service accounts (which only an IAM grant can change), outside sources by Google's published
// ranges. Nothing is opened to the internet: public traffic arrives through the load balancer's
// proxies. Pure.
import type { Role } from "../spec/hosts";
import { SERVICE_PORTS } from "./host-settings";

/** Google Front Ends: the external load balancer's proxies and every health check prober. */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ["130.211.0.0/22", "35.191.0.0/16"];
/** Identity-Aware Proxy's TCP forwarding, the only way in for SSH. */
export const IAP_TCP_FORWARDING_RANGES: readonly string[] = ["35.235.240.0/20"];

export interface PortSpec {
  readonly protocol: "tcp" | "udp" | "all";
  readonly ports?: readonly string[];
}

export type RuleSource =
  | { readonly kind: "ranges"; readonly ranges: readonly string[] }
  | { readonly kind: "roles"; readonly roles: readonly Role[] };

export interface FirewallRuleSpec {
  /** Suffix of the resource name, unique in the site. */
  readonly key: string;
  readonly description: string;
  readonly action: "allow" | "deny";
  readonly priority: number;
  readonly ports: readonly PortSpec[];
  readonly source: RuleSource;
  /** Roles whose hosts the rule protects; undefined for every instance in the network. */
  readonly targets?: readonly Role[];
}

export interface FirewallPlanInput {
  /** Roles that have hosts in the region. */
  readonly roles: readonly Role[];
  /** IPv4 addresses of other regions' Consul servers (WAN federation); empty when not federated. */
  readonly wanPeers: readonly string[];
  /** Whether the region federates with others over Consul's WAN pool. */
  readonly consulWan: boolean;
}

const tcp = (...ports: string[]): PortSpec => ({ protocol: "tcp", ports });
const udp = (...ports: string[]): PortSpec => ({ protocol: "udp", ports });

/** Priority of the catch-all deny: after every allow, before GCP's implied rules (65535). */
export const DENY_ALL_PRIORITY = 65534;

/**
 * The rules for the roles present. A rule whose targets or role sources are all absent is left out,
 * and absent roles are dropped from sources, so that no rule names an account that does not exist.
 */
export function firewallRules(input: FirewallPlanInput): FirewallRuleSpec[] {
  const present = new Set(input.roles);
  const all = input.roles;
  const rules: FirewallRuleSpec[] = [
    {
      key: "lb-to-nginx",
      description: "Load balancer proxies and health checks to nginx",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.nginx))],
      source: { kind: "ranges", ranges: GOOGLE_FRONT_END_RANGES },
      targets: ["nginx"],
    },
    {
      key: "health-checks-to-app",
      description: "Auto-healing health checks to the app servers",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.app))],
      source: { kind: "ranges", ranges: GOOGLE_FRONT_END_RANGES },
      targets: ["app"],
    },
    {
      key: "nginx-to-app",
      description: "nginx to the app servers",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.app))],
      source: { kind: "roles", roles: ["nginx"] },
      targets: ["app"],
    },
    {
      key: "mysql-clients",
      description: "App servers, batch (util) and replicas to MySQL",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.mysql))],
      source: { kind: "roles", roles: ["app", "util", "mysql"] },
      targets: ["mysql"],
    },
    {
      key: "memcached-clients",
      description: "App servers and batch (util) to memcached",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.memcached))],
      source: { kind: "roles", roles: ["app", "util"] },
      targets: ["memcached"],
    },
    {
      key: "consul-server-rpc",
      description: "Consul agents to the Consul servers (RPC)",
      action: "allow",
      priority: 1000,
      ports: [tcp("8300")],
      source: { kind: "roles", roles: all },
      targets: ["util"],
    },
    {
      key: "consul-lan-gossip",
      description: "Consul LAN gossip between every host",
      action: "allow",
      priority: 1000,
      ports: [tcp("8301"), udp("8301")],
      source: { kind: "roles", roles: all },
      targets: all,
    },
    {
      key: "chocon-clients",
      description: "Hosts to chocon, the keep-alive proxy to other clouds",
      action: "allow",
      priority: 1000,
      ports: [tcp(String(SERVICE_PORTS.chocon))],
      source: { kind: "roles", roles: all },
      targets: ["chocon"],
    },
    {
      key: "iap-ssh",
      description: "SSH through Identity-Aware Proxy only",
      action: "allow",
      priority: 1000,
      ports: [tcp("22")],
      source: { kind: "ranges", ranges: IAP_TCP_FORWARDING_RANGES },
      targets: all,
    },
  ];
  if (input.consulWan) {
    rules.push({
      key: "consul-wan-gossip",
      description: "Consul WAN gossip between this region's servers",
      action: "allow",
      priority: 1000,
      ports: [tcp("8302"), udp("8302")],
      source: { kind: "roles", roles: ["util"] },
      targets: ["util"],
    });
    if (input.wanPeers.length > 0) {
      rules.push({
        key: "consul-wan-peers",
        description: "Other regions' Consul servers (WAN gossip and RPC)",
        action: "allow",
        priority: 1000,
        ports: [tcp("8300", "8302"), udp("8302")],
        source: { kind: "ranges", ranges: input.wanPeers.map((address) => `${address}/32`) },
        targets: ["util"],
      });
    }
  }
  rules.push({
    key: "deny-all-ingress",
    description: "Deny and log everything no rule above allows",
    action: "deny",
    priority: DENY_ALL_PRIORITY,
    ports: [{ protocol: "all" }],
    source: { kind: "ranges", ranges: ["0.0.0.0/0"] },
  });

  return rules.flatMap((rule) => {
    const targets = rule.targets?.filter((role) => present.has(role));
    if (targets && targets.length === 0) return [];
    if (rule.source.kind === "ranges") return [{ ...rule, targets }];
    const roles = rule.source.roles.filter((role) => present.has(role));
    if (roles.length === 0) return [];
    return [{ ...rule, targets, source: { kind: "roles", roles } }];
  });
}
