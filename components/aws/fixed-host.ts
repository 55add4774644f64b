// A host with a name and address of its own (mysql, memcached, util = Consul servers, chocon, and
// nginx behind a DNS round-robin front). Its replacement is never silent: a new image or new user
// data does not replace it (both are ignored after creation), the API refuses to terminate it, and
// the hosts that keep state are protected, data volume included.
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_POINT_KEY } from "../host/mysql-snapshot-point";
import * as aws from "../sdk/aws";
import type { HostPlan } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import { dataVolumeDevice, hostTags, metadataOptions } from "./host-defaults";
import type { MachineImage } from "./machine-images";
import { ec2UserData } from "./user-data";

/** An EBS snapshot a data volume is created from, and the recovery point its host is told. */
export interface DataSnapshot {
  /** The snapshot's id (snap-...), as the volume takes it. */
  readonly id: string;
  /** ebsSnapshotRecoveryPoint(its start time, its id): the instance tag the host reads. */
  readonly recoveryPoint: pulumi.Input<string>;
}

export interface FixedHostArgs {
  spec: AwsRegionSpec;
  provider: aws.Provider;
  /** The host's name, role and address (layout.ts). */
  host: HostPlan;
  instanceType: string;
  image: MachineImage;
  /** The role's cloud-init document (plain text; sent gzip-compressed, see user-data.ts). */
  userData: pulumi.Input<string>;
  securityGroupIds: pulumi.Input<string>[];
  instanceProfileName: pulumi.Input<string>;
  /** The subnet of the host's zone that holds its address. */
  subnetId: pulumi.Input<string>;
  /** The zone of that subnet (for the data volume). */
  availabilityZone: pulumi.Input<string>;
  /** Root volume, GiB. */
  diskGb: number;
  /** The key that encrypts the host's volumes. */
  volumeKeyArn: pulumi.Input<string>;
  /** A separate data volume (MySQL's datadir), kept when the instance is replaced. */
  dataDiskGb?: number;
  /** Disaster recovery: the EBS snapshot the data volume is created from (ignored afterwards). */
  dataSnapshot?: DataSnapshot;
  /** Tags beyond the host's own, e.g. the off-site bucket it ships backups to (read through IMDS). */
  extraTags?: Record<string, pulumi.Input<string>>;
  /** Protect the instance and its data volume from `pulumi destroy` and replacement. */
  protect: boolean;
  /**
   * A host in a public subnet (round-robin nginx): it boots with a public address so that it
   * reaches package mirrors before its Elastic IP is attached, which then replaces that address.
   */
  publicAddress?: boolean;
  /** What must exist before the host boots. */
  dependsOn?: pulumi.Resource[];
}

export class FixedHost extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly privateIp: string;
  public readonly dataVolumeId?: pulumi.Output<string>;

  constructor(name: string, args: FixedHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:FixedHost", name, {}, opts);
    const { spec, host } = args;
    const children = { parent: this, provider: args.provider };
    const tags = hostTags(spec, host.role, host.name);
    const restoreFrom = args.dataDiskGb !== undefined ? args.dataSnapshot : undefined;
    const instanceTags = {
      ...tags,
      ...args.extraTags,
      ...(restoreFrom ? { [SNAPSHOT_POINT_KEY]: restoreFrom.recoveryPoint } : {}),
    };

    const instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: args.image.id,
        instanceType: args.instanceType,
        subnetId: args.subnetId,
        privateIp: host.address,
        associatePublicIpAddress: args.publicAddress ?? false,
        vpcSecurityGroupIds: args.securityGroupIds,
        iamInstanceProfile: args.instanceProfileName,
        userDataBase64: pulumi.output(args.userData).apply(ec2UserData),
        userDataReplaceOnChange: false,
        metadataOptions,
        monitoring: true,
        disableApiTermination: true,
        maintenanceOptions: { autoRecovery: "default" },
        rootBlockDevice: {
          volumeSize: args.diskGb,
          volumeType: "gp3",
          encrypted: true,
          kmsKeyId: args.volumeKeyArn,
          deleteOnTermination: true,
          tags,
        },
        tags: instanceTags,
      },
      {
        ...children,
        protect: args.protect,
        // The recovery point is the volume's, fixed when both were created: another snapshot
        // named later changes neither.
        ignoreChanges: [
          "ami",
          "userDataBase64",
          ...(restoreFrom ? [`tags["${SNAPSHOT_POINT_KEY}"]`] : []),
        ],
        dependsOn: args.dependsOn ?? [],
      },
    );
    this.instanceId = instance.id;
    this.privateIp = host.address;

    if (args.dataDiskGb !== undefined) {
      const volume = new aws.ebs.Volume(
        `${name}-data`,
        {
          availabilityZone: args.availabilityZone,
          size: args.dataDiskGb,
          type: "gp3",
          encrypted: true,
          kmsKeyId: args.volumeKeyArn,
          ...(restoreFrom ? { snapshotId: restoreFrom.id } : {}),
          // Deleting the volume leaves a snapshot behind.
          finalSnapshot: true,
          tags: { ...tags, Name: `${host.name}-data` },
        },
        // The snapshot matters only when the volume is created: dropping it later replaces nothing.
        { ...children, protect: args.protect, ignoreChanges: ["snapshotId"] },
      );
      new aws.ec2.VolumeAttachment(
        `${name}-data-attachment`,
        {
          instanceId: instance.id,
          volumeId: volume.id,
          deviceName: dataVolumeDevice,
          // Detach only from a stopped instance, so MySQL never loses its disk while writing.
          stopInstanceBeforeDetaching: true,
        },
        children,
      );
      this.dataVolumeId = volume.id;
    }
    this.registerOutputs({ instanceId: this.instanceId, privateIp: this.privateIp });
  }
}
