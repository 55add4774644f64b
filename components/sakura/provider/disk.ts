import * as pulumi from "@pulumi/pulumi";
import { SakuraDiskProvider } from "./disk-provider";
import { defaultZone } from "./zone";

/** Disk edit: settings the API writes into the copied OS image before the first boot. */
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

export interface SakuraDiskArgs {
  /** Zone such as `tk1a`; defaults to `sakuracloud:zone` / `SAKURACLOUD_ZONE`. Replaces. */
  zone?: pulumi.Input<string>;
  /** Name shown in the control panel; defaults to the Pulumi resource name. In place. */
  name?: pulumi.Input<string>;
  /** Free text. In place. */
  description?: pulumi.Input<string>;
  /** Tags. In place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** `ssd` (default) or `hdd`. Replaces. */
  plan?: pulumi.Input<"ssd" | "hdd">;
  /** Size in GiB; default 20. Replaces. */
  sizeGb?: pulumi.Input<number>;
  /** Copy this archive. Replaces. Give this or `sourceArchiveTags`, or neither for a blank disk. */
  sourceArchiveId?: pulumi.Input<string>;
  /**
   * Copy the newest available public archive that has all these tags, e.g.
   * `["ubuntu-24.04-latest"]`. Resolved once at create (output `archiveId`); a newer archive
   * later does not replace the disk, a change of the tags does.
   */
  sourceArchiveTags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Disk edit applied after the copy; any change replaces the disk. */
  edit?: pulumi.Input<SakuraDiskEditArgs>;
}

const provider = new SakuraDiskProvider();

/** A Sakura Cloud disk, copied from an archive and prepared by disk edit. */
export class SakuraDisk extends pulumi.dynamic.Resource {
  declare readonly zone: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly plan: pulumi.Output<"ssd" | "hdd">;
  declare readonly sizeGb: pulumi.Output<number>;
  declare readonly archiveId: pulumi.Output<string | null>;
  declare readonly availability: pulumi.Output<string>;
  declare readonly serverId: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string | null>;

  constructor(name: string, args: SakuraDiskArgs = {}, opts?: pulumi.CustomResourceOptions) {
    // Every output needs a key here, or Pulumi creates no property for it.
    const props = {
      zone: defaultZone(args.zone),
      name: args.name ?? name,
      description: args.description,
      tags: args.tags,
      plan: args.plan,
      sizeGb: args.sizeGb,
      sourceArchiveId: args.sourceArchiveId,
      sourceArchiveTags: args.sourceArchiveTags,
      edit: args.edit,
      archiveId: undefined,
      availability: undefined,
      serverId: undefined,
      createdAt: undefined,
    };
    super(provider, name, props, opts, "sakuracloud", "Disk");
  }
}
