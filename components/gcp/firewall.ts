// The site's VPC firewall rules (firewall-rules.ts), every one logged.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import type { Role } from "../spec/hosts";
import { type FirewallRuleSpec, firewallRules } from "./firewall-rules";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GcpFirewallArgs extends GcpComponentArgs {
  /** The VPC the rules belong to. */
  readonly network: pulumi.Input<string>;
  /** Service account e-mail of each role that has hosts; rules name hosts by these. */
  readonly serviceAccounts: Partial<Record<Role, pulumi.Input<string>>>;
  /** Whether the region federates with others over Consul's WAN pool. */
  readonly consulWan?: boolean;
  /** IPv4 addresses of other regions' Consul servers. */
  readonly wanPeers?: readonly string[];
}

export class GcpFirewall extends pulumi.ComponentResource {
  readonly rules: gcp.compute.Firewall[];

  constructor(name: string, args: GcpFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:Firewall", name, {}, opts);
    const child = childOptions(this, args);
    const roles = Object.keys(args.serviceAccounts) as Role[];
    const accountsOf = (list: readonly Role[]) =>
      list.flatMap((role) => {
        const email = args.serviceAccounts[role];
        return email === undefined ? [] : [email];
      });

    const plan = firewallRules({
      roles,
      consulWan: args.consulWan ?? false,
      wanPeers: args.wanPeers ?? [],
    });
    this.rules = plan.map(
      (rule) =>
        new gcp.compute.Firewall(
          `${name}-${rule.key}`,
          {
            network: args.network,
            description: rule.description,
            direction: "INGRESS",
            priority: rule.priority,
            ...protocols(rule),
            ...(rule.source.kind === "ranges"
              ? { sourceRanges: [...rule.source.ranges] }
              : { sourceServiceAccounts: accountsOf(rule.source.roles) }),
            ...(rule.targets ? { targetServiceAccounts: accountsOf(rule.targets) } : {}),
            logConfig: { metadata: "INCLUDE_ALL_METADATA" },
          },
          child,
        ),
    );

    this.registerOutputs({ ruleCount: this.rules.length });
  }
}

function protocols(rule: FirewallRuleSpec): Pick<gcp.compute.FirewallArgs, "allows" | "denies"> {
  const entries = rule.ports.map((port) => ({
    protocol: port.protocol,
    ...(port.ports ? { ports: [...port.ports] } : {}),
  }));
  return rule.action === "allow" ? { allows: entries } : { denies: entries };
}
