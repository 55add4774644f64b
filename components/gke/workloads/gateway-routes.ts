// The API gateway's routing table, rendered from the spec: which path prefix goes to which gRPC
// service. Pure. Each service lives in the namespace of its own name, so its address is
// `<service>.<service>.svc.cluster.local:<port>`.
import type { GkeSpec } from "../../spec/gke";
import { GATEWAY } from "../contract";

export type GatewayRoute = GkeSpec["gateway"]["routes"][number];

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

/** The JSON document the gateway reads from its ConfigMap. */
export function renderGatewayRoutes(routes: readonly GatewayRoute[]): string {
  const document = {
    listen: `:${GATEWAY.containerPort}`,
    health: GATEWAY.healthPath,
    routes: orderedRoutes(routes).map((route) => ({
      prefix: route.prefix,
      upstream: upstreamAddress(route),
      protocol: "grpc",
    })),
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
