// HTTPRoute rules for the gateway's public listener. Pure.
import type { GatewayRoute } from "./gateway-routes";
import { orderedRoutes } from "./gateway-routes";

/** Gateway API allows at most 64 matches in a rule and 16 rules in a route. */
const MATCHES_PER_RULE = 64;
const RULES_PER_ROUTE = 16;

export interface HttpRouteRule {
  matches?: { path: { type: "PathPrefix"; value: string } }[];
  backendRefs?: { name: string; port: number }[];
  filters?: {
    type: "RequestRedirect";
    requestRedirect: { scheme: "https"; statusCode: 301 };
  }[];
}

/**
 * Only the spec's prefixes reach the gateway: every other path is answered 404 by the load
 * balancer, so the gateway never sees scans for paths it does not route. With a default route
 * every path is the gateway's to route, so the one match is the prefix `/`.
 */
export function gatewayRouteRules(
  routes: readonly GatewayRoute[],
  service: string,
  port: number,
  everyPath = false,
): HttpRouteRule[] {
  if (everyPath)
    return [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ name: service, port }],
      },
    ];
  const prefixes = orderedRoutes(routes).map((route) => route.prefix);
  const rules: HttpRouteRule[] = [];
  for (let start = 0; start < prefixes.length; start += MATCHES_PER_RULE) {
    rules.push({
      matches: prefixes
        .slice(start, start + MATCHES_PER_RULE)
        .map((value) => ({ path: { type: "PathPrefix", value } })),
      backendRefs: [{ name: service, port }],
    });
  }
  if (rules.length > RULES_PER_ROUTE) {
    throw new Error(
      `gke.gateway.routes: ${prefixes.length} prefixes exceed the ${MATCHES_PER_RULE * RULES_PER_ROUTE} one route can hold`,
    );
  }
  return rules;
}

/** Plain HTTP only redirects to HTTPS. */
export function httpsRedirectRules(): HttpRouteRule[] {
  return [
    {
      filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
    },
  ];
}
