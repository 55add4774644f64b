// Which chocon build a host installs, and where it lies in the region's artifact store. Pure.

/** A chocon build of the artifacts workflow: its version and the SHA-256 of the linux/amd64 binary. */
export interface ChoconBuild {
  readonly version: string;
  /** Lowercase hex; the installer refuses any other bytes. */
  readonly sha256: string;
}

export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/** The object's key: content-addressed, so a key never holds two different binaries. */
export function choconObjectKey(build: ChoconBuild): string {
  return `chocon/${build.version}/${build.sha256}/chocon`;
}

/** The prefix every chocon object lies under: what readers are granted. */
export const CHOCON_OBJECT_PREFIX = "chocon";

/** Instance tag (EC2) and metadata key (GCE) that name the artifact bucket to the host. */
export const ARTIFACT_BUCKET_KEY = "multicloud-artifact-bucket";
