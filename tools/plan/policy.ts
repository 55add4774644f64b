// The policy pack over the offline plan: the same rules the engine runs with
// `pulumi preview --policy-pack policy`, fed from the plan's recorded inputs and options.
import { rules as allRules } from "../../policy/rules";
import type { EnforcementLevel, Rule, StackResource } from "../../policy/rules/types";
import type { Plan, PlannedResource } from "./plan";

export interface PolicyViolation {
  readonly rule: string;
  readonly level: EnforcementLevel;
  /** The resource at fault, or the stack's URN when the stack as a whole is. */
  readonly urn: string;
  readonly message: string;
}

/** Every resource as the rules see it: inputs as props, options and the provider's inputs. */
export function stackResources(plan: Plan): StackResource[] {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  return plan.resources.map((resource) => toStackResource(resource, byUrn));
}

function toStackResource(
  resource: PlannedResource,
  byUrn: ReadonlyMap<string, PlannedResource>,
): StackResource {
  const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    protect: resource.protect,
    ...(provider ? { providerProps: provider.inputs } : {}),
    props: resource.inputs,
    ...(resource.parent ? { parent: resource.parent } : {}),
    dependencies: resource.dependencies,
  };
}

/** Runs every rule (or the given ones) over the plan; resource rules see custom resources only. */
export function checkPolicies(plan: Plan, rules: readonly Rule[] = allRules): PolicyViolation[] {
  const resources = stackResources(plan);
  const stackUrn =
    plan.resources.find((resource) => resource.type === "pulumi:pulumi:Stack")?.urn ??
    `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${plan.project}-${plan.stack}`;
  const custom = new Set(plan.resources.filter((r) => r.custom).map((r) => r.urn));
  const violations: PolicyViolation[] = [];
  for (const rule of rules) {
    const report = (urn: string, message: string) =>
      violations.push({ rule: rule.name, level: rule.enforcementLevel, urn, message });
    if (rule.kind === "stack") {
      for (const violation of rule.validate(resources))
        report(violation.urn ?? stackUrn, violation.message);
      continue;
    }
    const types = new Set(rule.resourceTypes);
    for (const resource of resources) {
      if (!custom.has(resource.urn) || !types.has(resource.type)) continue;
      for (const message of rule.validate(resource.props, resource)) report(resource.urn, message);
    }
  }
  return violations;
}

export function hasMandatoryViolation(violations: readonly PolicyViolation[]): boolean {
  return violations.some((violation) => violation.level === "mandatory");
}

/** A summary line, then one line per violation: `mandatory rule-name urn: message`. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  const mandatory = violations.filter((violation) => violation.level === "mandatory").length;
  const summary =
    violations.length === 0
      ? `Policies: ${allRules.length} rules, no violations.`
      : `Policies: ${violations.length} violation(s), ${mandatory} mandatory, ${violations.length - mandatory} advisory:`;
  const lines = violations.map(
    (violation) =>
      `  ${violation.level.padEnd(9)} ${violation.rule} ${violation.urn}: ${violation.message}`,
  );
  return [summary, ...lines].join("\n");
}
