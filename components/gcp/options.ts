// What every component of the GCP site takes besides its own settings, and the options its
// children get from it.
import type * as pulumi from "@pulumi/pulumi";
import type * as gcp from "../sdk/gcp";
import { dependsOnAll, type Waits } from "../sdk/waits";

export interface GcpComponentArgs {
  /** The site's provider. Every child names it: the program disables default providers. */
  readonly provider: gcp.Provider;
  /** What every child waits for, such as the APIs this run enables in the project. */
  readonly dependsOn?: Waits;
}

/** Options for a custom resource of a GCP component: its parent, the provider, what it waits for. */
export function childOptions(
  parent: pulumi.Resource,
  args: GcpComponentArgs,
  extra: Omit<pulumi.CustomResourceOptions, "parent" | "provider" | "dependsOn"> = {},
): pulumi.CustomResourceOptions {
  return {
    ...extra,
    parent,
    provider: args.provider,
    dependsOn: dependsOnAll(args.dependsOn),
  };
}
