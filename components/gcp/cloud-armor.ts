// The Cloud Armor rules in front of the site. Pure.
//
// Order matters: a rule that allows ends the evaluation, and the rate-based ban allows every
// request under its threshold. So the WAF's deny rules come first, the ban next, the default last.
import type * as gcp from "../sdk/gcp";

type Rule = gcp.types.input.compute.SecurityPolicyRule;

/** Priority of the rule that applies when no other does; fixed by Cloud Armor. */
export const DEFAULT_RULE_PRIORITY = 2147483647;

/**
 * Google's preconfigured OWASP rule sets at sensitivity 1, the level with the fewest false
 * positives: listings and searches on a marketplace are free text full of quotes, angle brackets
 * and SQL-looking words. Rule sets that judge legitimate traffic too often are left out: rfi
 * (listings carry URLs) and methodenforcement (APIs use PUT and DELETE).
 */
export const WAF_RULE_SETS: readonly string[] = [
  "sqli-v33-stable",
  "xss-v33-stable",
  "lfi-v33-stable",
  "rce-v33-stable",
  "scannerdetection-v33-stable",
  "protocolattack-v33-stable",
];
export const WAF_SENSITIVITY = 1;
export const WAF_FIRST_PRIORITY = 1000;

export interface RateLimit {
  /** Requests per client address per interval before it is answered 429. */
  readonly requests: number;
  readonly intervalSec: number;
  /** Requests per client address per banInterval that get it banned. */
  readonly banRequests: number;
  readonly banIntervalSec: number;
  /** How long a ban lasts. */
  readonly banDurationSec: number;
}

/**
 * Generous per-address limits: mobile carriers put many users behind one address, so the limit
 * stops floods and scrapers, not busy shoppers.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = {
  requests: 1200,
  intervalSec: 60,
  banRequests: 6000,
  banIntervalSec: 600,
  banDurationSec: 600,
};
export const RATE_LIMIT_PRIORITY = 5000;

const everyAddress = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };

export function wafRules(): Rule[] {
  return WAF_RULE_SETS.map((ruleSet, index) => ({
    priority: WAF_FIRST_PRIORITY + index,
    action: "deny(403)",
    description: `OWASP ${ruleSet.replace(/-v\d+-stable$/, "")}`,
    match: {
      expr: {
        expression: `evaluatePreconfiguredWaf('${ruleSet}', {'sensitivity': ${WAF_SENSITIVITY}})`,
      },
    },
  }));
}

export function rateLimitRule(limit: RateLimit = DEFAULT_RATE_LIMIT): Rule {
  return {
    priority: RATE_LIMIT_PRIORITY,
    action: "rate_based_ban",
    description: "Per-address rate limit and ban",
    match: everyAddress,
    rateLimitOptions: {
      enforceOnKey: "IP",
      conformAction: "allow",
      exceedAction: "deny(429)",
      rateLimitThreshold: { count: limit.requests, intervalSec: limit.intervalSec },
      banThreshold: { count: limit.banRequests, intervalSec: limit.banIntervalSec },
      banDurationSec: limit.banDurationSec,
    },
  };
}

export function defaultRule(): Rule {
  return {
    priority: DEFAULT_RULE_PRIORITY,
    action: "allow",
    description: "Default: allow",
    match: everyAddress,
  };
}

/** Every rule of the site's policy, in evaluation order. */
export function securityPolicyRules(limit: RateLimit = DEFAULT_RATE_LIMIT): Rule[] {
  return [...wafRules(), rateLimitRule(limit), defaultRule()];
}
