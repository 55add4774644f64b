// Finding the values a limit applies to in a resource's inputs, by the path syntax of types.ts.
// Pure.
import type { PlannedResource } from "../plan";
import type { Limit } from "./types";

export interface Selected {
  /** Where the value is, e.g. `tags["Name"]`, `tags key "Name"`, `rules[0].match`. */
  readonly at: string;
  readonly value: unknown;
}

/** Random characters Pulumi adds to an auto-name, after a "-". */
export const AUTO_NAME_RANDOM = 7;
/** Characters terraform's providers add to a name prefix (a timestamp and a counter). */
export const PREFIX_RANDOM = 26;

type Token = { readonly property: string } | { readonly each: "item" | "value" | "key" };

function tokens(path: string): Token[] {
  const found: Token[] = [];
  for (const match of path.matchAll(/([A-Za-z0-9_-]+)|(\[\])|(\{\})|(\{key\})/g)) {
    if (match[1]) found.push({ property: match[1] });
    else if (match[2]) found.push({ each: "item" });
    else if (match[3]) found.push({ each: "value" });
    else found.push({ each: "key" });
  }
  return found;
}

/** Provider settings reach the plan as JSON text; read them as the JSON. */
function structured(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[{[]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every value at `path` in `root`, with where it was found. */
export function selectValues(root: unknown, path: string): Selected[] {
  let current: Selected[] = [{ at: "", value: root }];
  for (const token of tokens(path)) {
    const next: Selected[] = [];
    for (const { at, value } of current) {
      const here = structured(value);
      if ("property" in token) {
        if (!isMap(here) || here[token.property] === undefined) continue;
        next.push({
          at: at ? `${at}.${token.property}` : token.property,
          value: here[token.property],
        });
      } else if (token.each === "item") {
        if (Array.isArray(here))
          for (const [i, item] of here.entries()) next.push({ at: `${at}[${i}]`, value: item });
      } else if (isMap(here)) {
        for (const [key, item] of Object.entries(here))
          next.push(
            token.each === "key"
              ? { at: `${at} key "${key}"`, value: key }
              : { at: `${at}["${key}"]`, value: item },
          );
      }
    }
    current = next;
  }
  return current;
}

/** The map at `path` of the resource's provider, for a resource that merges its defaults. */
function providerMap(
  resource: PlannedResource,
  providers: ReadonlyMap<string, PlannedResource>,
  path: string,
): Record<string, unknown> {
  const provider = resource.provider ? providers.get(resource.provider) : undefined;
  const found = provider ? selectValues(provider.inputs, path)[0]?.value : undefined;
  const map = structured(found);
  return isMap(map) ? map : {};
}

/** The values a limit checks on one resource. */
export function limitValues(
  limit: Limit,
  resource: PlannedResource,
  providers: ReadonlyMap<string, PlannedResource>,
): Selected[] {
  if (limit.providerDefaults) {
    // A map the provider completes with its defaults (AWS default tags, GCP default labels).
    const own = selectValues(resource.inputs, limit.input)[0]?.value;
    const merged = {
      ...providerMap(resource, providers, limit.providerDefaults),
      ...(isMap(structured(own)) ? (structured(own) as Record<string, unknown>) : {}),
    };
    return Object.keys(merged).length === 0
      ? []
      : [{ at: `${limit.input} (with the provider's ${limit.providerDefaults})`, value: merged }];
  }
  const selected = selectValues(resource.inputs, limit.input);
  if (selected.length > 0 || !limit.naming) return selected;
  const prefix = limit.naming.prefixInput
    ? selectValues(resource.inputs, limit.naming.prefixInput)[0]?.value
    : undefined;
  if (typeof prefix === "string")
    return [
      {
        at: `${limit.naming.prefixInput} (and ${PREFIX_RANDOM} random characters)`,
        value: `${prefix}${"0".repeat(PREFIX_RANDOM)}`,
      },
    ];
  if (limit.naming.auto)
    return [
      {
        at: `${limit.input} (auto-named: "${resource.name}-" and ${AUTO_NAME_RANDOM} random characters)`,
        value: `${resource.name}-${"0".repeat(AUTO_NAME_RANDOM)}`,
      },
    ];
  return [];
}
