// The program's side of the artifacts: the release read from the stack config (refused with the
// stack file and key when it is wrong), the bundle's files as Pulumi assets, and unknown values
// for a preview run without a build.
import * as pulumi from "@pulumi/pulumi";
import {
  ARTIFACT_FILES,
  ArtifactConfigError,
  bundleProblems,
  type ChoconRelease,
  choconReleaseFrom,
} from "./release";

export type { ChoconArtifacts, ChoconRelease } from "./release";

/** A value a preview cannot know yet; the engine shows it as computed. */
export function unknownOutput<T>(): pulumi.Output<T> {
  return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<T>;
}

/** The chocon binary of the bundle, as the asset the stores upload (a path relative to the project). */
export function choconBinaryAsset(release: ChoconRelease): pulumi.Input<pulumi.asset.Asset> {
  return release.kind === "built"
    ? new pulumi.asset.FileAsset(ARTIFACT_FILES.binary)
    : unknownOutput<pulumi.asset.Asset>();
}

/** The release of this run, from the stack's config and the bundle in the project directory. */
export function readChoconRelease(projectDir: string): ChoconRelease {
  const config = new pulumi.Config("multicloud");
  const stackFile = `Pulumi.${pulumi.getStack()}.yaml`;
  try {
    const release = choconReleaseFrom(
      { sha256: config.get("choconSha256"), imageDigest: config.get("choconImageDigest") },
      stackFile,
      pulumi.runtime.isDryRun(),
    );
    if (release.kind === "unknown") {
      pulumi.log.warn(
        `${stackFile}: no chocon build is configured (multicloud:choconSha256, multicloud:choconImageDigest): ` +
          "the preview plans chocon's hosts, objects and image as unknown; `pulumi up` refuses to run without them",
      );
      return release;
    }
    const problems = bundleProblems(projectDir, release.artifacts);
    if (problems.length > 0)
      throw new ArtifactConfigError(
        problems.map((problem) => `${stackFile}: ${problem}`).join("\n"),
      );
    return release;
  } catch (error) {
    if (error instanceof ArtifactConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
