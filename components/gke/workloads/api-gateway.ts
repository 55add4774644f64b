// The API gateway in the cluster: routes from the spec in a ConfigMap, a hardened Deployment with
// autoscaling and a disruption budget, and a GKE Gateway (global external Application Load
// Balancer) in front of it that ends TLS with a Certificate Manager certificate and sends traffic
// through a Cloud Armor policy.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "../../sdk/kubernetes";
import type { GkeSpec } from "../../spec/gke";
import { GATEWAY, LOAD_BALANCER_SOURCE_RANGES, selectorLabels } from "../contract";
import { gatewayRouteRules, httpsRedirectRules } from "./gateway-api";
import { backendTimeoutSeconds, gatewayEgressTargets, renderGatewayRoutes } from "./gateway-routes";
import { RestrictedNamespace } from "./namespace";
import { allowEgressToNamespaces, allowIngressFromRanges } from "./network-policies";
import { hardenedPodTemplate } from "./pod-template";
import { surgeRollout } from "./scaling";
import { appMetadata, serveDeployment } from "./served-deployment";

export interface ApiGatewayArgs {
  /** The spec's gateway block: image, replicas, routes. */
  readonly gateway: GkeSpec["gateway"];
  /** The gateway's public name (fully qualified), the only host the load balancer serves. */
  readonly hostname: string;
  /** Name of the reserved global address the load balancer takes. */
  readonly addressName: string;
  /** Name of the Certificate Manager map holding the gateway's certificate. */
  readonly certificateMapName: string;
  /** Name of the SSL policy (minimum TLS version, ciphers) of the load balancer. */
  readonly sslPolicyName: string;
  /** GCP resources the names above refer to: the Gateway waits for them. */
  readonly edgeResources: pulumi.Resource[];
  /** Name of the Cloud Armor policy of the gateway's backend service. */
  readonly securityPolicyName: string;
  /** The Cloud Armor policy that name refers to: the GCPBackendPolicy waits for it. */
  readonly securityPolicy: pulumi.Resource;
  /** The cluster's provider; every object is created through it. */
  readonly provider: k8s.Provider;
  /** GKE names of the node pools the pods run on (outputs of the pools). */
  readonly nodePools: pulumi.Input<string>[];
}

const GATEWAY_OBJECT = "external";

export class ApiGateway extends pulumi.ComponentResource {
  /** The namespace the gateway runs in. */
  public readonly namespace: pulumi.Output<string>;
  /** The routing table the gateway reads. */
  public readonly routesJson: string;

  constructor(name: string, args: ApiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:ApiGateway", name, {}, opts);
    const provider = args.provider;
    const child = { parent: this, provider };
    const app = GATEWAY.name;

    const namespace = new RestrictedNamespace(
      `${name}-ns`,
      { namespace: GATEWAY.namespace, provider },
      { parent: this },
    );
    this.namespace = namespace.name;
    const meta = appMetadata(this.namespace, app);

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: meta(app), automountServiceAccountToken: false },
      child,
    );

    this.routesJson = renderGatewayRoutes(args.gateway.routes, args.gateway.default);
    const config = new k8s.core.v1.ConfigMap(
      `${name}-routes`,
      { metadata: meta(`${app}-routes`), data: { [GATEWAY.configFile]: this.routesJson } },
      child,
    );

    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta(app),
        spec: {
          // No replica count: the autoscaler owns it.
          selector: { matchLabels: selectorLabels(app) },
          strategy: surgeRollout(),
          revisionHistoryLimit: 5,
          template: hardenedPodTemplate({
            name: app,
            image: args.gateway.image,
            serviceAccountName: serviceAccount.metadata.name,
            port: GATEWAY.containerPort,
            healthPath: GATEWAY.healthPath,
            nodePools: args.nodePools,
            requests: { cpu: "250m", memory: "256Mi" },
            limits: { cpu: "1", memory: "512Mi" },
            annotations: {
              "multicloud/routes-sha256": createHash("sha256")
                .update(this.routesJson)
                .digest("hex"),
            },
            volumes: [
              {
                volume: { name: "routes", configMap: { name: config.metadata.name } },
                mount: { name: "routes", mountPath: GATEWAY.configDir, readOnly: true },
              },
            ],
          }),
        },
      },
      child,
    );

    const service = serveDeployment(
      name,
      {
        app,
        metadata: meta(app),
        servicePort: GATEWAY.servicePort,
        replicas: args.gateway.replicas,
      },
      child,
    );

    // Only the load balancer's proxies and health checkers reach the pods (container-native
    // load balancing sends traffic straight to pod IPs); the gateway dials only its routes (and
    // chocon, for the default route).
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-lb`,
      {
        metadata: meta("allow-load-balancer"),
        spec: allowIngressFromRanges(app, GATEWAY.containerPort, LOAD_BALANCER_SOURCE_RANGES),
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-upstreams`,
      {
        metadata: meta("allow-upstreams"),
        spec: allowEgressToNamespaces(app, gatewayEgressTargets(args.gateway)),
      },
      child,
    );

    const gateway = new k8s.apiextensions.CustomResource(
      `${name}-gateway`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: {
          ...meta(GATEWAY_OBJECT),
          annotations: { "networking.gke.io/certmap": args.certificateMapName },
        },
        spec: {
          gatewayClassName: "gke-l7-global-external-managed",
          addresses: [{ type: "NamedAddress", value: args.addressName }],
          listeners: [
            {
              name: "https",
              protocol: "HTTPS",
              port: 443,
              hostname: args.hostname,
              allowedRoutes: { namespaces: { from: "Same" } },
            },
            {
              name: "http",
              protocol: "HTTP",
              port: 80,
              hostname: args.hostname,
              allowedRoutes: { namespaces: { from: "Same" } },
            },
          ],
        },
      },
      { ...child, dependsOn: args.edgeResources },
    );

    // GKE's policies for the load balancer it builds from the Gateway.
    const serviceRef = { group: "", kind: "Service", name: app };
    new k8s.apiextensions.CustomResource(
      `${name}-health-check`,
      {
        apiVersion: "networking.gke.io/v1",
        kind: "HealthCheckPolicy",
        metadata: meta(app),
        spec: {
          default: {
            checkIntervalSec: 5,
            timeoutSec: 3,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
            // The serving port: the port of each pod endpoint the load balancer sends traffic
            // to (the Service's "http" target), so the check follows it and names no number.
            config: {
              type: "HTTP",
              httpHealthCheck: {
                portSpecification: "USE_SERVING_PORT",
                requestPath: GATEWAY.healthPath,
              },
            },
          },
          targetRef: serviceRef,
        },
      },
      child,
    );
    // The route waits for the backend policy, so that the backend service GKE creates for it
    // never serves traffic without Cloud Armor.
    const backendPolicy = new k8s.apiextensions.CustomResource(
      `${name}-backend`,
      {
        apiVersion: "networking.gke.io/v1",
        kind: "GCPBackendPolicy",
        metadata: meta(app),
        spec: {
          default: {
            // Longer than the default route's whole budget, so the gateway answers first.
            timeoutSec: backendTimeoutSeconds(args.gateway),
            connectionDraining: { drainingTimeoutSec: 20 },
            logging: { enabled: true, sampleRate: 100_000 },
            securityPolicy: args.securityPolicyName,
          },
          targetRef: serviceRef,
        },
      },
      { ...child, dependsOn: [args.securityPolicy] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-route`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: meta(app),
        spec: {
          parentRefs: [{ name: GATEWAY_OBJECT, sectionName: "https" }],
          hostnames: [args.hostname],
          rules: gatewayRouteRules(
            args.gateway.routes,
            app,
            GATEWAY.servicePort,
            args.gateway.default !== undefined,
          ),
        },
      },
      { ...child, dependsOn: [gateway, service, backendPolicy] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-redirect`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: meta("https-redirect"),
        spec: {
          parentRefs: [{ name: GATEWAY_OBJECT, sectionName: "http" }],
          hostnames: [args.hostname],
          rules: httpsRedirectRules(),
        },
      },
      { ...child, dependsOn: [gateway] },
    );

    new k8s.apiextensions.CustomResource(
      `${name}-tls-policy`,
      {
        apiVersion: "networking.gke.io/v1",
        kind: "GCPGatewayPolicy",
        metadata: meta(GATEWAY_OBJECT),
        spec: {
          default: { sslPolicy: args.sslPolicyName },
          targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: GATEWAY_OBJECT },
        },
      },
      { ...child, dependsOn: [gateway, ...args.edgeResources] },
    );

    this.registerOutputs({ namespace: this.namespace });
  }
}
