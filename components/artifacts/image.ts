// The chocon image of the deploy, pushed into the region's registry by `pulumi up` itself, from the
// OCI layout the artifacts workflow built, with the pinned crane of the same bundle
// (tools/ci/publish-image.sh). The push is a step of the approved plan, after the registry exists
// and before anything runs the image; the image is referenced by digest, so what runs is what was
// built, and the push fails when the registry reports another digest.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { type ChoconRelease, unknownOutput } from "./publish";
import { ARTIFACT_FILES } from "./release";

export interface PublishedImageArgs {
  /** `<region>-docker.pkg.dev/<project>/<repository>`. */
  readonly repositoryUrl: string;
  /** The repository and its grants: the push waits for them. */
  readonly registryResources: pulumi.Resource[];
  readonly release: ChoconRelease;
}

/** The script the push runs, relative to the project (the command's working directory). */
export const PUBLISH_IMAGE_SCRIPT = "tools/ci/publish-image.sh";

/** A tag of its own per build (tags are immutable in the registry), readable by people. */
export function choconImageTag(version: string, digest: string): string {
  return `${version}-${digest.replace(/^sha256:/, "").slice(0, 12)}`;
}

export class PublishedImage extends pulumi.ComponentResource {
  /** `<repository>/chocon@sha256:...` (unknown in a preview without a build). */
  public readonly reference: pulumi.Input<string>;
  /** What runs the image waits for: the push. */
  public readonly pushed: pulumi.Resource[];

  constructor(name: string, args: PublishedImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:artifacts:PublishedImage", name, {}, opts);
    const repository = `${args.repositoryUrl}/chocon`;
    if (args.release.kind === "unknown") {
      this.reference = unknownOutput<string>();
      this.pushed = [];
      this.registerOutputs({ reference: this.reference });
      return;
    }
    const { version, imageDigest } = args.release.artifacts;
    const provider = new command.Provider(`${name}-command`, {}, { parent: this });
    const push = new command.local.Command(
      `${name}-push`,
      {
        create: `bash ${PUBLISH_IMAGE_SCRIPT}`,
        environment: {
          LAYOUT: ARTIFACT_FILES.imageLayout,
          CRANE: ARTIFACT_FILES.crane,
          IMAGE: `${repository}:${choconImageTag(version, imageDigest)}`,
          DIGEST: imageDigest,
        },
        // A new build or another registry pushes again; nothing is deleted (the registry's
        // cleanup policy ages old images out).
        triggers: [repository, imageDigest],
        logging: "stdoutAndStderr",
      },
      { parent: this, provider, dependsOn: args.registryResources },
    );
    this.reference = `${repository}@${imageDigest}`;
    this.pushed = [push];
    this.registerOutputs({ reference: this.reference });
  }
}
