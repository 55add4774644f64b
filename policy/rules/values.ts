// Reading resource inputs safely: the engine and the plan hand over plain JSON whose shape is only
// known per type, and some providers send booleans as strings ("true", "TRUE").

export type Json = Readonly<Record<string, unknown>>;

export function record(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The records of a list input (nested blocks such as `ingress` or `networkInterfaces`). */
export function records(value: unknown): Json[] {
  return list(value)
    .map(record)
    .filter((item): item is Json => item !== undefined);
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value at a path of keys; undefined when any step is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    const inner = record(current);
    if (!inner) return undefined;
    current = inner[key];
  }
  return current;
}

/** True for `true` and for the strings providers use for it ("true", "TRUE"). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** A map input that providers may also send as JSON text (provider-level defaults are). */
export function jsonRecord(value: unknown): Json | undefined {
  if (typeof value !== "string") return record(value);
  try {
    return record(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** String values of a string map (tags, labels); other values are left out. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, inner] of Object.entries(record(value) ?? {})) {
    if (typeof inner === "string") out[key] = inner;
  }
  return out;
}

/** Sakura tags are a list of "key=value" strings. */
export function keyValueTags(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(value)) {
    if (typeof item !== "string") continue;
    const cut = item.indexOf("=");
    if (cut > 0) out[item.slice(0, cut)] = item.slice(cut + 1);
  }
  return out;
}

export const WORLD_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];

export function isWorld(cidr: unknown): boolean {
  return typeof cidr === "string" && WORLD_CIDRS.includes(cidr.trim());
}
