import * as pulumi from "@pulumi/pulumi";
import { packagedProvider } from "./packaged";
import { defaultZone } from "./zone";

/**
 * Disk edit: settings the API writes into the OS of the server's first disk once it is
 * connected, before the first boot. For archives without cloud-init; not with cloud-init data.
 */
export interface SakuraDiskEditArgs {
  /** Host name of the OS. */
  hostName?: pulumi.Input<string>;
  /** SSH public keys (OpenSSH one-line format) installed for the default user. */
  sshPublicKeys?: pulumi.Input<pulumi.Input<string>[]>;
  /** Turn off SSH password login; default true. */
  disablePasswordAuth?: pulumi.Input<boolean>;
  /** IPv4 address of the first NIC, when that NIC is on a switch (not the shared segment). */
  ipAddress?: pulumi.Input<string>;
  /** Prefix length for `ipAddress` (8 to 30); required with it. */
  networkMaskLen?: pulumi.Input<number>;
  /** Default gateway for `ipAddress`; leave out on a private-only segment. */
  defaultRoute?: pulumi.Input<string>;
  /** Startup scripts (Sakura "notes") by ID, run at first boot, with optional variables. */
  startupScripts?: pulumi.Input<
    pulumi.Input<{
      noteId: pulumi.Input<string>;
      variables?: pulumi.Input<Record<string, string>>;
    }>[]
  >;
  /** Give the root partition a new UUID (needed when cloning a disk of a running system). */
  changePartitionUuid?: pulumi.Input<boolean>;
}

export interface SakuraServerArgs {
  /** Zone such as `tk1a`; defaults to `sakuracloud:zone` / `SAKURACLOUD_ZONE`. Replaces. */
  zone?: pulumi.Input<string>;
  /** Name shown in the control panel; defaults to the Pulumi resource name. In place. */
  name?: pulumi.Input<string>;
  /** Free text. In place. */
  description?: pulumi.Input<string>;
  /** Tags. In place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** CPU cores. Replaces (a plan change gives the server a new ID on Sakura). */
  cpu: pulumi.Input<number>;
  /** Memory in GiB. Replaces, like `cpu`. */
  memoryGb: pulumi.Input<number>;
  /** `standard` (default) or `dedicatedcpu`. Replaces, like `cpu`. */
  commitment?: pulumi.Input<"standard" | "dedicatedcpu">;
  /**
   * NICs in order: `"shared"` for the shared segment (first NIC only) or a switch ID,
   * e.g. `["shared", privateSwitch.id]`. Replaces.
   */
  interfaces?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Packet filter per NIC, in the order of `interfaces`: a `SakuraPacketFilter` ID, or null
   * (or a shorter list) for none, e.g. `[frontFilter.id, null]` to filter the shared segment
   * only. Attached before the first power-on, so the server never runs unfiltered; detached
   * after power-off at delete. In place.
   */
  packetFilterIds?: pulumi.Input<pulumi.Input<string | null>[]>;
  /** Disks to connect in order, e.g. `[bootDisk.id]`; the first one boots. Replaces. */
  diskIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Desired power state; default true (booted after create). In place. */
  powerOn?: pulumi.Input<boolean>;
  /**
   * Disk edit of the first disk in `diskIds`, applied after it is connected and before the first
   * boot (in the background, waited for). Not together with `cloudInitUserData`. Replaces.
   */
  diskEdit?: pulumi.Input<SakuraDiskEditArgs>;
  /**
   * cloud-init user data, sent with the first power-on. Sakura applies it only on its cloud-init
   * ("cloudimg") archives, whose tags include `cloud-init`: the boot disk's archive is checked.
   * Not together with `diskEdit`. Pass a secret Output if it holds secrets. Replaces.
   */
  cloudInitUserData?: pulumi.Input<string>;
  /**
   * Delete the connected disks (those in `diskIds`) together with the server; default false.
   * Meant for teardown: a replacement that keeps disks is refused while this is true.
   */
  deleteDisksOnDelete?: pulumi.Input<boolean>;
}

const provider = packagedProvider("Server");

/** A Sakura Cloud server: powered on after create, powered off before delete. */
export class SakuraServer extends pulumi.dynamic.Resource {
  declare readonly zone: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly cpu: pulumi.Output<number>;
  declare readonly memoryGb: pulumi.Output<number>;
  declare readonly commitment: pulumi.Output<"standard" | "dedicatedcpu">;
  declare readonly interfaces: pulumi.Output<string[]>;
  declare readonly packetFilterIds: pulumi.Output<(string | null)[]>;
  declare readonly diskIds: pulumi.Output<string[]>;
  declare readonly powerOn: pulumi.Output<boolean>;
  declare readonly deleteDisksOnDelete: pulumi.Output<boolean>;
  declare readonly instanceStatus: pulumi.Output<string>;
  declare readonly ipAddress: pulumi.Output<string | null>;
  declare readonly macAddresses: pulumi.Output<string[]>;
  declare readonly createdAt: pulumi.Output<string | null>;

  constructor(name: string, args: SakuraServerArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output needs a key here, or Pulumi creates no property for it.
    const props = {
      zone: defaultZone(args.zone),
      name: args.name ?? name,
      description: args.description,
      tags: args.tags,
      cpu: args.cpu,
      memoryGb: args.memoryGb,
      commitment: args.commitment,
      interfaces: args.interfaces,
      packetFilterIds: args.packetFilterIds,
      diskIds: args.diskIds,
      powerOn: args.powerOn,
      diskEdit: args.diskEdit,
      cloudInitUserData: args.cloudInitUserData,
      deleteDisksOnDelete: args.deleteDisksOnDelete,
      instanceStatus: undefined,
      ipAddress: undefined,
      macAddresses: undefined,
      createdAt: undefined,
    };
    super(provider, name, props, opts, "sakuracloud", "Server");
  }
}
