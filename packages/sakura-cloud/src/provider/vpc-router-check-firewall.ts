// check() of the VPC router's firewall: rules per NIC and direction, first match wins.
import { type Failures, isUnknown } from "./check";
import { booleanAt, integerIn, listAt, objectAt } from "./check-shapes";
import { vpcRouterFirewallProtocols, vpcRouterMaxRuleDescription } from "./limits";
import { checkPort, oneOf, parseCidr } from "./network-fields";
import type {
  VpcRouterFirewallInputs,
  VpcRouterFirewallRuleInputs,
  VpcRouterPrivateInterfaceInputs,
} from "./vpc-router-inputs";

const directions = ["receive", "send"] as const;
const actions = ["allow", "deny"] as const;
/** Only these protocols carry ports (terraform: ports are "only used when protocol is tcp or udp"). */
const portProtocols: readonly string[] = ["tcp", "udp"];

/**
 * Firewall entries (terraform-provider-sakuracloud `firewall`: `interface_index` 0-7,
 * `direction` send or receive, `expression` with protocol tcp/udp/icmp/ip, networks, ports,
 * `allow`, `logging`, a description of at most 512 characters). An entry for a NIC the router
 * does not have is refused, and so is a second entry for the same NIC and direction (the API
 * holds one list per NIC and direction: naked VPCRouterFirewallConfigs). Sorted by NIC and
 * direction, without empty entries, as reads return them.
 */
export function checkFirewall(
  f: Failures,
  value: unknown,
  privateInterfaces: VpcRouterPrivateInterfaceInputs[],
): VpcRouterFirewallInputs[] {
  const list = listAt(f, "firewall", value);
  if (list === undefined) return value as VpcRouterFirewallInputs[];
  const nics = Array.isArray(privateInterfaces) ? privateInterfaces.map((n) => n?.index) : [];
  const nicsKnown = Array.isArray(privateInterfaces) && nics.every((n) => !isUnknown(n));
  const seen = new Set<string>();
  const entries = list.map((item, i): VpcRouterFirewallInputs => {
    const at = `firewall[${i}]`;
    if (isUnknown(item)) return item as VpcRouterFirewallInputs;
    const entry = objectAt(f, at, item) ?? {};
    const index = entry.interfaceIndex ?? 0;
    integerIn(f, `${at}.interfaceIndex`, index, 0, 7);
    if (nicsKnown && typeof index === "number" && index !== 0 && !nics.includes(index)) {
      f.add(`${at}.interfaceIndex`, `the router has no NIC eth${index} in privateInterfaces`);
    }
    oneOf(f, `${at}.direction`, entry.direction, directions);
    const key = `${String(index)}/${String(entry.direction)}`;
    if (seen.has(key)) {
      f.add(
        at,
        `eth${String(index)} ${String(entry.direction)} is given twice: put its rules in one list`,
      );
    }
    seen.add(key);
    const rules = listAt(f, `${at}.expressions`, entry.expressions);
    return {
      interfaceIndex: index as number,
      direction: entry.direction as VpcRouterFirewallInputs["direction"],
      expressions:
        rules === undefined
          ? (entry.expressions as VpcRouterFirewallRuleInputs[])
          : rules.map((rule, j) => checkRule(f, `${at}.expressions[${j}]`, rule)),
    };
  });
  return entries
    .filter((e) => isUnknown(e) || !Array.isArray(e.expressions) || e.expressions.length > 0)
    .sort((a, b) => order(a) - order(b));
}

function order(entry: VpcRouterFirewallInputs): number {
  if (isUnknown(entry)) return 0;
  return (entry.interfaceIndex ?? 0) * 2 + (entry.direction === "send" ? 1 : 0);
}

function checkRule(f: Failures, at: string, value: unknown): VpcRouterFirewallRuleInputs {
  if (isUnknown(value)) return value as VpcRouterFirewallRuleInputs;
  const rule = objectAt(f, at, value) ?? {};
  oneOf(f, `${at}.protocol`, rule.protocol, vpcRouterFirewallProtocols);
  oneOf(f, `${at}.action`, rule.action, actions);
  const hasPorts = portProtocols.includes(String(rule.protocol)) || isUnknown(rule.protocol);
  for (const field of ["sourceNetwork", "destinationNetwork"] as const) {
    const network = rule[field];
    if (
      network !== undefined &&
      !isUnknown(network) &&
      parseCidr(withPrefix(network)) === undefined
    ) {
      f.add(`${at}.${field}`, "must be an IPv4 address or network such as 192.0.2.0/24");
    }
  }
  f.optionalString(`${at}.description`, rule.description);
  if (
    typeof rule.description === "string" &&
    rule.description.length > vpcRouterMaxRuleDescription
  ) {
    f.add(`${at}.description`, `must be at most ${vpcRouterMaxRuleDescription} characters`);
  }
  const result: VpcRouterFirewallRuleInputs = {
    protocol: rule.protocol as VpcRouterFirewallRuleInputs["protocol"],
    action: rule.action as VpcRouterFirewallRuleInputs["action"],
    logging: booleanAt(f, `${at}.logging`, rule.logging, false),
  };
  const optional = {
    sourceNetwork: rule.sourceNetwork,
    sourcePort: checkPort(f, `${at}.sourcePort`, rule.sourcePort, hasPorts),
    destinationNetwork: rule.destinationNetwork,
    destinationPort: checkPort(f, `${at}.destinationPort`, rule.destinationPort, hasPorts),
    description: rule.description === "" ? undefined : rule.description,
  };
  for (const [key, v] of Object.entries(optional)) {
    if (v !== undefined) (result as unknown as Record<string, unknown>)[key] = v;
  }
  return result;
}

/** A plain address is a /32. */
function withPrefix(network: unknown): unknown {
  return typeof network === "string" && !network.includes("/") ? `${network}/32` : network;
}
