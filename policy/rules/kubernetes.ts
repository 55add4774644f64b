// Kubernetes workloads: how containers run, and namespaces that deny traffic by default.
import type { Props, ResourceRule, StackRule, StackViolation } from "./types";
import { at, isTrue, list, num, record, records, text } from "./values";

/** Workload types and the path from their inputs to the pod template's spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "kubernetes:core/v1:Pod": ["spec"],
};
const WORKLOADS = Object.keys(POD_SPEC_PATHS);

interface Container {
  readonly where: string;
  readonly props: Props;
}

function podSpec(props: Props, type: string): Props {
  return record(at(props, ...(POD_SPEC_PATHS[type] ?? ["spec"]))) ?? {};
}

function containers(pod: Props): Container[] {
  return ["initContainers", "containers"].flatMap((key) =>
    records(pod[key]).map((container, index) => ({
      where: `${key}[${index}] (${text(container.name) ?? "unnamed"})`,
      props: container,
    })),
  );
}

/** Applies a check to each container of a workload's pod template. */
function perContainer(check: (container: Props, pod: Props) => string | undefined) {
  return (props: Props, context: { type: string }): string[] => {
    const pod = podSpec(props, context.type);
    const found = containers(pod);
    if (found.length === 0) return ["the pod template has no containers to check"];
    return found.flatMap((container) => {
      const problem = check(container.props, pod);
      return problem ? [`${container.where}: ${problem}`] : [];
    });
  };
}

/** A security context field, from the container or else from the pod. */
function effective(container: Props, pod: Props, key: string): unknown {
  return at(container, "securityContext", key) ?? at(pod, "securityContext", key);
}

export const k8sRunAsNonRoot: ResourceRule = {
  kind: "resource",
  name: "k8s-run-as-non-root",
  description: "Every container of every pod template runs as a non-root user.",
  remediation:
    "Set securityContext.runAsNonRoot: true and a non-zero runAsUser on the pod or each container.",
  enforcementLevel: "mandatory",
  resourceTypes: WORKLOADS,
  validate: perContainer((container, pod) => {
    if (num(effective(container, pod, "runAsUser")) === 0) return "runAsUser is 0 (root)";
    return isTrue(effective(container, pod, "runAsNonRoot"))
      ? undefined
      : "runAsNonRoot is not true: the image may run as root";
  }),
};

export const k8sNoPrivilegeEscalation: ResourceRule = {
  kind: "resource",
  name: "k8s-no-privilege-escalation",
  description: "No container is privileged or may gain privileges (setuid, capabilities).",
  remediation:
    "Set securityContext.allowPrivilegeEscalation: false and privileged: false on each container.",
  enforcementLevel: "mandatory",
  resourceTypes: WORKLOADS,
  validate: perContainer((container) => {
    if (isTrue(at(container, "securityContext", "privileged"))) return "privileged is true";
    return at(container, "securityContext", "allowPrivilegeEscalation") === false
      ? undefined
      : "allowPrivilegeEscalation is not false";
  }),
};

export const k8sReadOnlyRootFilesystem: ResourceRule = {
  kind: "resource",
  name: "k8s-read-only-root-filesystem",
  description: "Containers cannot write to their image's filesystem; scratch space is a volume.",
  remediation:
    "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the program writes.",
  enforcementLevel: "mandatory",
  resourceTypes: WORKLOADS,
  validate: perContainer((container) =>
    isTrue(at(container, "securityContext", "readOnlyRootFilesystem"))
      ? undefined
      : "readOnlyRootFilesystem is not true",
  ),
};

export const k8sResourcesSet: ResourceRule = {
  kind: "resource",
  name: "k8s-resources-set",
  description:
    "Every container declares CPU and memory requests (for scheduling) and limits (against noisy neighbours).",
  remediation: "Set resources.requests and resources.limits for cpu and memory on each container.",
  enforcementLevel: "advisory",
  resourceTypes: WORKLOADS,
  validate: perContainer((container) => {
    const missing = ["requests", "limits"].flatMap((kind) =>
      ["cpu", "memory"]
        .filter((resource) => at(container, "resources", kind, resource) === undefined)
        .map((resource) => `${kind}.${resource}`),
    );
    return missing.length === 0 ? undefined : `resources ${missing.join(", ")} not set`;
  }),
};

const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const DIRECTIONS = ["Ingress", "Egress"] as const;

/** The directions a NetworkPolicy denies for every pod of its namespace. */
function deniedDirections(policy: Props): string[] {
  const selector = record(at(policy, "spec", "podSelector")) ?? {};
  const selectsAll =
    Object.keys(record(selector.matchLabels) ?? {}).length === 0 &&
    list(selector.matchExpressions).length === 0;
  if (!selectsAll) return [];
  const spec = record(policy.spec) ?? {};
  const types = list(spec.policyTypes).map(String);
  // Without policyTypes, a policy always covers Ingress, and Egress only when it has egress rules.
  const covered = types.length > 0 ? types : ["Ingress"];
  return DIRECTIONS.filter(
    (direction) => covered.includes(direction) && list(spec[direction.toLowerCase()]).length === 0,
  );
}

export const k8sDefaultDenyNetworkPolicy: StackRule = {
  kind: "stack",
  name: "k8s-default-deny-network-policy",
  description:
    "Every namespace the program creates denies all ingress and egress by default; other NetworkPolicies then allow what is needed.",
  remediation:
    "Add a NetworkPolicy in the namespace with podSelector: {} and policyTypes [Ingress, Egress] and no rules.",
  enforcementLevel: "mandatory",
  validate(resources) {
    const violations: StackViolation[] = [];
    for (const namespace of resources.filter((resource) => resource.type === NAMESPACE)) {
      const name = text(at(namespace.props, "metadata", "name"));
      if (!name) {
        violations.push({
          urn: namespace.urn,
          message: "the namespace has no metadata.name, so no NetworkPolicy can be tied to it",
        });
        continue;
      }
      const denied = new Set(
        resources
          .filter(
            (resource) =>
              resource.type === NETWORK_POLICY &&
              text(at(resource.props, "metadata", "namespace")) === name,
          )
          .flatMap((policy) => deniedDirections(policy.props)),
      );
      const open = DIRECTIONS.filter((direction) => !denied.has(direction));
      if (open.length > 0)
        violations.push({
          urn: namespace.urn,
          message: `namespace ${name} has no default-deny NetworkPolicy for ${open.join(" and ")}`,
        });
    }
    return violations;
  },
};
