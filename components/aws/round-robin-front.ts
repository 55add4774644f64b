// The front without a load balancer: every nginx host has an Elastic IP, and each public name is
// a multi-value A record set, one record per host, each withdrawn by its Route53 health check
// when the host stops answering. nginx terminates TLS itself.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import { rebuildPrefix } from "../spec/dr";
import type { HostPlan } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import { nameKey, qualify } from "./dns-names";
import { ports } from "./ports";

export interface RoundRobinFrontArgs {
  /** The region: domain, front names, health check path. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  /** Provider and zone for the public records and health checks. */
  dnsProvider: aws.Provider;
  publicZoneId: pulumi.Input<string>;
  /** The nginx hosts, in public subnets. */
  hosts: { plan: HostPlan; instanceId: pulumi.Input<string> }[];
}

export class RoundRobinFront extends pulumi.ComponentResource {
  /** The public addresses of the nginx hosts, by host name. */
  public readonly addresses: Record<string, pulumi.Output<string>>;
  /** The Route53 health check of each nginx host, by host name. */
  public readonly healthCheckIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RoundRobinFrontArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:RoundRobinFront", name, {}, opts);
    const { spec } = args;
    const addresses: Record<string, pulumi.Output<string>> = {};
    const checks: Record<string, pulumi.Output<string>> = {};
    for (const { plan, instanceId } of args.hosts) {
      const eip = new aws.ec2.Eip(
        `${name}-${plan.name}-eip`,
        {
          domain: "vpc",
          instance: instanceId,
          tags: { Name: `multicloud-${spec.name}-${plan.name}` },
        },
        { parent: this, provider: args.provider },
      );
      const check = new aws.route53.HealthCheck(
        `${name}-${plan.name}-health`,
        {
          type: "HTTP",
          ipAddress: eip.publicIp,
          port: ports.http,
          resourcePath: spec.front.healthCheckPath,
          requestInterval: 30,
          failureThreshold: 3,
          tags: { Name: `multicloud-${spec.name}-${plan.name}` },
        },
        { parent: this, provider: args.dnsProvider },
      );
      addresses[plan.name] = eip.publicIp;
      checks[plan.name] = check.id;
    }

    for (const relative of spec.front.names) {
      for (const { plan } of args.hosts) {
        const address = addresses[plan.name];
        const check = checks[plan.name];
        if (!address || !check) continue;
        new aws.route53.Record(
          `${name}-${nameKey(relative)}-${plan.name}`,
          {
            zoneId: args.publicZoneId,
            name: qualify(relative, spec.domain),
            type: "A",
            ttl: 60,
            records: [address],
            // A rebuild's records stand beside those of the region it replaces (rebuildPrefix).
            setIdentifier: `${rebuildPrefix(spec)}${plan.name}`,
            multivalueAnswerRoutingPolicy: true,
            healthCheckId: check,
          },
          { parent: this, provider: args.dnsProvider },
        );
      }
    }
    this.addresses = addresses;
    this.healthCheckIds = checks;
    this.registerOutputs({ addresses: this.addresses });
  }
}
