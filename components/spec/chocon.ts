// chocon's version: the one every chocon host installs and every GKE cluster runs, in one place.
import type { z } from "zod";

/** The chocon release (github.com/kazeburo/chocon) of the whole estate. */
export const CHOCON_VERSION = "0.12.6";

/** The tag of an image reference (`repo/chocon:0.12.6@sha256:...` -> `0.12.6`), if it has one. */
export function imageTag(image: string): string | undefined {
  const name = image.split("@")[0] ?? "";
  const last = name.slice(name.lastIndexOf("/") + 1);
  return last.includes(":") ? last.slice(last.indexOf(":") + 1) : undefined;
}

/** The image with chocon's version as its tag when it has none (a digest stays where it is). */
export function withChoconTag(image: string): string {
  if (imageTag(image) !== undefined) return image;
  const [name, digest] = image.split("@");
  return `${name}:${CHOCON_VERSION}${digest ? `@${digest}` : ""}`;
}

/** gke.chocon.image: untagged takes CHOCON_VERSION; any other tag is refused. */
export function choconImage(image: z.ZodString) {
  return image
    .refine((value) => [undefined, CHOCON_VERSION].includes(imageTag(value)), {
      error: (issue) =>
        `expected the tag ${CHOCON_VERSION} (the chocon every host runs) or no tag, not ${imageTag(String(issue.input))}`,
    })
    .transform(withChoconTag);
}
