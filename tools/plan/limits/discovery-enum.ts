// A limit read from an enum of a pinned discovery document's schema (compute.v1 unless another
// document is named), checked on one input of one GCP resource type.
import type { Limit } from "./types";

export function discoveryEnum(
  id: string,
  what: string,
  resourceType: string,
  input: string,
  field: string,
  values: readonly string[],
  document = "compute.v1",
): Limit {
  return {
    id,
    cloud: "gcp",
    what,
    resourceTypes: [resourceType],
    input,
    rule: { kind: "oneOf", values },
    source: { kind: "discovery", document, fields: [field] },
  };
}
