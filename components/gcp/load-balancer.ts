// The Google Cloud Load Balancer of the site: a global external Application Load Balancer
// (Envoy-based, EXTERNAL_MANAGED) on reserved IPv4 and IPv6 addresses, TLS with Google-managed
// certificates and a MODERN TLS 1.2+ policy, plain HTTP only redirecting to HTTPS, Cloud Armor in
// front of the nginx group, and the site's public names in Route53 pointing at it (failover records
// when the region is paired with a disaster-recovery rebuild).
import * as pulumi from "@pulumi/pulumi";
import { type FrontFailover, failoverRecordArgs, frontHealthCheck } from "../dns/failover";
import * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import { GcpCertificates } from "./certificates";
import { DEFAULT_RATE_LIMIT, type RateLimit, securityPolicyRules } from "./cloud-armor";
import { childOptions, type GcpComponentArgs } from "./options";
import { publicNames } from "./public-names";

export interface GcpLoadBalancerArgs extends GcpComponentArgs {
  /** The region's public domain (example.co.uk). */
  readonly domain: string;
  /** Public names relative to the domain ("@" for the apex). */
  readonly names: readonly string[];
  /** Path the health check asks nginx for. */
  readonly healthCheckPath: string;
  /** The nginx instance group's URL. */
  readonly instanceGroup: pulumi.Input<string>;
  /** The group's named port for HTTP; defaults to http. */
  readonly portName?: string;
  /** The port nginx serves on; defaults to 80. */
  readonly port?: number;
  /** The region's Route53 zone. */
  readonly publicZoneId: pulumi.Input<string>;
  /** The AWS provider for the Route53 records. */
  readonly dnsProvider: aws.Provider;
  /** Serve IPv6 too (an address, two forwarding rules, AAAA records). Defaults to true. */
  readonly ipv6?: boolean;
  /** Per-address rate limit of Cloud Armor. */
  readonly rateLimit?: RateLimit;
  /** Make the public names Route53 failover records (frontFailover(spec)). */
  readonly failover?: FrontFailover;
  readonly labels?: Record<string, string>;
}

/** Seconds a host leaving the group may finish its requests. */
export const CONNECTION_DRAINING_SEC = 300;
/** HSTS for the site's own names only: other names in the domain may still be served over HTTP. */
export const HSTS_HEADER = "Strict-Transport-Security: max-age=31536000";
export const PUBLIC_RECORD_TTL = 300;
/** Failover records are re-read sooner, so that a switch reaches clients within a minute. */
export const FAILOVER_RECORD_TTL = 60;

export class GcpLoadBalancer extends pulumi.ComponentResource {
  readonly ipv4Address: gcp.compute.GlobalAddress;
  readonly ipv6Address?: gcp.compute.GlobalAddress;
  readonly backendService: gcp.compute.BackendService;
  readonly securityPolicy: gcp.compute.SecurityPolicy;
  readonly sslPolicy: gcp.compute.SSLPolicy;
  readonly httpsProxy: gcp.compute.TargetHttpsProxy;
  readonly httpProxy: gcp.compute.TargetHttpProxy;
  /** The URL map of the HTTPS proxy: the load balancer's request metrics name it. */
  readonly urlMap: gcp.compute.URLMap;
  readonly certificates: GcpCertificates;
  /** The public IPv4 address. */
  readonly address: pulumi.Output<string>;
  /** The public IPv6 address, when IPv6 is served. */
  readonly addressV6?: pulumi.Output<string>;
  /** The Route53 health check that decides failover (primary fronts only). */
  readonly failoverHealthCheckId?: pulumi.Output<string>;

  constructor(name: string, args: GcpLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:LoadBalancer", name, {}, opts);
    const child = childOptions(this, args);
    const names = publicNames(args.domain, args.names);
    const ipv6 = args.ipv6 ?? true;
    const scheme = "EXTERNAL_MANAGED";

    this.ipv4Address = new gcp.compute.GlobalAddress(
      `${name}-ipv4`,
      {
        description: `Public IPv4 of ${args.domain}`,
        ipVersion: "IPV4",
        addressType: "EXTERNAL",
        labels: args.labels,
      },
      child,
    );
    this.ipv6Address = ipv6
      ? new gcp.compute.GlobalAddress(
          `${name}-ipv6`,
          {
            description: `Public IPv6 of ${args.domain}`,
            ipVersion: "IPV6",
            addressType: "EXTERNAL",
            labels: args.labels,
          },
          child,
        )
      : undefined;

    this.certificates = new GcpCertificates(
      `${name}-tls`,
      {
        provider: args.provider,
        dependsOn: args.dependsOn,
        names,
        publicZoneId: args.publicZoneId,
        dnsProvider: args.dnsProvider,
        labels: args.labels,
      },
      { parent: this },
    );

    this.sslPolicy = new gcp.compute.SSLPolicy(
      `${name}-tls-policy`,
      {
        description: "TLS 1.2 and newer, modern ciphers",
        profile: "MODERN",
        minTlsVersion: "TLS_1_2",
      },
      child,
    );

    this.securityPolicy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      {
        description: "WAF, per-address rate limit and adaptive layer 7 DDoS defense",
        type: "CLOUD_ARMOR",
        rules: securityPolicyRules(args.rateLimit ?? DEFAULT_RATE_LIMIT),
        adaptiveProtectionConfig: {
          layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" },
        },
        // JSON bodies are parsed so the WAF reads their values rather than raw JSON syntax,
        // which would otherwise look like an injection.
        advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "NORMAL" },
        labels: args.labels,
      },
      child,
    );

    const healthCheck = new gcp.compute.HealthCheck(
      `${name}-health`,
      {
        description: "Load balancer health check of nginx",
        checkIntervalSec: 5,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
        httpHealthCheck: {
          port: args.port ?? 80,
          requestPath: args.healthCheckPath,
        },
        logConfig: { enable: true },
      },
      child,
    );

    this.backendService = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        description: "nginx hosts",
        loadBalancingScheme: scheme,
        protocol: "HTTP",
        portName: args.portName ?? "http",
        timeoutSec: 30,
        connectionDrainingTimeoutSec: CONNECTION_DRAINING_SEC,
        healthChecks: healthCheck.id,
        backends: [
          {
            group: args.instanceGroup,
            balancingMode: "UTILIZATION",
            maxUtilization: 0.8,
            capacityScaler: 1,
          },
        ],
        securityPolicy: this.securityPolicy.selfLink,
        customResponseHeaders: [HSTS_HEADER],
        logConfig: { enable: true, sampleRate: 1.0 },
      },
      child,
    );

    const siteMap = new gcp.compute.URLMap(
      `${name}-https-map`,
      { description: "Every request to nginx", defaultService: this.backendService.id },
      child,
    );
    const redirectMap = new gcp.compute.URLMap(
      `${name}-http-redirect`,
      {
        description: "Plain HTTP: permanent redirect to HTTPS",
        defaultUrlRedirect: {
          httpsRedirect: true,
          redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
          stripQuery: false,
        },
      },
      child,
    );

    this.urlMap = siteMap;
    this.httpsProxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https`,
      {
        description: "TLS termination",
        urlMap: siteMap.id,
        certificateMap: this.certificates.certificateMapRef,
        sslPolicy: this.sslPolicy.selfLink,
      },
      child,
    );
    this.httpProxy = new gcp.compute.TargetHttpProxy(
      `${name}-http`,
      { description: "Redirects to HTTPS", urlMap: redirectMap.id },
      child,
    );

    const failover = args.failover;
    const [firstName] = names;
    const check =
      failover?.role === "primary" && firstName
        ? frontHealthCheck(`${name}-failover-health`, {
            target: {
              kind: "address",
              ipAddress: this.ipv4Address.address,
              hostName: firstName.fqdn,
            },
            path: failover.healthCheckPath,
            tags: { Name: `${args.domain} front` },
            provider: args.dnsProvider,
            parent: this,
          })
        : undefined;
    this.failoverHealthCheckId = check?.id;

    const addresses = [
      { version: "ipv4", address: this.ipv4Address, recordType: "A" },
      ...(this.ipv6Address
        ? [{ version: "ipv6", address: this.ipv6Address, recordType: "AAAA" }]
        : []),
    ];
    for (const { version, address, recordType } of addresses) {
      for (const { port, target } of [
        { port: 443, target: this.httpsProxy.id },
        { port: 80, target: this.httpProxy.id },
      ]) {
        new gcp.compute.GlobalForwardingRule(
          `${name}-${version}-${port}`,
          {
            description: `${version} port ${port}`,
            loadBalancingScheme: scheme,
            ipProtocol: "TCP",
            ipAddress: address.address,
            portRange: String(port),
            target,
            labels: args.labels,
          },
          child,
        );
      }
      for (const publicName of names) {
        new aws.route53.Record(
          `${name}-${publicName.key}-${recordType.toLowerCase()}`,
          {
            zoneId: args.publicZoneId,
            name: publicName.fqdn,
            type: recordType,
            ttl: failover ? FAILOVER_RECORD_TTL : PUBLIC_RECORD_TTL,
            records: [address.address],
            // Both address families follow the one check of the IPv4 front.
            ...(failover ? failoverRecordArgs(failover, check?.id) : {}),
          },
          // A plain record and a failover record of one name cannot coexist: turning failover on
          // or off replaces the record, and the old one must go first.
          { parent: this, provider: args.dnsProvider, deleteBeforeReplace: true },
        );
      }
    }

    this.address = this.ipv4Address.address;
    this.addressV6 = this.ipv6Address?.address;
    this.registerOutputs({ address: this.address, addressV6: this.addressV6 });
  }
}
