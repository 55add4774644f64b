// Reading the engine's URNs: urn:pulumi:<stack>::<project>::<qualified type>::<name>, where the
// qualified type is every ancestor's type below the stack and the resource's own, joined by `$`.

export interface UrnParts {
  readonly stack: string;
  readonly project: string;
  /** The resource's own type, the last part of the qualified type. */
  readonly type: string;
  readonly name: string;
}

export function parseUrn(urn: string): UrnParts {
  const [head = "", project, qualifiedType, ...nameParts] = urn.split("::");
  if (!head.startsWith("urn:pulumi:") || !qualifiedType || nameParts.length === 0)
    throw new Error(`not a Pulumi URN: ${urn}`);
  return {
    stack: head.slice("urn:pulumi:".length),
    project: project ?? "",
    type: qualifiedType.split("$").at(-1) ?? qualifiedType,
    name: nameParts.join("::"),
  };
}

export function typeAndNameOfUrn(urn: string): { type: string; name: string } {
  const { type, name } = parseUrn(urn);
  return { type, name };
}
