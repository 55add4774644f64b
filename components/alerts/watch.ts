// What each site shows the alerts: the resources they watch, by cloud. Sites fill it in; the
// alerts read nothing else of them.
import type * as pulumi from "@pulumi/pulumi";
import type { ApiGate } from "../gcp/api-wait";
import type * as aws from "../sdk/aws";
import type * as gcp from "../sdk/gcp";
import type { Role } from "../spec/hosts";
import type { LoadBalancerWatch } from "./aws/load-balancer";
import type { WatchedDatabase } from "./aws/rds";
import type { Route53Check } from "./aws/route53";
import type { GclbWatch } from "./gcp/load-balancer";

export interface AwsWatch {
  readonly cloud: "aws";
  /** The site's provider and AWS region. */
  readonly provider: aws.Provider;
  readonly awsRegion: string;
  /** Route53 health checks of the front (round-robin hosts, a failover primary). */
  readonly route53Checks: readonly Route53Check[];
  /** The load balancer front, with its ACM certificate. */
  readonly loadBalancer?: LoadBalancerWatch & { readonly certificateArn: pulumi.Input<string> };
  readonly databases: readonly WatchedDatabase[];
  /** Instance role names by host role: the publishing roles are allowed to send their signals. */
  readonly instanceRoleNames: Partial<Record<Role, pulumi.Input<string>>>;
}

export interface GcpWatch {
  readonly cloud: "gcp";
  /** The site's provider (its project, region and labels). */
  readonly provider: gcp.Provider;
  readonly project: string;
  /** The site's APIs this run enables (Monitoring, Logging among them): everything here waits. */
  readonly apis: ApiGate;
  readonly route53Checks: readonly Route53Check[];
  readonly loadBalancer: GclbWatch;
}

export interface SakuraWatch {
  readonly cloud: "sakura";
  readonly route53Checks: readonly Route53Check[];
}

export type SiteWatch = AwsWatch | GcpWatch | SakuraWatch;

/** The GKE microservices, where the region has them: their API gateway is a public front too. */
export interface GkeWatch {
  /** The GKE project's provider. */
  readonly provider: gcp.Provider;
  readonly project: string;
  /** The project's APIs this run enables, Cloud Monitoring's among them: alerts there wait. */
  readonly apis: ApiGate;
}
