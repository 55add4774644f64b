// The front's public names, fully qualified ("@" is the apex), without repeats. Pure.

export function frontNames(spec: {
  readonly front: { readonly names: readonly string[] };
  readonly domain: string;
}): string[] {
  return [
    ...new Set(
      spec.front.names.map((name) => (name === "@" ? spec.domain : `${name}.${spec.domain}`)),
    ),
  ];
}
