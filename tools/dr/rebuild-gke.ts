// The region's GKE cluster moved with it: to --gke-region, or the GCP region nearest the rebuild
// that is not the lost cluster's, in the same project (every name there is prefixed with the
// rebuild's). The cluster keeps its ranges, which a rebuild may share with the stack it replaces,
// and its workloads: the same gateway routes, chocon, images. Pure.
import type { GkeSpec } from "../../components/spec/gke";
import { type Cloud, describeLocation, gkeRegionFor } from "./locations";
import type { Note, Raw } from "./rebuild-context";

/**
 * The registry a region's cluster pushes to, as components/gke/registry.ts names it (that module
 * loads the GCP provider, which this tool does without; test/dr checks the two agree).
 */
export function registryOf(project: string, region: string): string {
  return `${region}-docker.pkg.dev/${project}/services`;
}

export function moveGke(
  region: Raw,
  gke: GkeSpec,
  where: { readonly stack: string; readonly cloud: Cloud; readonly to: string },
  requested: string | undefined,
  note: Note,
): void {
  const chosen = gkeRegionFor(where.to, where.cloud, gke.region, requested);
  region.gke = { ...(region.gke as Raw), region: chosen };
  note(
    ["gke", "region"],
    `Was ${describeLocation("gcp", gke.region)}: the cluster and its workloads (the gateway's routes, chocon) move to ${describeLocation("gcp", chosen)}, ${requested ? "as --gke-region asked" : `the GCP region nearest ${where.to} other than ${gke.region}`}. Same project; its ranges are ${where.stack}'s, which a rebuild may share (dr.replaces).`,
  );
  // The spec adds operations.cidrs to these; only what the file lists is the user's own.
  const listed = (region.gke as { authorizedNetworks?: { name?: string }[] }).authorizedNetworks;
  if (listed && listed.length > 0) {
    note(
      ["gke", "authorizedNetworks"],
      `Kept from ${where.stack} (${listed.map((network) => network.name).join(", ")}): the rebuild's hosts run in ${where.to}, outside these unless they are yours; add what must reach the control plane besides operations.cidrs.`,
    );
  }
  const lostRegistry = registryOf(gke.project, gke.region);
  const newRegistry = registryOf(gke.project, chosen);
  // chocon's image is pushed into the rebuild's own registry by the deploy; the gateway's is named.
  if (gke.gateway.image.startsWith(`${lostRegistry}/`)) {
    note(
      ["gke", "gateway"],
      `The gateway's image stays in ${lostRegistry}, ${where.stack}'s registry, which the rebuild's image policy admits. If ${gke.region} is lost too, push it to ${newRegistry} and name it there.`,
    );
  }
}
