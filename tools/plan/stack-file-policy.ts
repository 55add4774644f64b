// The policy rules over the stack file itself (policy/rules/stack-file.ts), run by the offline
// plan beside the rules over its resources: the engine hands policy packs no stack file.
import { stackFileRules as allStackFileRules } from "../../policy/rules";
import type { StackFileRule } from "../../policy/rules/types";
import type { PolicyViolation } from "./policy";
import type { StackConfig } from "./stack-file";

export function checkStackFile(
  stackConfig: StackConfig,
  stackUrn: string,
  rules: readonly StackFileRule[] = allStackFileRules,
): PolicyViolation[] {
  const entries = Object.entries(stackConfig.values).map(([key, value]) => ({
    key,
    value,
    secret: stackConfig.secretKeys.includes(key),
  }));
  return rules.flatMap((rule) =>
    rule.validate(stackConfig.file, entries).map((message) => ({
      rule: rule.name,
      level: rule.enforcementLevel,
      urn: stackUrn,
      message,
    })),
  );
}
