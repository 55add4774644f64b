// A stateless role (nginx, app): a launch template and an auto-scaling group across the private
// subnets of every zone, replaced by a rolling instance refresh whenever the template changes.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";
import { hostTags, metadataOptions } from "./host-defaults";
import type { MachineImage } from "./machine-images";
import { ec2UserData } from "./user-data";

export interface ScaledGroupArgs {
  spec: AwsRegionSpec;
  provider: aws.Provider;
  role: Role;
  /** Hosts the group keeps running. */
  count: number;
  instanceType: string;
  image: MachineImage;
  /** The role's cloud-init document (plain text; sent gzip-compressed, see user-data.ts). */
  userData: pulumi.Input<string>;
  securityGroupIds: pulumi.Input<string>[];
  instanceProfileArn: pulumi.Input<string>;
  /** Subnets to spread over, one per zone. */
  subnetIds: pulumi.Input<string>[];
  /** Root volume, GiB. */
  diskGb: number;
  /** Target groups to register with; when set, the group also trusts their health checks. */
  targetGroupArns?: pulumi.Input<string>[];
  /** What must exist before the group launches hosts. */
  dependsOn?: pulumi.Resource[];
}

/** Group metrics published to CloudWatch (free at one-minute granularity). */
const groupMetrics = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
] as const;

export class ScaledGroup extends pulumi.ComponentResource {
  public readonly groupName: pulumi.Output<string>;
  public readonly launchTemplateId: pulumi.Output<string>;

  constructor(name: string, args: ScaledGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:ScaledGroup", name, {}, opts);
    const { spec, role } = args;
    const children = { parent: this, provider: args.provider };
    const tags = hostTags(spec, role, `${spec.name}-${role}`);

    const template = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: `${role} hosts of region ${spec.name}`,
        imageId: args.image.id,
        instanceType: args.instanceType,
        userData: pulumi.output(args.userData).apply(ec2UserData),
        iamInstanceProfile: { arn: args.instanceProfileArn },
        vpcSecurityGroupIds: args.securityGroupIds,
        metadataOptions,
        monitoring: { enabled: true },
        blockDeviceMappings: [
          {
            deviceName: args.image.rootDeviceName,
            // The account's default EBS key (aws/ebs): auto-scaling launches need no key grant.
            ebs: {
              volumeSize: args.diskGb,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags,
        })),
        updateDefaultVersion: true,
        tags: { Name: `${spec.name}-${role}` },
      },
      children,
    );

    const loadBalanced = (args.targetGroupArns?.length ?? 0) > 0;
    const group = new aws.autoscaling.Group(
      `${name}-asg`,
      {
        vpcZoneIdentifiers: args.subnetIds,
        desiredCapacity: args.count,
        minSize: args.count,
        maxSize: Math.max(args.count * 2, args.count + 1),
        // The version number, not "$Latest": a new version is a change the refresh acts on.
        launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
        ...(loadBalanced ? { targetGroupArns: args.targetGroupArns } : {}),
        healthCheckType: loadBalanced ? "ELB" : "EC2",
        healthCheckGracePeriod: 300,
        defaultInstanceWarmup: 300,
        instanceRefresh: {
          strategy: "Rolling",
          preferences: {
            minHealthyPercentage: 90,
            // Above 100: new hosts come up before old ones leave.
            maxHealthyPercentage: 110,
            instanceWarmup: "300",
            skipMatching: true,
            autoRollback: true,
          },
        },
        enabledMetrics: [...groupMetrics],
        tags: Object.entries(tags).map(([key, value]) => ({
          key,
          value,
          // The launch template tags instances and volumes; these tag the group itself.
          propagateAtLaunch: false,
        })),
      },
      { ...children, dependsOn: args.dependsOn ?? [] },
    );

    this.groupName = group.name;
    this.launchTemplateId = template.id;
    this.registerOutputs({ groupName: this.groupName, launchTemplateId: this.launchTemplateId });
  }
}
