// Names in DNS zones. Pure.

/** The fully qualified name of a name relative to a zone: "@" is the zone's apex. */
export function qualify(relative: string, zone: string): string {
  return relative === "@" ? zone : `${relative}.${zone}`;
}

/** A resource-name-safe form of a relative name: "@" becomes "apex", dots become hyphens. */
export function nameKey(relative: string): string {
  return relative === "@" ? "apex" : relative.replace(/\./g, "-");
}
