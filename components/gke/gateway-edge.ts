// The gateway's edge outside the cluster: a reserved global address, a Google-managed
// certificate (Certificate Manager, authorized through DNS so it is issued before traffic moves),
// a TLS policy, the Cloud Armor policy of the backend, and the public Route53 records. The GKE
// Gateway and its policies refer to these by name.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import { gatewayArmorArgs, gatewayArmorName } from "./gateway-armor";

export interface GatewayEdgeArgs {
  /** Prefix of the GCP names, unique in the project: `jp-gke`. */
  readonly baseName: string;
  /** The gateway's fully qualified public name. */
  readonly hostname: string;
  readonly labels: Record<string, string>;
  readonly gcpProvider: gcp.Provider;
  /** The region's public zone and the provider that manages it. */
  readonly publicZoneId: pulumi.Input<string>;
  readonly dnsProvider: aws.Provider;
}

/** The public name of a spec name relative to the domain ("@" is the apex). */
export function publicName(relative: string, domain: string): string {
  return relative === "@" ? domain : `${relative}.${domain}`;
}

export class GatewayEdge extends pulumi.ComponentResource {
  public readonly addressName: string;
  public readonly certificateMapName: string;
  public readonly sslPolicyName: string;
  /** Name of the Cloud Armor policy the gateway's backend service takes. */
  public readonly securityPolicyName: string;
  /** The reserved address the hostname points at. */
  public readonly address: pulumi.Output<string>;
  /** Resources the Gateway refers to by name. */
  public readonly resources: pulumi.Resource[];
  /** The Cloud Armor policy: the GCPBackendPolicy that names it waits for it. */
  public readonly securityPolicy: pulumi.Resource;

  constructor(name: string, args: GatewayEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:GatewayEdge", name, {}, opts);
    const gcpChild = { parent: this, provider: args.gcpProvider };
    const dnsChild = { parent: this, provider: args.dnsProvider };
    this.addressName = `${args.baseName}-gateway`;
    this.certificateMapName = `${args.baseName}-gateway`;
    this.sslPolicyName = `${args.baseName}-gateway-tls`;
    this.securityPolicyName = gatewayArmorName(args.baseName);

    // Clients and partners may pin the address: it outlives load balancer rebuilds.
    const address = new gcp.compute.GlobalAddress(
      `${name}-address`,
      {
        name: this.addressName,
        description: `Public address of ${args.hostname}`,
        addressType: "EXTERNAL",
        ipVersion: "IPV4",
        labels: args.labels,
      },
      { ...gcpChild, protect: true },
    );
    this.address = address.address;

    const tls = new gcp.compute.SSLPolicy(
      `${name}-tls`,
      { name: this.sslPolicyName, profile: "MODERN", minTlsVersion: "TLS_1_2" },
      gcpChild,
    );

    const authorization = new gcp.certificatemanager.DnsAuthorization(
      `${name}-dns-auth`,
      { name: `${args.baseName}-gateway`, domain: args.hostname, labels: args.labels },
      gcpChild,
    );
    const certificate = new gcp.certificatemanager.Certificate(
      `${name}-certificate`,
      {
        name: `${args.baseName}-gateway`,
        scope: "DEFAULT",
        managed: { domains: [args.hostname], dnsAuthorizations: [authorization.id] },
        labels: args.labels,
      },
      gcpChild,
    );
    const map = new gcp.certificatemanager.CertificateMap(
      `${name}-certificate-map`,
      { name: this.certificateMapName, labels: args.labels },
      gcpChild,
    );
    const entry = new gcp.certificatemanager.CertificateMapEntry(
      `${name}-certificate-entry`,
      {
        name: `${args.baseName}-gateway`,
        map: map.name,
        hostname: args.hostname,
        certificates: [certificate.id],
        labels: args.labels,
      },
      gcpChild,
    );
    this.resources = [address, tls, map, entry];

    this.securityPolicy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      gatewayArmorArgs({
        name: this.securityPolicyName,
        hostname: args.hostname,
        labels: args.labels,
      }),
      gcpChild,
    );

    // Both records are shared on purpose with a rebuild of the region, which serves the same
    // gateway name from the same zone: each stack writes them (allowOverwrite), the last deployed
    // holds them, and neither stack's deletion removes them from the other (retainOnDelete).
    const shared = { ...dnsChild, retainOnDelete: true };
    // The challenge record lives at a fixed name; its target comes from Certificate Manager (the
    // same for every authorization of the name in the project).
    new aws.route53.Record(
      `${name}-dns-auth`,
      {
        zoneId: args.publicZoneId,
        name: `_acme-challenge.${args.hostname}`,
        type: "CNAME",
        ttl: 300,
        records: authorization.dnsResourceRecords.apply((records) =>
          (records ?? []).map((record) => record.data),
        ),
        allowOverwrite: true,
      },
      shared,
    );
    new aws.route53.Record(
      `${name}-a`,
      {
        zoneId: args.publicZoneId,
        name: args.hostname,
        type: "A",
        ttl: 300,
        records: [address.address],
        allowOverwrite: true,
      },
      shared,
    );

    this.registerOutputs({
      address: this.address,
      addressName: this.addressName,
      securityPolicyName: this.securityPolicyName,
    });
  }
}
