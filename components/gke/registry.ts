// The region's container registry: one Docker repository in the cluster's region, readable by the
// nodes, with immutable tags (a tag always means the same image, so rollbacks and rebuilds are
// exact) and cleanup of untagged images nobody can name any more.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";

export interface ImageRegistryArgs {
  readonly project: string;
  /** The cluster's region: images are pulled from the same region. */
  readonly location: string;
  /** The repository id, the path segment after the project in image names. */
  readonly repositoryId: string;
  /** Members (e.g. the node service account) that pull images. */
  readonly readers: string[];
  /** Resources the readers come from: their bindings wait for them. */
  readonly readerResources?: pulumi.Resource[];
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
}

/** Untagged images older than this are deleted, unless among the newest kept per image. */
const UNTAGGED_MAX_AGE_SECONDS = 30 * 24 * 3600;
const KEEP_NEWEST = 20;

/** The host and path images of a repository start with. */
export function repositoryUrl(project: string, location: string, repositoryId: string): string {
  return `${location}-docker.pkg.dev/${project}/${repositoryId}`;
}

export class ImageRegistry extends pulumi.ComponentResource {
  /** `<region>-docker.pkg.dev/<project>/<repository>`. */
  public readonly url: string;
  /** The repository and its readers' grants: pushes and pulls wait for them. */
  public readonly resources: pulumi.Resource[];

  constructor(name: string, args: ImageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:ImageRegistry", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    this.url = repositoryUrl(args.project, args.location, args.repositoryId);
    const repository = new gcp.artifactregistry.Repository(
      name,
      {
        project: args.project,
        location: args.location,
        repositoryId: args.repositoryId,
        format: "DOCKER",
        description: "Images of the region's services",
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
        cleanupPolicyDryRun: false,
        cleanupPolicies: [
          {
            id: "delete-old-untagged",
            action: "DELETE",
            condition: { tagState: "UNTAGGED", olderThan: `${UNTAGGED_MAX_AGE_SECONDS}s` },
          },
          {
            // Deployments pinned by digest may use an untagged image: the newest always stay.
            id: "keep-newest",
            action: "KEEP",
            mostRecentVersions: { keepCount: KEEP_NEWEST },
          },
        ],
        labels: args.labels,
      },
      { ...child, protect: true },
    );
    const grants = args.readers.map(
      (member, index) =>
        new gcp.artifactregistry.RepositoryIamMember(
          `${name}-reader-${index + 1}`,
          {
            project: args.project,
            location: args.location,
            repository: repository.repositoryId,
            role: "roles/artifactregistry.reader",
            member,
          },
          { ...child, dependsOn: args.readerResources ?? [] },
        ),
    );
    this.resources = [repository, ...grants];
    this.registerOutputs({ url: this.url });
  }
}
