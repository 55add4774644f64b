// Config that a real deploy receives from its workflow rather than from the stack file: the digests
// of the chocon build (the artifacts workflow's outputs, set by tools/ci/pin-chocon.sh). The offline
// plan has no build, so when a stack file does not set them it answers them from this table: the
// SHA-256 of a stand-in text and a stand-in image digest. Rendered host files and the plan show
// these values; the real engine test lays the stand-in text down as the binary it uploads.
import { createHash } from "node:crypto";
import { CHOCON_CONFIG_KEYS } from "../../components/artifacts/release";
import type { ChoconBuild } from "../../components/host/chocon-build";
import { CHOCON_VERSION } from "../../components/spec/chocon";

/** The bytes the offline plan pretends the chocon build is. */
export const OFFLINE_CHOCON_BINARY =
  "offline stand-in for the chocon build: the plan uploads nothing\n";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const offlineConfig: Record<string, string> = {
  [CHOCON_CONFIG_KEYS.sha256]: sha256(OFFLINE_CHOCON_BINARY),
  [CHOCON_CONFIG_KEYS.imageDigest]: `sha256:${sha256("offline stand-in for the chocon image manifest\n")}`,
};

/** The chocon build the plan's program renders hosts with: the stack file's, else the table's. */
export function planChoconBuild(stackConfig: Record<string, string>): ChoconBuild {
  const config = { ...offlineConfig, ...stackConfig };
  return { version: CHOCON_VERSION, sha256: config[CHOCON_CONFIG_KEYS.sha256] ?? "" };
}
