// The API gateway's routing table, rendered from the spec: which path prefix goes to which gRPC
// service, and where every other path goes (the default route, over HTTP through chocon). Pure.
// Each service lives in the namespace of its own name, so its address is
// `<service>.<service>.svc.cluster.local:<port>`.
import { parseChoconCall } from "../../spec/chocon";
import type { GkeSpec } from "../../spec/gke";
import { CHOCON, GATEWAY } from "../contract";

export type GatewayRoute = GkeSpec["gateway"]["routes"][number];
export type DefaultRoute = NonNullable<GkeSpec["gateway"]["default"]>;

/** Methods a retry cannot repeat the effect of: the only ones retried after an answer came. */
export const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"] as const;
/** Answers worth another attempt: the upstream (or chocon's way to it) failed, not the request. */
export const RETRIED_STATUSES = [502, 503, 504] as const;
/** Time to open a connection to chocon, which runs in the cluster. */
export const CONNECT_TIMEOUT_SECONDS = 2;
/** The load balancer waits at least this long for the gateway, and longer than any route. */
const MIN_BACKEND_TIMEOUT_SECONDS = 30;
const BACKEND_MARGIN_SECONDS = 5;

/** chocon's Service in the cluster: where the gateway connects for a call through chocon. */
export const CHOCON_SERVICE_ADDRESS = `${CHOCON.name}.${CHOCON.namespace}.svc.cluster.local:${CHOCON.servicePort}`;

/** The default route as the gateway reads it. */
export interface RenderedDefaultRoute {
  readonly prefix: "/";
  readonly protocol: "http";
  /** As the spec names it: `http://<target>.<ccnproxy suffix>[:port]`. */
  readonly upstream: string;
  /** The gateway connects to chocon's Service ... */
  readonly connect: string;
  /** ... and names the upstream in the Host header; chocon strips the suffix, keeps the port. */
  readonly host: string;
  /** What chocon then calls. */
  readonly target: string;
  readonly timeouts: { connect: string; perTry: string; total: string };
  readonly retries: {
    attempts: number;
    onConnectFailure: "any-method";
    onStatus: number[];
    methods: string[];
    backoff: { base: string; max: string };
  };
  /** The client's address, the public host name and scheme reach the upstream in these. */
  readonly forwardedHeaders: string[];
}

/** The default route of the spec, rendered; refuses an upstream that does not go through chocon. */
export function renderDefaultRoute(route: DefaultRoute): RenderedDefaultRoute {
  const call = parseChoconCall(route.upstream);
  if (!call)
    throw new Error(`gke.gateway.default.upstream: ${route.upstream} is not a call through chocon`);
  const host = route.upstream.slice("http://".length);
  const attempts = route.retries + 1;
  return {
    prefix: "/",
    protocol: "http",
    upstream: route.upstream,
    connect: CHOCON_SERVICE_ADDRESS,
    host,
    target: `${call.upstreamScheme}://${call.target}:${call.port}`,
    timeouts: {
      connect: `${CONNECT_TIMEOUT_SECONDS}s`,
      perTry: `${Math.max(1, Math.floor(route.timeoutSeconds / attempts))}s`,
      total: `${route.timeoutSeconds}s`,
    },
    retries: {
      attempts: route.retries,
      onConnectFailure: "any-method",
      onStatus: [...RETRIED_STATUSES],
      methods: [...IDEMPOTENT_METHODS],
      backoff: { base: "100ms", max: "1s" },
    },
    forwardedHeaders: ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"],
  };
}

/** How long the load balancer waits for the gateway: longer than the default route's whole budget. */
export function backendTimeoutSeconds(gateway: Pick<GkeSpec["gateway"], "default">): number {
  const route = gateway.default;
  return Math.max(
    MIN_BACKEND_TIMEOUT_SECONDS,
    route ? route.timeoutSeconds + BACKEND_MARGIN_SECONDS : 0,
  );
}

/** The namespace a route's service runs in. */
export function serviceNamespace(route: Pick<GatewayRoute, "service">): string {
  return route.service;
}

/** The in-cluster address the gateway dials for a route. */
export function upstreamAddress(route: GatewayRoute): string {
  return `${route.service}.${serviceNamespace(route)}.svc.cluster.local:${route.port}`;
}

/** Routes with the longest prefix first, so the most specific route wins; rejects repeated prefixes. */
export function orderedRoutes(routes: readonly GatewayRoute[]): GatewayRoute[] {
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.prefix)) {
      throw new Error(`gke.gateway.routes: the prefix ${route.prefix} is listed twice`);
    }
    seen.add(route.prefix);
  }
  return [...routes].sort(
    (a, b) => b.prefix.length - a.prefix.length || a.prefix.localeCompare(b.prefix),
  );
}

/**
 * The JSON document the gateway reads from its ConfigMap: the service routes, most specific first,
 * then the default route, if any, which takes every path they leave.
 */
export function renderGatewayRoutes(
  routes: readonly GatewayRoute[],
  fallback?: DefaultRoute,
): string {
  const document = {
    listen: `:${GATEWAY.containerPort}`,
    health: GATEWAY.healthPath,
    routes: [
      ...orderedRoutes(routes).map((route) => ({
        prefix: route.prefix,
        upstream: upstreamAddress(route),
        protocol: "grpc",
      })),
      ...(fallback ? [renderDefaultRoute(fallback)] : []),
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** For the gateway's egress policy: each service namespace with the ports the gateway dials there. */
export function upstreamPortsByNamespace(
  routes: readonly GatewayRoute[],
): { namespace: string; ports: number[] }[] {
  const byNamespace = new Map<string, Set<number>>();
  for (const route of routes) {
    const namespace = serviceNamespace(route);
    const ports = byNamespace.get(namespace) ?? new Set<number>();
    ports.add(route.port);
    byNamespace.set(namespace, ports);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, ports]) => ({ namespace, ports: [...ports].sort((a, b) => a - b) }));
}

/** The gateway's egress: its services' ports, and chocon's pods when a default route goes there. */
export function gatewayEgressTargets(
  gateway: Pick<GkeSpec["gateway"], "routes" | "default">,
): { namespace: string; ports: number[] }[] {
  const targets = upstreamPortsByNamespace(gateway.routes);
  if (!gateway.default) return targets;
  // Policies see the pod's port: the Service's port 80 is translated before they apply.
  const chocon = targets.find((target) => target.namespace === CHOCON.namespace);
  if (chocon) {
    if (!chocon.ports.includes(CHOCON.containerPort)) chocon.ports.push(CHOCON.containerPort);
    chocon.ports.sort((a, b) => a - b);
    return targets;
  }
  return [...targets, { namespace: CHOCON.namespace, ports: [CHOCON.containerPort] }].sort((a, b) =>
    a.namespace.localeCompare(b.namespace),
  );
}

/** The ports chocon calls upstream: 80 and 443 for the suffixes, and the default route's port. */
export function choconUpstreamPorts(gateway: Pick<GkeSpec["gateway"], "default">): number[] {
  const ports = new Set<number>([80, 443]);
  const call = gateway.default ? parseChoconCall(gateway.default.upstream) : undefined;
  if (call) ports.add(call.port);
  return [...ports].sort((a, b) => a - b);
}

/** Namespaces whose pods call chocon: the services', and the gateway's when its default route does. */
export function choconClientNamespaces(
  gateway: Pick<GkeSpec["gateway"], "routes" | "default">,
): string[] {
  const namespaces = upstreamPortsByNamespace(gateway.routes).map((target) => target.namespace);
  if (gateway.default && !namespaces.includes(GATEWAY.namespace))
    namespaces.push(GATEWAY.namespace);
  return namespaces.sort();
}
