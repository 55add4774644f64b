// The rules of the region's two packet filters on the shared segment (the public NIC of Sakura
// Cloud servers): one for the nginx front, one for every other host. Pure.
//
// Sakura's packet filters see only arriving packets and keep no connection state, and a packet
// that no rule matches passes. So each list opens exactly what must arrive, lets the replies to
// the host's own connections back in, and ends with a deny of everything else.
import type { PacketFilterExpressionInputs } from "@multicloud/sakura-cloud";

export type PacketFilterRule = PacketFilterExpressionInputs;

/**
 * Where Linux picks the local port of an outgoing connection (net.ipv4.ip_local_port_range is
 * 32768-60999 on Ubuntu): replies to the host's own TCP connections and NTP queries land here.
 */
export const EPHEMERAL_PORTS = "32768-61000";

export interface FilterFacts {
  /** Networks allowed to reach SSH: where `pulumi up` and the operators run. */
  readonly adminCidrs: readonly string[];
  /** The recursive resolvers the hosts query (their answers come back from port 53). */
  readonly resolvers: readonly string[];
}

/** The nginx hosts: HTTP and HTTPS from anywhere (Route53 health checks included), SSH. */
export function frontFilterRules(facts: FilterFacts): PacketFilterRule[] {
  return [
    { protocol: "tcp", destinationPort: "80", action: "allow", description: "HTTP" },
    { protocol: "tcp", destinationPort: "443", action: "allow", description: "HTTPS" },
    ...sshRules(facts.adminCidrs),
    ...returnTrafficRules(facts.resolvers),
    denyEverything,
  ];
}

/** Every other cloud host: SSH from the admin networks and replies, nothing else. */
export function hostFilterRules(facts: FilterFacts): PacketFilterRule[] {
  return [...sshRules(facts.adminCidrs), ...returnTrafficRules(facts.resolvers), denyEverything];
}

export function sshRules(adminCidrs: readonly string[]): PacketFilterRule[] {
  return adminCidrs.map((cidr) => ({
    protocol: "tcp",
    ...sourceOf(cidr),
    destinationPort: "22",
    action: "allow",
    description: "SSH from admin",
  }));
}

/**
 * Replies to what the host itself starts, which a stateless filter cannot recognise:
 * - TCP to the ephemeral ports from anywhere (apt, HTTPS calls, DNS over TCP);
 * - UDP from port 53 of the resolvers only, to any port: unbound picks random source ports
 *   across 1024-65535, and naming the resolvers keeps "from port 53" from being a way in;
 * - UDP from port 123 (NTP servers are a pool of changing addresses) to the ephemeral ports;
 * - DHCP replies (UDP from port 67 to port 68): the shared segment gives the public address by
 *   DHCP to a server whose disk is not edited, such as a cloud-init image, and Sakura's manual
 *   asks that a filter on the NIC not deny 67/68 (manual.sakura.ad.jp cloud/server/dhcp.html);
 * - ICMP (unreachable, path-MTU "fragmentation needed", echo replies) and non-first fragments,
 *   which carry no ports to match on.
 * TCP to the ephemeral ports includes new connections: nothing may listen there publicly.
 */
export function returnTrafficRules(resolvers: readonly string[]): PacketFilterRule[] {
  return [
    {
      protocol: "tcp",
      destinationPort: EPHEMERAL_PORTS,
      action: "allow",
      description: "TCP replies",
    },
    ...resolvers.map(
      (address): PacketFilterRule => ({
        protocol: "udp",
        ...sourceOf(address),
        sourcePort: "53",
        action: "allow",
        description: "DNS replies",
      }),
    ),
    {
      protocol: "udp",
      sourcePort: "123",
      destinationPort: EPHEMERAL_PORTS,
      action: "allow",
      description: "NTP replies",
    },
    {
      protocol: "udp",
      sourcePort: "67",
      destinationPort: "68",
      action: "allow",
      description: "DHCP replies",
    },
    { protocol: "icmp", action: "allow", description: "ICMP" },
    { protocol: "fragment", action: "allow", description: "IP fragments" },
  ];
}

export const denyEverything: PacketFilterRule = {
  protocol: "ip",
  action: "deny",
  description: "deny everything else",
};

/**
 * A CIDR as the API's source network: "any" is the field left out (the API has no /0) and a
 * single host is its plain address (no /32).
 */
export function sourceOf(cidr: string): Pick<PacketFilterRule, "sourceNetwork"> {
  const [address, prefix] = cidr.split("/");
  if (prefix === "0") return {};
  if (prefix === "32" || prefix === undefined) return { sourceNetwork: address };
  return { sourceNetwork: cidr };
}
