import * as pulumi from "@pulumi/pulumi";
import { packagedProvider } from "./packaged";
import { defaultZone } from "./zone";

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
  /** Size in GiB, one Sakura offers (20, 40, 60, 80, 100, 250, 500, 750, 1024, 2048, 4096); default 20. Replaces. */
  sizeGb?: pulumi.Input<number>;
  /** Copy this archive. Replaces. Give this or `sourceArchiveTags`, or neither for a blank disk. */
  sourceArchiveId?: pulumi.Input<string>;
  /**
   * Copy the newest available public archive that has all these tags, e.g.
   * `["ubuntu-24.04-latest"]` (Sakura's moving tag for the newest 24.04), or for the cloud-init
   * image `["cloud-init", "distro-ubuntu", "distro-ver-24.04*"]` (a trailing `*` matches by
   * prefix, here any 24.04 point release). `check` asks the API and fails when no archive
   * matches. Resolved once at create (output `archiveId`); a newer archive later does not
   * replace the disk, a change of the tags does.
   */
  sourceArchiveTags?: pulumi.Input<pulumi.Input<string>[]>;
}

const provider = packagedProvider("Disk");

/** A Sakura Cloud disk, copied from an archive (its disk edit is the server's `diskEdit`). */
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
      archiveId: undefined,
      availability: undefined,
      serverId: undefined,
      createdAt: undefined,
    };
    super(provider, name, props, opts, "sakuracloud", "Disk");
  }
}
