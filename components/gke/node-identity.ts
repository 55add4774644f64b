// The nodes' own service account: only what nodes need (write logs and metrics, read their
// images), never the project's default Compute Engine account with Editor.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";

/**
 * Project roles of the node service account: GKE's documented minimum, one predefined role made
 * for it (https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts:
 * node service accounts "must have" roles/container.defaultNodeServiceAccount). It replaces the
 * four roles once advised (logWriter, metricWriter, monitoring.viewer and
 * stackdriver.resourceMetadata.writer) with narrower reads, and it is one project IAM write
 * instead of four (the provider makes them one at a time).
 */
export const NODE_ROLES = ["roles/container.defaultNodeServiceAccount"] as const;

export interface NodeIdentityArgs {
  readonly project: string;
  /** The account id (6-30 characters). */
  readonly accountId: string;
  readonly provider: gcp.Provider;
}

export class NodeIdentity extends pulumi.ComponentResource {
  /** The account's e-mail, known before it exists (consumers also depend on `resources`). */
  public readonly email: string;
  /** `serviceAccount:<email>`, for IAM bindings. */
  public readonly member: string;
  /** The account and its role bindings: node pools wait for them. */
  public readonly resources: pulumi.Resource[];

  constructor(name: string, args: NodeIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:NodeIdentity", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    this.email = `${args.accountId}@${args.project}.iam.gserviceaccount.com`;
    this.member = `serviceAccount:${this.email}`;
    const account = new gcp.serviceaccount.Account(
      name,
      {
        project: args.project,
        accountId: args.accountId,
        displayName: "GKE nodes (least privilege)",
        description: "Runs the cluster's nodes: writes logs and metrics, reads the region's images",
      },
      child,
    );
    this.resources = [account];
    for (const role of NODE_ROLES) {
      const short = role.replace(/^roles\//, "").replace(/\./g, "-");
      this.resources.push(
        new gcp.projects.IAMMember(
          `${name}-${short}`,
          { project: args.project, role, member: this.member },
          { ...child, dependsOn: [account] },
        ),
      );
    }
    this.registerOutputs({ email: this.email });
  }
}
