// Google-managed TLS certificates for the site's public names, through Certificate Manager with
// DNS authorization. Each name has its own authorization, certificate and map entry, so adding
// or removing a name never replaces the certificate of another, and a certificate is issued from
// the DNS record alone, before any traffic reaches the load balancer (a rebuilt region serves TLS
// as soon as its names point at it). The authorization records live in the region's Route53 zone.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import { childOptions, type GcpComponentArgs } from "./options";
import type { PublicName } from "./public-names";

export interface GcpCertificatesArgs extends GcpComponentArgs {
  readonly names: readonly PublicName[];
  /** The Route53 zone that holds the names (public DNS stays on Route53). */
  readonly publicZoneId: pulumi.Input<string>;
  /** The AWS provider for the Route53 records. */
  readonly dnsProvider: aws.Provider;
  readonly labels?: Record<string, string>;
}

/** Name of the record a FIXED_RECORD DNS authorization asks for. */
export function acmeChallengeName(fqdn: string): string {
  return `_acme-challenge.${fqdn}`;
}

export class GcpCertificates extends pulumi.ComponentResource {
  readonly map: gcp.certificatemanager.CertificateMap;
  /** The map as a target HTTPS proxy names it. */
  readonly certificateMapRef: pulumi.Output<string>;

  constructor(name: string, args: GcpCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:Certificates", name, {}, opts);
    const child = childOptions(this, args);

    this.map = new gcp.certificatemanager.CertificateMap(
      `${name}-map`,
      { description: "Certificates of the site's public names", labels: args.labels },
      child,
    );

    for (const publicName of args.names) {
      const prefix = `${name}-${publicName.key}`;
      const authorization = new gcp.certificatemanager.DnsAuthorization(
        `${prefix}-authorization`,
        { domain: publicName.fqdn, type: "FIXED_RECORD", labels: args.labels },
        child,
      );
      new aws.route53.Record(
        `${prefix}-authorization`,
        {
          zoneId: args.publicZoneId,
          name: acmeChallengeName(publicName.fqdn),
          type: "CNAME",
          ttl: 300,
          // Known once the authorization exists; a preview shows it as unknown.
          records: authorization.dnsResourceRecords.apply((records) =>
            (records ?? []).map((record) => record.data),
          ),
          // Every authorization of the name in the project asks for the same record: a rebuild of
          // the region serving the same names writes the one that is there already, and neither
          // stack's deletion takes it from the other, whose renewals need it.
          allowOverwrite: true,
        },
        { parent: this, provider: args.dnsProvider, retainOnDelete: true },
      );
      const certificate = new gcp.certificatemanager.Certificate(
        `${prefix}-certificate`,
        {
          description: `TLS certificate of ${publicName.fqdn}`,
          scope: "DEFAULT",
          managed: { domains: [publicName.fqdn], dnsAuthorizations: [authorization.id] },
          labels: args.labels,
        },
        child,
      );
      new gcp.certificatemanager.CertificateMapEntry(
        `${prefix}-entry`,
        {
          map: this.map.name,
          hostname: publicName.fqdn,
          certificates: [certificate.id],
          labels: args.labels,
        },
        child,
      );
    }

    this.certificateMapRef = pulumi.interpolate`//certificatemanager.googleapis.com/${this.map.id}`;
    this.registerOutputs({ certificateMapRef: this.certificateMapRef });
  }
}
