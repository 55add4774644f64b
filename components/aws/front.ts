// The front with a load balancer: an internet-facing Application Load Balancer in the public
// subnets, HTTPS with a modern TLS policy and an ACM certificate, HTTP redirected to HTTPS, the
// nginx auto-scaling group behind it, access logs in S3, and the public names pointing at it
// (failover records when the spec pairs the region with a disaster-recovery rebuild).
import * as pulumi from "@pulumi/pulumi";
import { failoverRecordArgs, frontFailover, frontHealthCheck } from "../dns/failover";
import * as aws from "../sdk/aws";
import type { AwsRegionSpec } from "../spec/schema";
import { AccessLogBucket } from "./access-logs";
import type { AwsAccount } from "./account";
import { Certificate } from "./certificate";
import { nameKey, qualify } from "./dns-names";
import { ports } from "./ports";

/** TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface FrontArgs {
  /** The region: domain, front names, health check path. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  account: AwsAccount;
  /** Provider and zone for the public records (the region's Route53 zone). */
  dnsProvider: aws.Provider;
  publicZoneId: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** One public subnet per zone. */
  publicSubnetIds: pulumi.Input<string>[];
  /** The load balancer's security group. */
  securityGroupId: pulumi.Input<string>;
  /** Days access logs are kept. Default 90. */
  accessLogDays?: number;
}

export class Front extends pulumi.ComponentResource {
  public readonly dnsName: pulumi.Output<string>;
  /** The load balancer's hosted zone (for alias records). */
  public readonly zoneId: pulumi.Output<string>;
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** The target group the nginx hosts register with. */
  public readonly targetGroupArn: pulumi.Output<string>;
  /** CloudWatch's LoadBalancer and TargetGroup dimensions (app/..., targetgroup/...). */
  public readonly loadBalancerArnSuffix: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly accessLogBucket: pulumi.Output<string>;
  /** The public names served. */
  public readonly names: string[];
  /** The Route53 health check that decides failover (primary fronts only). */
  public readonly failoverHealthCheckId?: pulumi.Output<string>;

  constructor(name: string, args: FrontArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Front", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    this.names = [...new Set(spec.front.names.map((n) => qualify(n, spec.domain)))];
    // The certificate always covers the domain itself, then every front name.
    const certified = [...new Set([spec.domain, ...this.names])];

    const logs = new AccessLogBucket(
      `${name}-logs`,
      {
        spec,
        provider: args.provider,
        account: args.account,
        ...(args.accessLogDays ? { expirationDays: args.accessLogDays } : {}),
      },
      { parent: this },
    );
    const certificate = new Certificate(
      `${name}-tls`,
      {
        spec,
        provider: args.provider,
        dnsProvider: args.dnsProvider,
        zoneId: args.publicZoneId,
        names: certified,
      },
      { parent: this },
    );

    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: args.publicSubnetIds,
        securityGroups: [args.securityGroupId],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        enableHttp2: true,
        idleTimeout: 60,
        enableDeletionProtection: true,
        accessLogs: { bucket: logs.bucketName, prefix: logs.prefix, enabled: true },
        tags: { Name: `multicloud-${spec.name}` },
      },
      { ...children, dependsOn: [logs.policy] },
    );

    const targets = new aws.lb.TargetGroup(
      `${name}-nginx`,
      {
        vpcId: args.vpcId,
        targetType: "instance",
        protocol: "HTTP",
        port: ports.http,
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: spec.front.healthCheckPath,
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
        tags: { Name: `multicloud-${spec.name}-nginx` },
      },
      children,
    );

    new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: alb.arn,
        port: ports.https,
        protocol: "HTTPS",
        sslPolicy: tlsPolicy,
        certificateArn: certificate.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
        tags: { Name: `multicloud-${spec.name}-https` },
      },
      children,
    );
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: alb.arn,
        port: ports.http,
        protocol: "HTTP",
        defaultActions: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: String(ports.https), statusCode: "HTTP_301" },
          },
        ],
        tags: { Name: `multicloud-${spec.name}-http` },
      },
      children,
    );

    const failover = frontFailover(spec);
    const check =
      failover?.role === "primary"
        ? frontHealthCheck(`${name}-failover-health`, {
            target: { kind: "name", fqdn: alb.dnsName },
            path: failover.healthCheckPath,
            tags: { Name: `multicloud-${spec.name}-front` },
            provider: args.dnsProvider,
            parent: this,
          })
        : undefined;
    for (const relative of spec.front.names) {
      new aws.route53.Record(
        `${name}-${nameKey(relative)}-a`,
        {
          zoneId: args.publicZoneId,
          name: qualify(relative, spec.domain),
          type: "A",
          // With failover, Route53 also weighs the load balancer's own view of its targets.
          aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
          ...(failover ? failoverRecordArgs(failover, check?.id) : {}),
        },
        // A plain record and a failover record of one name cannot coexist: turning failover on
        // or off replaces the record, and the old one must go first.
        { parent: this, provider: args.dnsProvider, deleteBeforeReplace: true },
      );
    }
    this.failoverHealthCheckId = check?.id;

    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.loadBalancerArn = alb.arn;
    this.targetGroupArn = targets.arn;
    this.loadBalancerArnSuffix = alb.arnSuffix;
    this.targetGroupArnSuffix = targets.arnSuffix;
    this.certificateArn = certificate.certificateArn;
    this.accessLogBucket = logs.bucketName;
    this.registerOutputs({
      dnsName: this.dnsName,
      certificateArn: this.certificateArn,
      targetGroupArn: this.targetGroupArn,
    });
  }
}
