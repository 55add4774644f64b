// One security group per role, one that every host shares (Consul, chocon, egress), the load
// balancer's and the RDS databases'. Rules are separate resources (never inline), so adding one
// never rewrites a group, and each names the group at its other end.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";
import { type GroupKey, ruleKey, securityPlan } from "./security-rules";

export interface SecurityGroupsArgs {
  /** The region: front mode, which roles have hosts, RDS databases, Consul WAN peers. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  vpcId: pulumi.Input<string>;
}

const descriptions: Record<GroupKey, string> = {
  alb: "Application load balancer: HTTP/HTTPS from the internet",
  host: "Every host: Consul gossip, Consul RPC, chocon, egress to the internet",
  database: "RDS MySQL: from the app hosts only",
  nginx: "nginx hosts",
  app: "app hosts",
  mysql: "MySQL hosts",
  memcached: "memcached hosts",
  util: "util hosts (Consul servers)",
  chocon: "chocon hosts",
};

export class SecurityGroups extends pulumi.ComponentResource {
  /** Every group by key; `alb` only with a load-balanced front, `database` only with RDS. */
  public readonly ids: Partial<Record<GroupKey, pulumi.Output<string>>>;
  /** The group every host carries. */
  public readonly hostGroupId: pulumi.Output<string>;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:SecurityGroups", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const plan = securityPlan(spec);
    for (const peer of plan.unresolvedWanPeers) {
      pulumi.log.warn(
        `consul.wanJoin entry ${peer} is a host name; security groups take addresses, so no WAN rule admits it`,
        this,
      );
    }

    const ids: Partial<Record<GroupKey, pulumi.Output<string>>> = {};
    for (const key of plan.groups) {
      const group = new aws.ec2.SecurityGroup(
        `${name}-${key}`,
        {
          vpcId: args.vpcId,
          description: descriptions[key],
          // Rules of other groups point at this one; revoke them so that deleting it never hangs.
          revokeRulesOnDelete: true,
          tags: { Name: `multicloud-${spec.name}-${key}` },
        },
        children,
      );
      ids[key] = group.id;
    }
    const idOf = (key: GroupKey): pulumi.Output<string> => {
      const id = ids[key];
      if (!id) throw new Error(`security group ${key} is not part of this site`);
      return id;
    };

    for (const rule of plan.rules) {
      const common = {
        securityGroupId: idOf(rule.group),
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...("group" in rule.peer
          ? { referencedSecurityGroupId: idOf(rule.peer.group) }
          : { cidrIpv4: rule.peer.cidr }),
        tags: { Name: `multicloud-${spec.name}-${ruleKey(rule)}` },
      };
      if (rule.direction === "ingress") {
        new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleKey(rule)}`, common, children);
      } else {
        new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleKey(rule)}`, common, children);
      }
    }

    this.ids = ids;
    this.hostGroupId = idOf("host");
    this.registerOutputs({ ids: this.ids });
  }

  /** The groups a host of the role carries: the shared one and its role's. */
  public forRole(role: Role): pulumi.Output<string>[] {
    const own = this.ids[role];
    if (!own) throw new Error(`no security group for role ${role}`);
    return [this.hostGroupId, own];
  }
}
