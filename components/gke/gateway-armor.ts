// The Cloud Armor policy in front of the API gateway's public backend. Pure.
//
// The gateway's clients speak JSON over HTTPS; gRPC stays inside the cluster, between the
// gateway and the services. That is the traffic the uk site's rules were written for (free-text
// bodies, PUT and DELETE), so the gateway takes the same rule list: the WAF's deny rules, the
// per-address rate limit after them, the default allow last.
import { DEFAULT_RATE_LIMIT, type RateLimit, securityPolicyRules } from "../gcp/cloud-armor";
import type * as gcp from "../sdk/gcp";

export interface GatewayArmorArgs {
  /** The policy's GCP name: the GCPBackendPolicy refers to it, so it is fixed. */
  readonly name: string;
  /** The gateway's public name, for the description. */
  readonly hostname: string;
  readonly labels: Record<string, string>;
  /** Per-client limits; the site's defaults when absent. */
  readonly rateLimit?: RateLimit;
}

/** The GCP name of the gateway's policy. */
export function gatewayArmorName(baseName: string): string {
  return `${baseName}-gateway-armor`;
}

export function gatewayArmorArgs(args: GatewayArmorArgs): gcp.compute.SecurityPolicyArgs {
  return {
    name: args.name,
    description: `WAF, per-address rate limit and adaptive layer 7 DDoS defense for ${args.hostname}`,
    type: "CLOUD_ARMOR",
    rules: securityPolicyRules(args.rateLimit ?? DEFAULT_RATE_LIMIT),
    adaptiveProtectionConfig: {
      layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" },
    },
    // Every request body is JSON: the WAF reads its values, not the JSON syntax around them,
    // which would otherwise look like an injection.
    advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "NORMAL" },
    labels: args.labels,
  };
}
