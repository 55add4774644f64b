// Binary Authorization for the project: the cluster runs only images from the region's
// registry (and Google's own system images). An image pushed anywhere else is refused at
// admission, and the refusal is logged.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";

export interface ImagePolicyArgs {
  readonly project: string;
  /** Registry paths whose images may run, e.g. `asia-northeast1-docker.pkg.dev/p/services`. */
  readonly allowedRepositories: string[];
  readonly provider: gcp.Provider;
}

/**
 * The repositories a region's cluster admits: its own registry, and this project's registries of
 * the same repository in other regions that the spec's images come from (a rebuild's cluster runs
 * the images its lost region pushed). Nothing outside the project is admitted this way.
 */
export function admittedRepositories(own: string, images: readonly string[]): string[] {
  const [, project, repository] = /^[a-z0-9-]+-docker\.pkg\.dev\/([^/]+)\/([^/]+)$/.exec(own) ?? [];
  const sameProject = new RegExp(`^([a-z0-9-]+-docker\\.pkg\\.dev/${project}/${repository})/`);
  const others = images
    .map((image) => sameProject.exec(image)?.[1])
    .filter((repo): repo is string => repo !== undefined && repo !== own);
  return [own, ...new Set(others)];
}

/** Image references outside every allowed repository (they would be refused). */
export function imagesOutside(
  images: readonly string[],
  repositories: readonly string[],
): string[] {
  return images.filter((image) => !repositories.some((repo) => image.startsWith(`${repo}/`)));
}

export class ImagePolicy extends pulumi.ComponentResource {
  constructor(name: string, args: ImagePolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:ImagePolicy", name, {}, opts);
    new gcp.binaryauthorization.Policy(
      name,
      {
        project: args.project,
        description: "Only images from the region's registry run",
        globalPolicyEvaluationMode: "ENABLE",
        admissionWhitelistPatterns: args.allowedRepositories.map((repo) => ({
          namePattern: `${repo}/**`,
        })),
        defaultAdmissionRule: {
          evaluationMode: "ALWAYS_DENY",
          enforcementMode: "ENFORCED_BLOCK_AND_AUDIT_LOG",
        },
      },
      // One policy per project: a region and its rebuild in one project both write it, and
      // neither's deletion may reset it under the other's cluster.
      { parent: this, provider: args.provider, retainOnDelete: true },
    );
    this.registerOutputs({});
  }
}
