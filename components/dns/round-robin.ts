// A DNS round-robin front: one multi-value A record per front host and name, each tied to a
// Route53 health check, so a dead front leaves the rotation within a minute or two. Each host's
// certificate also holds a name of its own (`<host>.<domain>`), which no record publishes: the
// health checks reach the host by address and send that name as SNI and Host, and a rebuild's
// hosts, named as the originals, stand beside them. They ask over HTTPS: what clients use (port
// 443, the TLS handshake, nginx), and nginx answers 200 only once the CA's certificate is
// installed. Route53 does not validate the certificate; its expiry is watched elsewhere.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

export interface RoundRobinTarget {
  /** Stable id of the front host, used in resource names and as the record's set identifier. */
  readonly id: string;
  /** Its public IPv4 address. */
  readonly address: pulumi.Input<string>;
}

export interface DnsRoundRobinArgs {
  zoneId: pulumi.Input<string>;
  /** The zone's domain; names are relative to it ("@" = apex). */
  domain: string;
  names: readonly string[];
  targets: readonly RoundRobinTarget[];
  healthCheckPath: string;
  tags: Record<string, string>;
  provider: aws.Provider;
  /**
   * Before each set identifier: a rebuild's records stand beside those of the region it replaces,
   * under the same names, and each stack must own only its own (rebuildPrefix).
   */
  setIdentifierPrefix?: string;
}

export class DnsRoundRobin extends pulumi.ComponentResource {
  readonly healthCheckIds: pulumi.Output<string>[];

  constructor(name: string, args: DnsRoundRobinArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:dns:RoundRobin", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    this.healthCheckIds = args.targets.map((target) => {
      const hostName = absoluteName(target.id, args.domain);
      const check = new aws.route53.HealthCheck(
        `${name}-${target.id}`,
        {
          type: "HTTPS",
          ipAddress: target.address,
          port: 443,
          fqdn: hostName,
          enableSni: true,
          resourcePath: args.healthCheckPath,
          // 3 failures at 10 s: a dead host leaves the rotation in about 30 s plus the TTL.
          requestInterval: 10,
          failureThreshold: 3,
          measureLatency: false,
          tags: { ...args.tags, Name: `${target.id} front` },
        },
        childOpts,
      );
      for (const relative of args.names) {
        new aws.route53.Record(
          `${name}-${recordSlug(relative)}-${target.id}`,
          {
            zoneId: args.zoneId,
            name: absoluteName(relative, args.domain),
            type: "A",
            ttl: 60,
            records: [target.address],
            setIdentifier: `${args.setIdentifierPrefix ?? ""}${target.id}`,
            multivalueAnswerRoutingPolicy: true,
            healthCheckId: check.id,
          },
          childOpts,
        );
      }
      return check.id;
    });
    this.registerOutputs({ healthCheckIds: this.healthCheckIds });
  }
}

export function absoluteName(relative: string, domain: string): string {
  return relative === "@" ? domain : `${relative}.${domain}`;
}

/** A name fragment for resource names: "@" -> "apex", "api.v2" -> "api-v2". */
export function recordSlug(relative: string): string {
  return relative === "@" ? "apex" : relative.replace(/\./g, "-");
}
