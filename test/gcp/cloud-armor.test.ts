import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_RULE_PRIORITY,
  RATE_LIMIT_PRIORITY,
  securityPolicyRules,
} from "../../components/gcp/cloud-armor";

/** The OWASP rule sets the site must deny, at the lowest sensitivity (the requirement). */
const REQUIRED_WAF = [
  "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('scannerdetection-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('protocolattack-v33-stable', {'sensitivity': 1})",
];

describe("securityPolicyRules", () => {
  const rules = securityPolicyRules();

  it("gives every rule its own priority", () => {
    const priorities = rules.map((r) => r.priority);
    assert.equal(new Set(priorities).size, priorities.length);
  });

  it("evaluates the WAF's denials before the rate limit, whose allow would end evaluation", () => {
    const waf = rules.filter((r) => String(r.action).startsWith("deny"));
    assert.equal(waf.length, REQUIRED_WAF.length);
    for (const rule of waf) assert.ok(Number(rule.priority) < RATE_LIMIT_PRIORITY);
  });

  it("uses the preconfigured rule sets at the lowest sensitivity", () => {
    const expressions = rules.flatMap((r) => {
      const match = r.match as { expr?: { expression?: string } };
      return match.expr?.expression ? [match.expr.expression] : [];
    });
    assert.deepEqual(expressions, REQUIRED_WAF);
  });

  it("bans a client address that floods, answering 429 above the limit", () => {
    const ban = rules.find((r) => r.action === "rate_based_ban");
    const options = ban?.rateLimitOptions as Record<string, unknown> | undefined;
    assert.equal(ban?.priority, RATE_LIMIT_PRIORITY);
    assert.equal(options?.enforceOnKey, "IP");
    assert.equal(options?.exceedAction, "deny(429)");
    assert.equal(options?.conformAction, "allow");
    assert.ok(Number(options?.banDurationSec) > 0);
  });

  it("ends with the default rule that allows what nothing else stopped", () => {
    const last = rules[rules.length - 1];
    assert.equal(last?.priority, DEFAULT_RULE_PRIORITY);
    assert.equal(last?.action, "allow");
    assert.deepEqual(last?.match, { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } });
  });
});
