// What the cluster's workloads and the infrastructure around them agree on: namespaces, names,
// ports, the user the images run as, and the addresses Google's load balancers come from.

/** Labels every object of this program carries (selectors use `app.kubernetes.io/name`). */
export const PART_OF = "multicloud";

/** UID and GID the images run as: the conventional non-root user of distroless images. */
export const RUN_AS_USER = 65532;

/** The API gateway: JSON over HTTPS from clients (TLS ends at the load balancer), gRPC to services. */
export const GATEWAY = {
  namespace: "gateway",
  name: "api-gateway",
  /** The container listens here for plain HTTP from the load balancer. */
  containerPort: 8080,
  servicePort: 80,
  healthPath: "/healthz",
  /** Where the routes ConfigMap is mounted; the gateway reads `routes.json` from it. */
  configDir: "/etc/api-gateway",
  configFile: "routes.json",
} as const;

/** chocon: the keep-alive proxy that pods reach other clouds through. */
export const CHOCON = {
  namespace: "chocon",
  name: "chocon",
  containerPort: 8080,
  /** Port 80: chocon keeps the Host header's port, so port-less URLs must land on 80. */
  servicePort: 80,
  /** chocon has no health endpoint; its stats page answers locally. */
  healthPath: "/.api/stats",
  /** Namespaces with this label may call chocon, besides the namespaces of the gateway's services. */
  clientLabel: "multicloud/chocon-client",
  /** Host names ending in one of these suffixes are sent to chocon by DNS. */
  suffixes: ["ccnproxy-https", "ccnproxy-secure", "ccnproxy-ssl", "ccnproxy"],
  /** The fixed ClusterIP is this host number of the services range (kube-dns takes the 10th). */
  clusterIpHost: 80,
} as const;

/** Google Front Ends and health checkers of the global external Application Load Balancer. */
export const LOAD_BALANCER_SOURCE_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** NodeLocal DNSCache listens on this link-local address on every node. */
export const NODE_LOCAL_DNS = "169.254.20.10/32";

/** Link-local range (metadata server and friends): never reachable through chocon. */
export const LINK_LOCAL = "169.254.0.0/16";

/** Standard labels of one workload. */
export function appLabels(name: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The selector of one workload: a subset of appLabels that never changes. */
export function selectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}
