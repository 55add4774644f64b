// Where operations run: the networks of the people and runners that run `pulumi`. It is the one
// key every allow-list of the region is fed from (SSH on Sakura hosts, every GKE control plane),
// so the network that deploys is admitted everywhere it must reach.
import { z } from "zod";
import { cidr, strict } from "./primitives";

export const operationsSchema = strict({
  /** CIDR blocks of the runners and operators that run `pulumi`. */
  cidrs: z
    .array(cidr, { error: "expected a list of CIDR blocks" })
    .min(1, { error: "expected at least one network (where pulumi runs)" }),
});
export type OperationsSpec = z.output<typeof operationsSchema>;

/** A control-plane allow-list entry: GKE's authorized networks carry a display name. */
export interface NamedNetwork {
  readonly name: string;
  readonly cidr: string;
}

/** The operations networks as GKE authorized networks: operations-1, operations-2... */
export function operationsNetworks(operations: OperationsSpec | undefined): NamedNetwork[] {
  return (operations?.cidrs ?? []).map((block, index) => ({
    name: `operations-${index + 1}`,
    cidr: block,
  }));
}
