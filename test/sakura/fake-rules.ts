// Packet filter rules in the fake Sakura Cloud API: the checks the API makes on a rule list,
// the way it echoes rules back, and what a filter does to a DHCP reply.
import type { ApiPacketFilterExpression } from "@multicloud/sakura-cloud";
import { fakeMaxRules, fakeProtocols } from "./fake-catalog";

/** A rule as the fake stores it: every field a string, "" for "any". */
export interface StoredRule {
  Protocol: string;
  SourceNetwork: string;
  SourcePort: string;
  DestinationPort: string;
  Action: string;
  Description: string;
}

const port = /^$|^\d{1,5}(-\d{1,5})?$/;
const network = /^$|^\d{1,3}(\.\d{1,3}){3}(\/([1-9]|[12]\d|3[01])|\/\d{1,3}(\.\d{1,3}){3})?$/;
const portProtocols = ["tcp", "udp"];

/** The API's own checks of a rule list; a message for a 400 answer, or the stored rules. */
export function storedRules(list: unknown): StoredRule[] | string {
  if (!Array.isArray(list)) return "PacketFilter.Expression must be a list";
  // The API's exact answer past the limit is not documented; a 400 stands for it.
  if (list.length > fakeMaxRules)
    return `PacketFilter.Expression has more than ${fakeMaxRules} rules`;
  const rules: StoredRule[] = [];
  for (const [i, raw] of (list as Partial<ApiPacketFilterExpression>[]).entries()) {
    const rule: StoredRule = {
      Protocol: raw.Protocol ?? "",
      SourceNetwork: raw.SourceNetwork ?? "",
      SourcePort: raw.SourcePort ?? "",
      DestinationPort: raw.DestinationPort ?? "",
      Action: raw.Action ?? "",
      Description: raw.Description ?? "",
    };
    if (!fakeProtocols.includes(rule.Protocol))
      return `Expression[${i}].Protocol "${rule.Protocol}" is invalid`;
    if (rule.Action !== "allow" && rule.Action !== "deny")
      return `Expression[${i}].Action must be allow or deny`;
    if (!network.test(rule.SourceNetwork))
      return `Expression[${i}].SourceNetwork "${rule.SourceNetwork}" is invalid`;
    for (const field of ["SourcePort", "DestinationPort"] as const) {
      if (!port.test(rule[field])) return `Expression[${i}].${field} "${rule[field]}" is invalid`;
    }
    rules.push(rule);
  }
  return rules;
}

/**
 * A rule as the API answers it: "any" is `null`, and icmp, fragment and ip rules carry no port
 * keys at all (real answers kept in libsacloud before commit 1360f1dc,
 * sacloud/packet_filter_test.go; the same style in iaas-api-go naked/vpc_router_test.go).
 * An empty description is answered as `null` too (that fixture has no description; unverified).
 */
export function echoedRule(rule: StoredRule): ApiPacketFilterExpression {
  const any = (v: string): string | null => (v === "" ? null : v);
  const echoed: ApiPacketFilterExpression = {
    Protocol: rule.Protocol,
    SourceNetwork: any(rule.SourceNetwork),
    Action: rule.Action,
    Description: any(rule.Description),
  };
  if (portProtocols.includes(rule.Protocol)) {
    echoed.SourcePort = any(rule.SourcePort);
    echoed.DestinationPort = any(rule.DestinationPort);
  }
  return echoed;
}

function portMatches(spec: string, value: number): boolean {
  if (spec === "") return true;
  const [from, to = from] = spec.split("-").map(Number);
  return from !== undefined && to !== undefined && value >= from && value <= to;
}

/**
 * Whether a DHCP reply (UDP from port 67 to port 68) passes the rules: the first matching rule
 * decides and a packet no rule matches passes (Sakura's packet filters). The shared segment's
 * DHCP server address is not published, so a rule naming a source network is taken not to
 * match it. Sakura's manual: "DHCP uses 67/UDP and 68/UDP; a packet filter on the server's NIC
 * must not deny them" (manual.sakura.ad.jp cloud/server/dhcp.html).
 */
export function letsDhcpThrough(rules: readonly StoredRule[]): boolean {
  for (const rule of rules) {
    const protocol = rule.Protocol === "udp" || rule.Protocol === "ip";
    if (!protocol || rule.SourceNetwork !== "") continue;
    const ports =
      rule.Protocol === "ip" ||
      (portMatches(rule.SourcePort, 67) && portMatches(rule.DestinationPort, 68));
    if (ports) return rule.Action === "allow";
  }
  return true;
}
