import type {
  PacketFilterAction,
  PacketFilterExpressionInputs,
  PacketFilterProtocol,
} from "@multicloud/sakura-cloud";
import * as pulumi from "@pulumi/pulumi";
import { packagedProvider } from "./packaged";
import { defaultZone } from "./zone";

/** One rule of a packet filter. A field left out matches anything. */
export interface SakuraPacketFilterExpressionArgs {
  /** `tcp`, `udp`, `icmp`, `fragment` (non-first fragments, which carry no ports) or `ip` (all). */
  protocol: pulumi.Input<PacketFilterProtocol>;
  /** Source address or network, e.g. `198.51.100.0/24`; leave out for any source. */
  sourceNetwork?: pulumi.Input<string>;
  /** Source port or range, e.g. `53` or `"1024-65535"` (tcp/udp only). */
  sourcePort?: pulumi.Input<string | number>;
  /** Destination port or range, e.g. `22` or `"32768-61000"` (tcp/udp only). */
  destinationPort?: pulumi.Input<string | number>;
  /** What to do with a matching packet. */
  action: pulumi.Input<PacketFilterAction>;
  /** Shown next to the rule in the control panel. */
  description?: pulumi.Input<string>;
}

export interface SakuraPacketFilterArgs {
  /** Zone such as `tk1a`; defaults to `sakuracloud:zone` / `SAKURACLOUD_ZONE`. Replaces. */
  zone?: pulumi.Input<string>;
  /** Name shown in the control panel; defaults to the Pulumi resource name. In place. */
  name?: pulumi.Input<string>;
  /** Free text. In place. */
  description?: pulumi.Input<string>;
  /**
   * Rules for packets arriving on the NICs the filter is applied to, first match wins; a packet
   * no rule matches passes, so end with a deny of `ip`. The filter is stateless: replies to the
   * server's own connections need rules too. In place, applied at once to every attached NIC.
   */
  expressions: pulumi.Input<pulumi.Input<SakuraPacketFilterExpressionArgs>[]>;
}

const provider = packagedProvider("PacketFilter");

/**
 * A Sakura Cloud packet filter. Apply it to a server's NIC with `SakuraServer`'s
 * `packetFilterIds`.
 */
export class SakuraPacketFilter extends pulumi.dynamic.Resource {
  declare readonly zone: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly expressions: pulumi.Output<PacketFilterExpressionInputs[]>;
  declare readonly expressionHash: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string | null>;

  constructor(name: string, args: SakuraPacketFilterArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output needs a key here, or Pulumi creates no property for it.
    const props = {
      zone: defaultZone(args.zone),
      name: args.name ?? name,
      description: args.description,
      expressions: args.expressions,
      expressionHash: undefined,
      createdAt: undefined,
    };
    super(provider, name, props, opts, "sakuracloud", "PacketFilter");
  }
}
