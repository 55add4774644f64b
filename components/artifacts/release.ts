// The chocon build a deploy publishes: built by the artifacts workflow (tools/ci/build-artifacts.sh)
// into `.artifacts/` of the checkout, named by two digests that the deploy job passes as stack
// config. The program publishes those files into the region's stores and pins hosts and pods to
// the digests; it never builds anything itself.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ChoconBuild, isSha256Hex } from "../host/chocon-build";
import { CHOCON_VERSION } from "../spec/chocon";

/** Where the artifacts workflow's bundle lies, relative to the project (the program's directory). */
export const ARTIFACTS_DIR = ".artifacts";
export const ARTIFACT_FILES = {
  /** The chocon binary for linux/amd64: the same bytes as the image's. */
  binary: `${ARTIFACTS_DIR}/chocon-linux-amd64`,
  /** The container image, as an OCI image layout. */
  imageLayout: `${ARTIFACTS_DIR}/chocon-image`,
  /** The pinned crane that pushes the layout (built with the bundle). */
  crane: `${ARTIFACTS_DIR}/bin/crane`,
  /** What the build recorded: version, digests, toolchain. */
  manifest: `${ARTIFACTS_DIR}/manifest.json`,
} as const;

/** The stack config keys the deploy job sets from the artifacts workflow's outputs. */
export const CHOCON_CONFIG_KEYS = {
  sha256: "multicloud:choconSha256",
  imageDigest: "multicloud:choconImageDigest",
} as const;

/** A chocon build with its image: what a deploy publishes. */
export interface ChoconArtifacts extends ChoconBuild {
  /** The image manifest's digest, `sha256:<hex>`. */
  readonly imageDigest: string;
}

/** The build, or, in a preview run without it, nothing known yet (planned as unknown values). */
export type ChoconRelease =
  | { readonly kind: "built"; readonly artifacts: ChoconArtifacts }
  | { readonly kind: "unknown" };

/** Refused config: each line names the stack file and the key. */
export class ArtifactConfigError extends Error {}

export interface ChoconConfigValues {
  readonly sha256?: string | undefined;
  readonly imageDigest?: string | undefined;
}

/**
 * The release from the stack config. Both keys or neither: neither is a preview's "not built yet"
 * (planned as unknown), and refused for `pulumi up`, which must never leave a host without chocon.
 */
export function choconReleaseFrom(
  values: ChoconConfigValues,
  stackFile: string,
  preview: boolean,
): ChoconRelease {
  const { sha256, imageDigest } = values;
  const at = (key: string) => `${stackFile}: ${key}`;
  if (sha256 === undefined && imageDigest === undefined) {
    if (preview) return { kind: "unknown" };
    throw new ArtifactConfigError(
      `${at(CHOCON_CONFIG_KEYS.sha256)} and ${CHOCON_CONFIG_KEYS.imageDigest} are missing: ` +
        "`pulumi up` installs the chocon that the artifacts workflow built; deploy through the " +
        "deploy workflow, or build with `tools/ci/build-artifacts.sh .artifacts` and set both keys " +
        "from .artifacts/manifest.json",
    );
  }
  const problems: string[] = [];
  if (sha256 === undefined)
    problems.push(
      `${at(CHOCON_CONFIG_KEYS.sha256)} is missing (set it beside ${CHOCON_CONFIG_KEYS.imageDigest})`,
    );
  else if (!isSha256Hex(sha256))
    problems.push(
      `${at(CHOCON_CONFIG_KEYS.sha256)} = ${JSON.stringify(sha256)}: expected 64 lowercase hex digits`,
    );
  if (imageDigest === undefined)
    problems.push(
      `${at(CHOCON_CONFIG_KEYS.imageDigest)} is missing (set it beside ${CHOCON_CONFIG_KEYS.sha256})`,
    );
  else if (!/^sha256:[0-9a-f]{64}$/.test(imageDigest))
    problems.push(
      `${at(CHOCON_CONFIG_KEYS.imageDigest)} = ${JSON.stringify(imageDigest)}: expected sha256: and 64 lowercase hex digits`,
    );
  if (problems.length > 0 || sha256 === undefined || imageDigest === undefined)
    throw new ArtifactConfigError(problems.join("\n"));
  return { kind: "built", artifacts: { version: CHOCON_VERSION, sha256, imageDigest } };
}

/**
 * The bundle's files against the digests: the binary that is published must be the pinned one,
 * and the manifest and image layout must name the same build. Files that are absent are not
 * judged here (the offline plan has none; a real run fails when the engine cannot read them).
 */
export function bundleProblems(projectDir: string, artifacts: ChoconArtifacts): string[] {
  const problems: string[] = [];
  const binary = join(projectDir, ARTIFACT_FILES.binary);
  if (existsSync(binary)) {
    const actual = createHash("sha256").update(readFileSync(binary)).digest("hex");
    if (actual !== artifacts.sha256)
      problems.push(
        `${ARTIFACT_FILES.binary} has the SHA-256 ${actual}, not ${CHOCON_CONFIG_KEYS.sha256} ${artifacts.sha256}`,
      );
  }
  const manifestPath = join(projectDir, ARTIFACT_FILES.manifest);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      chocon?: { version?: string; sha256?: string; imageDigest?: string };
    };
    const recorded = manifest.chocon ?? {};
    if (recorded.version !== artifacts.version)
      problems.push(
        `${ARTIFACT_FILES.manifest} is a build of chocon ${recorded.version}, not ${artifacts.version} (components/spec/chocon.ts)`,
      );
    if (recorded.sha256 !== artifacts.sha256 || recorded.imageDigest !== artifacts.imageDigest)
      problems.push(`${ARTIFACT_FILES.manifest} names other digests than the stack config`);
  }
  const index = join(projectDir, ARTIFACT_FILES.imageLayout, "index.json");
  if (existsSync(index)) {
    const digests = (
      JSON.parse(readFileSync(index, "utf8")) as { manifests?: { digest?: string }[] }
    ).manifests?.map((entry) => entry.digest);
    if (!digests?.includes(artifacts.imageDigest))
      problems.push(
        `${ARTIFACT_FILES.imageLayout} holds ${digests?.join(", ") || "no image"}, not ${CHOCON_CONFIG_KEYS.imageDigest} ${artifacts.imageDigest}`,
      );
  }
  return problems;
}
