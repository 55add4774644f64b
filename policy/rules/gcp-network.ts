// GCP networks and load balancers: firewall sources, flow logs, TLS and Cloud Armor, both for
// load balancers the program declares and for those GKE builds from Gateway objects.
import type { Props, ResourceRule, StackResource, StackRule, StackViolation } from "./types";
import { at, isWorld, list, num, record, records, text } from "./values";

const BACKEND_SERVICE = "gcp:compute/backendService:BackendService";
const HTTPS_PROXIES = [
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/targetSslProxy:TargetSslProxy",
];
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const GATEWAY_POLICY = "kubernetes:networking.gke.io/v1:GCPGatewayPolicy";
const BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy";

export const gcpFirewallNoWorldAllow: ResourceRule = {
  kind: "resource",
  name: "gcp-firewall-no-world-allow",
  description:
    "No ingress allow rule admits 0.0.0.0/0 or ::/0 (the load balancer's proxies come from Google's own ranges).",
  remediation:
    "Give the rule narrow sourceRanges (Google's proxy and health-check ranges, IAP, a VPN) or sourceServiceAccounts.",
  enforcementLevel: "mandatory",
  resourceTypes: ["gcp:compute/firewall:Firewall"],
  validate(props) {
    const direction = text(props.direction) ?? "INGRESS";
    if (direction !== "INGRESS" || list(props.allows).length === 0) return [];
    const ranges = list(props.sourceRanges);
    if (ranges.some(isWorld)) return ["an allow rule admits sourceRanges 0.0.0.0/0 or ::/0"];
    const sourceless =
      ranges.length === 0 &&
      list(props.sourceTags).length === 0 &&
      list(props.sourceServiceAccounts).length === 0;
    return sourceless ? ["an allow rule names no source at all, which GCP reads as 0.0.0.0/0"] : [];
  },
};

/** Subnets whose purpose allows no flow logs (proxy-only and Private Service Connect ranges). */
const NO_FLOW_LOG_PURPOSES = [
  "REGIONAL_MANAGED_PROXY",
  "GLOBAL_MANAGED_PROXY",
  "INTERNAL_HTTPS_LOAD_BALANCER",
  "PRIVATE_SERVICE_CONNECT",
];

export const gcpSubnetFlowLogs: ResourceRule = {
  kind: "resource",
  name: "gcp-subnet-flow-logs",
  description: "Every subnet that carries hosts or nodes records VPC flow logs.",
  remediation:
    "Set logConfig { aggregationInterval, flowSampling > 0, metadata } on the subnetwork.",
  enforcementLevel: "advisory",
  resourceTypes: ["gcp:compute/subnetwork:Subnetwork"],
  validate(props) {
    if (NO_FLOW_LOG_PURPOSES.includes(text(props.purpose) ?? "")) return [];
    const log = record(props.logConfig);
    if (!log) return ["logConfig is not set: the subnet records no flow logs"];
    return num(log.flowSampling) === 0 ? ["logConfig.flowSampling is 0: nothing is recorded"] : [];
  },
};

const GOOD_PROFILES = ["MODERN", "RESTRICTED"];
const GOOD_TLS = ["TLS_1_2", "TLS_1_3"];

export const gcpSslPolicyModern: ResourceRule = {
  kind: "resource",
  name: "gcp-ssl-policy-modern-tls",
  description: "SSL policies allow TLS 1.2 or newer with the MODERN or RESTRICTED cipher profile.",
  remediation: 'Set profile "MODERN" (or "RESTRICTED") and minTlsVersion "TLS_1_2".',
  enforcementLevel: "mandatory",
  resourceTypes: ["gcp:compute/sSLPolicy:SSLPolicy"],
  validate(props) {
    const problems: string[] = [];
    const profile = text(props.profile) ?? "COMPATIBLE";
    const minimum = text(props.minTlsVersion) ?? "TLS_1_0";
    if (!GOOD_PROFILES.includes(profile))
      problems.push(`profile is ${profile}: weak ciphers are offered`);
    if (!GOOD_TLS.includes(minimum))
      problems.push(`minTlsVersion is ${minimum}: clients may use TLS older than 1.2`);
    return problems;
  },
};

function namespaceOf(resource: StackResource): string {
  return text(at(resource.props, "metadata", "namespace")) ?? "default";
}

function objectName(resource: StackResource): string | undefined {
  return text(at(resource.props, "metadata", "name"));
}

/** GKE Gateways that build an internet-facing load balancer. */
function externalGateways(resources: readonly StackResource[]): StackResource[] {
  return resources.filter(
    (resource) =>
      resource.type === GATEWAY &&
      /external|gxlb/.test(text(at(resource.props, "spec", "gatewayClassName")) ?? ""),
  );
}

/** GKE policy objects of a type in a namespace that target the given kind and name. */
function policiesFor(
  resources: readonly StackResource[],
  type: string,
  namespace: string,
  kind: string,
  name: string | undefined,
): Props[] {
  return resources
    .filter((resource) => resource.type === type && namespaceOf(resource) === namespace)
    .filter(
      (policy) =>
        text(at(policy.props, "spec", "targetRef", "kind")) === kind &&
        text(at(policy.props, "spec", "targetRef", "name")) === name,
    )
    .map((policy) => policy.props);
}

export const gcpHttpsSslPolicy: StackRule = {
  kind: "stack",
  name: "gcp-https-ssl-policy",
  description:
    "Every HTTPS load balancer (a target HTTPS/SSL proxy, or an external GKE Gateway) has an SSL policy, rather than Google's permissive default.",
  remediation:
    "Set sslPolicy on the target proxy, or target the Gateway with a GCPGatewayPolicy whose spec.default.sslPolicy names the SSL policy.",
  enforcementLevel: "mandatory",
  validate(resources) {
    const violations: StackViolation[] = [];
    for (const proxy of resources.filter((resource) => HTTPS_PROXIES.includes(resource.type))) {
      if (!text(proxy.props.sslPolicy))
        violations.push({ urn: proxy.urn, message: "sslPolicy is not set: any TLS version goes" });
    }
    for (const gateway of externalGateways(resources)) {
      const policies = policiesFor(
        resources,
        GATEWAY_POLICY,
        namespaceOf(gateway),
        "Gateway",
        objectName(gateway),
      );
      if (!policies.some((policy) => text(at(policy, "spec", "default", "sslPolicy")))) {
        violations.push({
          urn: gateway.urn,
          message: "no GCPGatewayPolicy sets an sslPolicy for this external Gateway",
        });
      }
    }
    return violations;
  },
};

/** Services that external Gateways send traffic to: namespace/name keys with the route's URN. */
function publicServices(resources: readonly StackResource[]): Map<string, string> {
  const services = new Map<string, string>();
  const gateways = externalGateways(resources).map(
    (gateway) => `${namespaceOf(gateway)}/${objectName(gateway)}`,
  );
  for (const route of resources.filter((resource) => resource.type === HTTP_ROUTE)) {
    const namespace = namespaceOf(route);
    const attached = records(at(route.props, "spec", "parentRefs")).some((ref) =>
      gateways.includes(`${text(ref.namespace) ?? namespace}/${text(ref.name)}`),
    );
    if (!attached) continue;
    for (const rule of records(at(route.props, "spec", "rules"))) {
      for (const backend of records(rule.backendRefs)) {
        if ((text(backend.kind) ?? "Service") !== "Service") continue;
        services.set(`${text(backend.namespace) ?? namespace}/${text(backend.name)}`, route.urn);
      }
    }
  }
  return services;
}

function isExternalScheme(props: Props): boolean {
  const scheme = text(props.loadBalancingScheme) ?? "EXTERNAL";
  return scheme === "EXTERNAL" || scheme === "EXTERNAL_MANAGED";
}

export const gcpCloudArmorOnPublicBackends: StackRule = {
  kind: "stack",
  name: "gcp-cloud-armor-public-backends",
  description:
    "Backends of internet-facing load balancers are guarded by a Cloud Armor security policy (WAF rules, rate limits), including those GKE Gateways create.",
  remediation:
    "Set securityPolicy on the backend service; for a GKE Gateway, target the Service with a GCPBackendPolicy whose spec.default.securityPolicy names a Cloud Armor policy.",
  enforcementLevel: "advisory",
  validate(resources) {
    const violations: StackViolation[] = [];
    for (const backend of resources.filter((resource) => resource.type === BACKEND_SERVICE)) {
      if (isExternalScheme(backend.props) && !text(backend.props.securityPolicy))
        violations.push({
          urn: backend.urn,
          message: "an internet-facing backend service has no Cloud Armor securityPolicy",
        });
    }
    for (const [key, routeUrn] of publicServices(resources)) {
      const [namespace = "", name] = key.split("/");
      const guarded = policiesFor(resources, BACKEND_POLICY, namespace, "Service", name).some(
        (policy) => text(at(policy, "spec", "default", "securityPolicy")),
      );
      if (guarded) continue;
      const service = resources.find(
        (resource) =>
          resource.type === "kubernetes:core/v1:Service" &&
          namespaceOf(resource) === namespace &&
          objectName(resource) === name,
      );
      violations.push({
        urn: service?.urn ?? routeUrn,
        message: `Service ${key} is a backend of an external Gateway, but no GCPBackendPolicy sets a Cloud Armor securityPolicy for it`,
      });
    }
    return violations;
  },
};
