// The region's artifact store on GCP: a private Cloud Storage bucket in the site's region holding
// the chocon binary of the deploy, uploaded by the program from the artifacts workflow's bundle
// under a content-addressed name. Readers may view the chocon objects and nothing else. Hosts learn
// the bucket's name only once the object and their grant exist.
import * as pulumi from "@pulumi/pulumi";
import { childOptions, type GcpComponentArgs } from "../gcp/options";
import { CHOCON_OBJECT_PREFIX, choconObjectKey } from "../host/chocon-build";
import * as gcp from "../sdk/gcp";
import { type ChoconRelease, choconBinaryAsset, unknownOutput } from "./publish";

export interface GcsArtifactReader {
  /** A short word for resource names (the role). */
  readonly key: string;
  readonly serviceAccountEmail: pulumi.Input<string>;
}

export interface GcsArtifactStoreArgs extends GcpComponentArgs {
  readonly project: string;
  /** The region's short id (uk): the bucket is `<project>-<region>-artifacts`. */
  readonly regionName: string;
  /** The site's region: hosts download from their own region. */
  readonly location: string;
  readonly readers: readonly GcsArtifactReader[];
  readonly release: ChoconRelease;
  readonly labels?: Record<string, string>;
}

/** Old builds stay readable this long after a newer one replaces them (hosts mid-boot). */
const NONCURRENT_DAYS = 30;

/** The bucket's name: project ids are globally unique, so names built on them are the project's. */
export function artifactBucketName(project: string, regionName: string): string {
  return `${project}-${regionName}-artifacts`;
}

export class GcsArtifactStore extends pulumi.ComponentResource {
  /** The bucket's name, resolved only once the chocon object and the readers' grants exist. */
  public readonly bucketNameWhenFilled: pulumi.Output<string>;
  public readonly choconKey: pulumi.Output<string>;

  constructor(name: string, args: GcsArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:artifacts:GcsArtifactStore", name, {}, opts);
    const child = childOptions(this, args);
    const bucketName = artifactBucketName(args.project, args.regionName);
    const bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        name: bucketName,
        project: args.project,
        location: args.location.toUpperCase(),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        lifecycleRules: [
          {
            action: { type: "Delete" },
            condition: { withState: "ARCHIVED", daysSinceNoncurrentTime: NONCURRENT_DAYS },
          },
        ],
        // Everything in it is rebuilt from source by the artifacts workflow.
        forceDestroy: true,
        labels: args.labels,
      },
      child,
    );

    this.choconKey =
      args.release.kind === "built"
        ? pulumi.output(choconObjectKey(args.release.artifacts))
        : unknownOutput<string>();
    const object = new gcp.storage.BucketObject(
      `${name}-chocon`,
      {
        bucket: bucket.name,
        name: this.choconKey,
        source: choconBinaryAsset(args.release),
        contentType: "application/octet-stream",
      },
      child,
    );
    const grants = args.readers.map(
      (reader) =>
        new gcp.storage.BucketIAMMember(
          `${name}-${reader.key}-reads`,
          {
            bucket: bucket.name,
            role: "roles/storage.objectViewer",
            member: pulumi.interpolate`serviceAccount:${reader.serviceAccountEmail}`,
            condition: {
              title: "chocon builds only",
              description: `Objects under ${CHOCON_OBJECT_PREFIX}/ in ${bucketName}`,
              expression: `resource.name.startsWith("projects/_/buckets/${bucketName}/objects/${CHOCON_OBJECT_PREFIX}/")`,
            },
          },
          child,
        ),
    );

    this.bucketNameWhenFilled = pulumi
      .all([bucket.name, object.id, ...grants.map((grant) => grant.id)])
      .apply(([filled]) => String(filled));
    this.registerOutputs({ bucketName: bucket.name, choconKey: this.choconKey });
  }
}
