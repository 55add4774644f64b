import type * as pulumi from "@pulumi/pulumi";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
import { packetFilterMaxRules } from "./limits";
import { checkPort, ipv4Pattern as ipv4, oneOf } from "./network-fields";
import type { PacketFilterExpressionInputs, PacketFilterInputs } from "./packet-filter-provider";

export const packetFilterProtocols = ["tcp", "udp", "icmp", "fragment", "ip"] as const;
export const packetFilterActions = ["allow", "deny"] as const;
/** Only these protocols carry ports; a port on any other rule is refused. */
const portProtocols: readonly string[] = ["tcp", "udp"];

/** What a rule may hold before check(): ports may be given as numbers. */
export type RawExpression = Omit<PacketFilterExpressionInputs, "sourcePort" | "destinationPort"> & {
  sourcePort?: string | number;
  destinationPort?: string | number;
};

/** Validates packet filter inputs and fills in defaults; ports become strings. */
export function checkPacketFilterInputs(
  news: Omit<PacketFilterInputs, "expressions"> & { expressions?: RawExpression[] },
): { inputs: PacketFilterInputs; failures: pulumi.dynamic.CheckFailure[] } {
  const f = new Failures();
  f.string("zone", news.zone, zonePattern, zoneHint);
  f.string("name", news.name);
  f.optionalString("description", news.description);
  const raw: unknown = news.expressions ?? [];
  let expressions: PacketFilterExpressionInputs[];
  if (isUnknown(raw)) {
    expressions = raw as PacketFilterExpressionInputs[]; // checked again once known
  } else if (!Array.isArray(raw)) {
    f.add("expressions", "must be a list of rules");
    expressions = [];
  } else {
    expressions = raw.map((rule: unknown, i) => checkExpression(f, `expressions[${i}]`, rule));
    if (raw.length > packetFilterMaxRules) {
      f.add(
        "expressions",
        `has ${raw.length} rules; a Sakura Cloud packet filter holds at most ${packetFilterMaxRules}`,
      );
    }
  }
  const inputs: PacketFilterInputs = {
    zone: news.zone,
    name: news.name,
    description: news.description ?? "",
    expressions,
  };
  return { inputs, failures: f.list };
}

function checkExpression(f: Failures, at: string, rule: unknown): PacketFilterExpressionInputs {
  if (isUnknown(rule)) return rule as PacketFilterExpressionInputs;
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) {
    f.add(at, "must be a rule { protocol, action, ... }");
    return rule as PacketFilterExpressionInputs;
  }
  const r = rule as Partial<RawExpression>;
  oneOf(f, `${at}.protocol`, r.protocol, packetFilterProtocols);
  oneOf(f, `${at}.action`, r.action, packetFilterActions);
  checkSourceNetwork(f, `${at}.sourceNetwork`, r.sourceNetwork);
  const hasPorts = r.protocol === undefined || portProtocols.includes(String(r.protocol));
  const sourcePort = checkPort(
    f,
    `${at}.sourcePort`,
    r.sourcePort,
    hasPorts || isUnknown(r.protocol),
  );
  const destinationPort = checkPort(
    f,
    `${at}.destinationPort`,
    r.destinationPort,
    hasPorts || isUnknown(r.protocol),
  );
  f.optionalString(`${at}.description`, r.description);
  return {
    protocol: r.protocol as PacketFilterExpressionInputs["protocol"],
    sourceNetwork: r.sourceNetwork,
    sourcePort,
    destinationPort,
    action: r.action as PacketFilterExpressionInputs["action"],
    description: r.description,
  };
}

/**
 * The API takes an address, `address/1..31` or `address/netmask`; "any source" is the field
 * left empty, and a single host is its plain address.
 */
function checkSourceNetwork(f: Failures, at: string, value: unknown): void {
  if (value === undefined || isUnknown(value)) return;
  if (typeof value !== "string") {
    f.add(at, "must be a string");
    return;
  }
  const [address = "", suffix, extra] = value.split("/");
  if (extra !== undefined || !ipv4.test(address)) {
    f.add(at, "must be an IPv4 address or network such as 192.0.2.0/24");
  } else if (suffix === "0") {
    f.add(at, "leave sourceNetwork out to match any source (the API has no /0)");
  } else if (suffix === "32") {
    f.add(at, `give a single host as its plain address ("${address}")`);
  } else if (suffix !== undefined && !/^([1-9]|[12]\d|3[01])$/.test(suffix) && !ipv4.test(suffix)) {
    f.add(at, "the prefix must be 1 to 31 or a netmask such as 255.255.255.0");
  }
}
