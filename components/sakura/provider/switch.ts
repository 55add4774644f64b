import * as pulumi from "@pulumi/pulumi";
import { packagedProvider } from "./packaged";
import { defaultZone } from "./zone";

export interface SakuraSwitchArgs {
  /** Zone such as `tk1a` or `is1b`; defaults to `sakuracloud:zone` / `SAKURACLOUD_ZONE`. Replaces. */
  zone?: pulumi.Input<string>;
  /** Name shown in the control panel; defaults to the Pulumi resource name. In place. */
  name?: pulumi.Input<string>;
  /** Free text. In place. */
  description?: pulumi.Input<string>;
  /** Tags. In place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
}

// One provider object for all switches: Pulumi serializes it once and caches the text.
const provider = packagedProvider("Switch");

/** A Sakura Cloud switch: a private segment that servers join with a NIC. */
export class SakuraSwitch extends pulumi.dynamic.Resource {
  declare readonly zone: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly createdAt: pulumi.Output<string | null>;
  declare readonly serverCount: pulumi.Output<number>;

  constructor(name: string, args: SakuraSwitchArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const props = {
      zone: defaultZone(args.zone),
      name: args.name ?? name,
      description: args.description,
      tags: args.tags,
      createdAt: undefined,
      serverCount: undefined,
    };
    super(provider, name, props, opts, "sakuracloud", "Switch");
  }
}
