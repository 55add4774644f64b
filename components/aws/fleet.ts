// Every host of the region: stateless roles in auto-scaling groups, the rest as fixed hosts at the
// addresses of the layout, each role from the same image lookup, user data and instance role.
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "../sdk/aws";
import { type Role, roles } from "../spec/hosts";
import { fixedHosts, type HostPlan, hostCount, type NetworkLayout } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import { roundRobinFrontHosts } from "./addresses";
import { EncryptionKey } from "./encryption-key";
import { type DataSnapshot, FixedHost } from "./fixed-host";
import type { InstanceRole } from "./instance-roles";
import { UbuntuImages } from "./machine-images";
import { architectureOf, instanceTypeFor } from "./machine-types";
import { ScaledGroup } from "./scaled-group";

/** Roles whose hosts keep state: protected, data volume included. */
const protectedRoles: ReadonlySet<Role> = new Set<Role>(["mysql", "util"]);

export interface FleetArgs {
  /** The region: counts, sizes, disks of every role, and the front mode. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  /** The address plan (fixed hosts' addresses and zones). */
  layout: NetworkLayout;
  /** Per zone index: the zone name and its subnets. */
  zoneNames: pulumi.Input<string>[];
  privateSubnetIds: pulumi.Input<string>[];
  publicSubnetIds: pulumi.Input<string>[];
  /** The security groups each role's hosts carry. */
  securityGroupIds: (role: Role) => pulumi.Input<string>[];
  /** The instance role of each role that has hosts. */
  instanceRole: (role: Role) => InstanceRole;
  /** The host layer's cloud-init document per role; every role with hosts needs one. */
  userData: Partial<Record<Role, pulumi.Input<string>>>;
  /** Target groups of the load balancer that the nginx group registers with. */
  nginxTargetGroupArns?: pulumi.Input<string>[];
  /** What must exist before any host boots (routes out, address reservations). */
  bootDependencies?: pulumi.Resource[];
  /** The secret values a role's hosts read at boot: its hosts start only once they are stored. */
  secretValues?: (role: Role) => pulumi.Resource[];
  /** Extra tags on the fixed hosts of a role (the off-site bucket of util and mysql hosts). */
  roleTags?: Partial<Record<Role, Record<string, pulumi.Input<string>>>>;
  /** Disaster recovery: EBS snapshots that MySQL data volumes are created from, by host name. */
  dataSnapshots?: Partial<Record<string, DataSnapshot>>;
}

export class Fleet extends pulumi.ComponentResource {
  /** Auto-scaling group names of the stateless roles. */
  public readonly groupNames: Partial<Record<Role, pulumi.Output<string>>>;
  /** Every fixed host, by host name. */
  public readonly fixedHosts: Record<string, FixedHost>;
  /** The plan of the fixed hosts (names, roles, addresses), including round-robin nginx hosts. */
  public readonly hostPlans: HostPlan[];
  /** The nginx hosts of a DNS round-robin front (empty with a load balancer). */
  public readonly frontHosts: { plan: HostPlan; host: FixedHost }[];
  public readonly volumeKeyArn: pulumi.Output<string>;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Fleet", name, {}, opts);
    const { spec, layout } = args;
    const images = new UbuntuImages(args.provider, this);
    // Every role with hosts needs its cloud-init document; checked before anything is created.
    const missing = roles.filter(
      (role) => hostCount(spec, role) > 0 && args.userData[role] === undefined,
    );
    if (missing.length > 0) {
      throw new Error(`no user data for the ${missing.join(", ")} hosts of region ${spec.name}`);
    }
    const userDataOf = (role: Role): pulumi.Input<string> => args.userData[role] ?? "";
    const at = <T>(list: readonly T[], index: number, what: string): T => {
      const item = list[index];
      if (item === undefined) throw new Error(`no ${what} for zone ${layout.zones[index]}`);
      return item;
    };

    // The fixed hosts' volumes hold the region's own data (MySQL, Consul's Raft log): their key
    // is protected like the volumes.
    const volumeKey = new EncryptionKey(
      `${name}-volumes-key`,
      {
        spec,
        provider: args.provider,
        purpose: "host-volumes",
        description: `Volumes of the fixed hosts of region ${spec.name}`,
        protect: true,
      },
      { parent: this },
    );
    this.volumeKeyArn = volumeKey.keyArn;

    const roundRobin = roundRobinFrontHosts(spec, layout);
    const groupNames: Partial<Record<Role, pulumi.Output<string>>> = {};
    for (const role of ["nginx", "app"] as const) {
      const host = spec.hosts[role];
      if (host.count === 0 || (role === "nginx" && roundRobin.length > 0)) continue;
      const instanceType = instanceTypeFor(role, host);
      const group = new ScaledGroup(
        `${name}-${role}`,
        {
          spec,
          provider: args.provider,
          role,
          count: host.count,
          instanceType,
          image: images.for(architectureOf(instanceType)),
          userData: userDataOf(role),
          securityGroupIds: args.securityGroupIds(role),
          instanceProfileArn: args.instanceRole(role).profileArn,
          subnetIds: args.privateSubnetIds,
          diskGb: host.diskGb,
          dependsOn: [
            ...(args.bootDependencies ?? []),
            ...(args.secretValues?.(role) ?? []),
            ...args.instanceRole(role).grants,
          ],
          ...(role === "nginx" && args.nginxTargetGroupArns
            ? { targetGroupArns: args.nginxTargetGroupArns }
            : {}),
        },
        { parent: this },
      );
      groupNames[role] = group.groupName;
    }
    this.groupNames = groupNames;

    const fixed: Record<string, FixedHost> = {};
    const frontHosts: { plan: HostPlan; host: FixedHost }[] = [];
    const plans = [...roundRobin, ...fixedHosts(spec, layout)];
    for (const plan of plans) {
      const role = plan.role;
      const hostSpec = spec.hosts[role];
      const instanceType = instanceTypeFor(role, hostSpec);
      const inPublic = roundRobin.includes(plan);
      const host = new FixedHost(
        `${name}-${plan.name}`,
        {
          spec,
          provider: args.provider,
          host: plan,
          instanceType,
          image: images.for(architectureOf(instanceType)),
          userData: userDataOf(role),
          securityGroupIds: args.securityGroupIds(role),
          instanceProfileName: args.instanceRole(role).profileName,
          subnetId: at(
            inPublic ? args.publicSubnetIds : args.privateSubnetIds,
            plan.zoneIndex,
            "subnet",
          ),
          availabilityZone: at(args.zoneNames, plan.zoneIndex, "zone name"),
          diskGb: hostSpec.diskGb,
          volumeKeyArn: volumeKey.keyArn,
          ...(role === "mysql" ? { dataDiskGb: spec.hosts.mysql.dataDiskGb } : {}),
          ...(role === "mysql" && args.dataSnapshots?.[plan.name]
            ? { dataSnapshot: args.dataSnapshots[plan.name] }
            : {}),
          ...(args.roleTags?.[role] ? { extraTags: args.roleTags[role] } : {}),
          protect: protectedRoles.has(role),
          publicAddress: inPublic,
          dependsOn: [
            ...(args.bootDependencies ?? []),
            ...(args.secretValues?.(role) ?? []),
            ...args.instanceRole(role).grants,
          ],
        },
        { parent: this },
      );
      fixed[plan.name] = host;
      if (inPublic) frontHosts.push({ plan, host });
    }
    this.fixedHosts = fixed;
    this.hostPlans = plans;
    this.frontHosts = frontHosts;
    this.registerOutputs({ groupNames: this.groupNames });
  }
}
