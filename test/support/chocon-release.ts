// A chocon build for tests that construct the region or its parts directly: literal digests, as
// the artifacts workflow would report them.
import type { ChoconRelease } from "../../components/artifacts/release";

export const TEST_CHOCON_SHA256 = "5f".repeat(32);
export const TEST_CHOCON_IMAGE_DIGEST = `sha256:${"7a".repeat(32)}`;

export const TEST_CHOCON_RELEASE: ChoconRelease = {
  kind: "built",
  artifacts: {
    version: "0.12.6",
    sha256: TEST_CHOCON_SHA256,
    imageDigest: TEST_CHOCON_IMAGE_DIGEST,
  },
};
