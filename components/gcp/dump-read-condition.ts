// The IAM condition that narrows a rebuild's read of the lost off-site bucket to the MySQL dumps,
// the counterpart of AWS's s3:prefix condition. A condition on a bucket's binding is evaluated per
// request, against what Cloud Storage says of it:
// - reading an object: the resource is the object, named
//   `projects/_/buckets/<bucket>/objects/<object>` (IAM's resource attributes for Cloud Storage);
// - listing objects: the resource is the bucket (`projects/_/buckets/<bucket>`), so no object name
//   can match it; the request's `prefix` parameter is the API attribute
//   `storage.googleapis.com/objectListPrefix`, empty when the request has none.
// Conditions need uniform bucket-level access, which the project's off-site buckets have.
// Pure.

/** The objects the rebuild may read and list: the MySQL dumps, never the Consul snapshots. */
export const DUMP_READ_PREFIX = "mysql/";

/** The attribute Cloud Storage sets on a list request to the request's `prefix` parameter. */
export const OBJECT_LIST_PREFIX_ATTRIBUTE = "storage.googleapis.com/objectListPrefix";

/** A CEL string literal: quotes and backslashes escaped (a bucket's name, read from the lost stack, holds neither). */
function celString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Admits reading an object under `mysql/` of `bucket`, and a listing whose prefix starts with
 * `mysql/`; refuses everything else the role grants (a listing without a prefix, or of another
 * prefix, and any object outside `mysql/`).
 */
export function dumpReadExpression(bucket: string): string {
  const objects = `projects/_/buckets/${bucket}/objects/${DUMP_READ_PREFIX}`;
  return [
    `resource.name.startsWith(${celString(objects)})`,
    `api.getAttribute(${celString(OBJECT_LIST_PREFIX_ATTRIBUTE)}, "").startsWith(${celString(DUMP_READ_PREFIX)})`,
  ].join(" || ");
}
