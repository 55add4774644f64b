// One set of tags (AWS) and labels (GCP) for every resource of a region, so that cost reports,
// policies and people can tell what a resource belongs to.
import type { RegionSpec } from "./spec/schema";

export function baseTags(spec: RegionSpec): Record<string, string> {
  return {
    ...spec.tags,
    project: "multicloud",
    region: spec.name,
    "managed-by": "pulumi",
  };
}

/** AWS tags: the region's tags plus resource-specific ones (a `Name`, a role). */
export function awsTags(
  spec: RegionSpec,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...baseTags(spec), ...extra };
}

/** GCP labels: same keys and values; the schema keeps tags within what labels accept. */
export function gcpLabels(
  spec: RegionSpec,
  extra: Record<string, string> = {},
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...baseTags(spec), ...extra })) {
    labels[key.toLowerCase().replace(/[^a-z0-9_-]/g, "_")] = value
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "_");
  }
  return labels;
}
