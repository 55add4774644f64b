// Sakura Cloud packet filters: what the internet may reach on the hosts' public addresses. A
// filter sees only arriving packets and keeps no state; its rules are tried in order, the first
// match decides, and a packet that no rule matches passes.
import type { ResourceRule } from "./types";
import { num, records, text } from "./values";

const PACKET_FILTER = "pulumi-nodejs:dynamic/sakuracloud:PacketFilter";

interface AdminPort {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly name: string;
}

/** Ports that administer a host or hold its data: never for the whole internet. */
export const ADMIN_PORTS: readonly AdminPort[] = [
  { protocol: "tcp", port: 22, name: "SSH" },
  { protocol: "tcp", port: 23, name: "Telnet" },
  { protocol: "tcp", port: 3389, name: "RDP" },
  { protocol: "tcp", port: 5900, name: "VNC" },
  { protocol: "tcp", port: 5985, name: "WinRM" },
  { protocol: "tcp", port: 3306, name: "MySQL" },
  { protocol: "tcp", port: 5432, name: "PostgreSQL" },
  { protocol: "tcp", port: 6379, name: "Redis" },
  { protocol: "tcp", port: 11211, name: "memcached" },
  { protocol: "udp", port: 11211, name: "memcached" },
  { protocol: "tcp", port: 8300, name: "Consul RPC" },
  { protocol: "tcp", port: 8301, name: "Consul gossip" },
  { protocol: "udp", port: 8301, name: "Consul gossip" },
  { protocol: "tcp", port: 8302, name: "Consul WAN gossip" },
  { protocol: "udp", port: 8302, name: "Consul WAN gossip" },
  { protocol: "tcp", port: 8500, name: "Consul HTTP API" },
  { protocol: "tcp", port: 8501, name: "Consul HTTPS API" },
  { protocol: "tcp", port: 8502, name: "Consul gRPC" },
  { protocol: "tcp", port: 8600, name: "Consul DNS" },
  { protocol: "udp", port: 8600, name: "Consul DNS" },
  { protocol: "tcp", port: 8953, name: "unbound-control" },
  { protocol: "tcp", port: 2375, name: "Docker API" },
  { protocol: "tcp", port: 2376, name: "Docker API" },
  { protocol: "tcp", port: 2379, name: "etcd" },
  { protocol: "tcp", port: 10250, name: "kubelet" },
];

/**
 * Whether a source field admits the internet at large: no source (any), 0.0.0.0/0, or a block so
 * wide (shorter than /8) that it is the internet in all but name.
 */
function fromAnywhere(source: unknown): boolean {
  const value = text(source)?.trim();
  if (value === undefined || value === "") return true;
  const prefix = /^[0-9.]+\/(\d{1,2})$/.exec(value)?.[1];
  if (prefix !== undefined) return Number(prefix) < 8;
  return value === "0.0.0.0/0.0.0.0";
}

/** Whether a port field ("22", "32768-61000", none = any) includes the port. */
function portIn(field: unknown, port: number): boolean {
  const value = text(field)?.trim() ?? (num(field) !== undefined ? String(num(field)) : "");
  if (value === "") return true;
  const [from, to = from] = value.split("-").map((part) => Number(part.trim()));
  return from !== undefined && to !== undefined && port >= from && port <= to;
}

function protocolMatches(ruleProtocol: string, protocol: "tcp" | "udp"): boolean {
  return ruleProtocol === "ip" || ruleProtocol === protocol;
}

export const sakuraNoWorldAdminPorts: ResourceRule = {
  kind: "resource",
  name: "sakura-no-world-admin-ports",
  description:
    "No Sakura packet filter lets the internet reach SSH or another administration or data port (an allow from any source, or no deny before the end of the list, where Sakura lets everything through).",
  remediation:
    "Allow SSH only from operations.cidrs (the networks pulumi runs from), and end the list with a deny of everything else.",
  enforcementLevel: "mandatory",
  resourceTypes: [PACKET_FILTER],
  validate(props) {
    const expressions = records(props.expressions);
    // By the expression that decides (-1: none does), the ports it lets in from anywhere.
    const openedBy = new Map<number, string[]>();
    for (const admin of ADMIN_PORTS) {
      // An attacker picks the source port: an allow matches whatever sourcePort it names, a deny
      // that names one is stepped around, as is a deny of one source network.
      const decisive = expressions.findIndex((rule) => {
        const action = text(rule.action);
        if (!protocolMatches(text(rule.protocol) ?? "", admin.protocol)) return false;
        if (!portIn(rule.destinationPort, admin.port) || !fromAnywhere(rule.sourceNetwork))
          return false;
        return action === "allow" || (action === "deny" && text(rule.sourcePort) === undefined);
      });
      if (decisive >= 0 && text(expressions[decisive]?.action) !== "allow") continue;
      const label = `${admin.name} (${admin.protocol}/${admin.port})`;
      openedBy.set(decisive, [...(openedBy.get(decisive) ?? []), label]);
    }
    return [...openedBy].map(([index, labels]) => {
      if (index < 0) {
        return `no expression stops ${labels.join(", ")} from anywhere, and a packet that no expression matches passes`;
      }
      const what = text(expressions[index]?.description);
      return `expressions[${index}]${what ? ` (${what})` : ""} lets ${labels.join(", ")} in from anywhere`;
    });
  },
};
