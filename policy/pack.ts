// The rules as CrossGuard policies. Resource rules are matched by type token rather than with
// validateResourceOfType, so the pack needs no provider SDK (and covers the dynamic Sakura types).
import type {
  PolicyPackArgs,
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { rules } from "./rules";
import type { ResourceRule, Rule, StackResource, StackRule } from "./rules/types";

export function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
  const types = new Set(rule.resourceTypes);
  return {
    name: rule.name,
    description: rule.description,
    remediationSteps: rule.remediation,
    enforcementLevel: rule.enforcementLevel,
    validateResource: (args, reportViolation) => {
      if (!types.has(args.type)) return;
      const context = {
        type: args.type,
        urn: args.urn,
        name: args.name,
        protect: args.opts.protect,
        ...(args.provider ? { providerProps: args.provider.props } : {}),
      };
      for (const message of rule.validate(args.props, context)) reportViolation(message);
    },
  };
}

/** The engine's view of a resource, reduced to what the rules read. */
export function stackResource(resource: PolicyResource): StackResource {
  const parent = resource.parent?.urn ?? resource.opts.parent;
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    protect: resource.opts.protect,
    ...(resource.provider ? { providerProps: resource.provider.props } : {}),
    props: resource.props,
    ...(parent ? { parent } : {}),
    dependencies: resource.dependencies.map((dependency) => dependency.urn),
  };
}

export function stackPolicy(rule: StackRule): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    remediationSteps: rule.remediation,
    enforcementLevel: rule.enforcementLevel,
    validateStack: (args, reportViolation) => {
      for (const violation of rule.validate(args.resources.map(stackResource)))
        reportViolation(violation.message, violation.urn);
    },
  };
}

export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  return rule.kind === "resource" ? resourcePolicy(rule) : stackPolicy(rule);
}

export const PACK_NAME = "multicloud";

export const packArgs: PolicyPackArgs = {
  description:
    "Guardrails of the multicloud program: checkov- and trivy-style rules for its AWS, GCP, GKE, Kubernetes and Sakura resources.",
  policies: rules.map(toPolicy),
};
