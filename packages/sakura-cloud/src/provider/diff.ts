import type * as pulumi from "@pulumi/pulumi";

/** JSON with sorted object keys, so that key order and `undefined` members do not count. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The keys among `keys` whose values differ between the stored state and the new inputs. */
export function changedKeys<T extends object>(
  olds: T,
  news: T,
  keys: readonly (keyof T)[],
): string[] {
  return keys.filter((k) => canonical(olds[k]) !== canonical(news[k])).map(String);
}

/** A DiffResult from the changed keys and the subset of keys that force a replacement. */
export function diffResult(
  changed: string[],
  replaceKeys: readonly string[],
  deleteBeforeReplace = false,
): pulumi.dynamic.DiffResult {
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && deleteBeforeReplace,
  };
}
