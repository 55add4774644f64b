// The site's public host names, from the spec's names relative to the domain. Pure.

export interface PublicName {
  /** As written in the spec: "@" or "www". */
  readonly relative: string;
  /** Fully qualified, without the trailing dot: example.co.uk, www.example.co.uk. */
  readonly fqdn: string;
  /** A resource-name suffix: apex, www, api-v2. */
  readonly key: string;
}

export function publicNames(domain: string, names: readonly string[]): PublicName[] {
  return names.map((relative) => ({
    relative,
    fqdn: relative === "@" ? domain : `${relative}.${domain}`,
    key: relative === "@" ? "apex" : relative.replace(/\./g, "-"),
  }));
}
