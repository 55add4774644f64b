// Route53 failover for a region's front: the public names become failover records, PRIMARY in the
// region that serves them, SECONDARY in the stack that rebuilds it elsewhere. Route53 answers with
// the primary while its health check passes and with the secondary when it fails.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";

export type FailoverRole = "primary" | "secondary";

export interface FrontFailover {
  readonly role: FailoverRole;
  /** Tells this region's records apart from the other stack's: `<region>-<role>`. */
  readonly setIdentifier: string;
  /** The path the primary's health check asks for over HTTPS. */
  readonly healthCheckPath: string;
}

/** The front's failover settings, when the spec asks for failover records. */
export function frontFailover(spec: RegionSpec): FrontFailover | undefined {
  const failover = spec.front.failover;
  if (!failover) return undefined;
  return {
    role: failover.role,
    setIdentifier: `${spec.name}-${failover.role}`,
    healthCheckPath: failover.healthCheckPath ?? spec.front.healthCheckPath,
  };
}

/** What a failover record adds to a plain record: its identifier, its role, and its check. */
export function failoverRecordArgs(
  failover: FrontFailover,
  healthCheckId?: pulumi.Input<string>,
): Pick<aws.route53.RecordArgs, "setIdentifier" | "failoverRoutingPolicies" | "healthCheckId"> {
  return {
    setIdentifier: failover.setIdentifier,
    failoverRoutingPolicies: [{ type: failover.role === "primary" ? "PRIMARY" : "SECONDARY" }],
    ...(healthCheckId === undefined ? {} : { healthCheckId }),
  };
}

/** Seconds between checks and failures in a row: a dead primary fails over in about 1.5 minutes. */
export const FAILOVER_CHECK_INTERVAL = 30;
export const FAILOVER_FAILURE_THRESHOLD = 3;

export interface FrontHealthCheckArgs {
  /** The front itself, never a failover name (that would check whichever side answers). */
  readonly target:
    | { readonly kind: "name"; readonly fqdn: pulumi.Input<string> }
    | {
        readonly kind: "address";
        readonly ipAddress: pulumi.Input<string>;
        /** Sent as SNI and Host, so the front answers as it does for its public name. */
        readonly hostName: string;
      };
  readonly path: string;
  readonly tags: Record<string, string>;
  /** Route53's provider. */
  readonly provider: aws.Provider;
  readonly parent: pulumi.Resource;
}

/** An HTTPS health check of the primary front (Route53 does not validate its certificate). */
export function frontHealthCheck(
  name: string,
  args: FrontHealthCheckArgs,
): aws.route53.HealthCheck {
  const target =
    args.target.kind === "name"
      ? { fqdn: args.target.fqdn }
      : { ipAddress: args.target.ipAddress, fqdn: args.target.hostName };
  return new aws.route53.HealthCheck(
    name,
    {
      type: "HTTPS",
      ...target,
      port: 443,
      enableSni: true,
      resourcePath: args.path,
      requestInterval: FAILOVER_CHECK_INTERVAL,
      failureThreshold: FAILOVER_FAILURE_THRESHOLD,
      measureLatency: false,
      tags: args.tags,
    },
    { parent: args.parent, provider: args.provider },
  );
}
