// The name servers of a stack's public zone, read from its state as `pulumi stack export` prints
// it. The engine writes the state after each resource it creates, so they can be read while the
// first `pulumi up` of a new domain still waits for its certificates, long before the stack output
// `nameServers` exists. Pure.

/** The qualified type of the zone a region creates: the Route53 zone inside its PublicZone. */
const PUBLIC_ZONE_TYPE = "$multicloud:dns:PublicZone$aws:route53/zone:Zone::";

export class NameServersError extends Error {}

interface ExportedResource {
  readonly urn?: unknown;
  readonly outputs?: { readonly nameServers?: unknown };
}

/** The public zone's name servers, in the order Route53 gave them. */
export function publicZoneNameServers(exported: unknown, stack: string): string[] {
  const deployment = (exported as { deployment?: { resources?: unknown } } | null)?.deployment;
  if (typeof deployment !== "object" || deployment === null)
    throw new NameServersError(`stack ${stack}: not a stack export (no deployment)`);
  // A stack that has never created anything exports no resources at all.
  const resources = Array.isArray(deployment.resources) ? deployment.resources : [];
  const zone = (resources as ExportedResource[]).find(
    (resource) => typeof resource.urn === "string" && resource.urn.includes(PUBLIC_ZONE_TYPE),
  );
  if (!zone)
    throw new NameServersError(
      `stack ${stack}: its state holds no public zone yet; \`pulumi up\` creates it among its first ` +
        `resources: run this again once it prints "aws:route53:Zone ${stack}-public-zone created" ` +
        `(a stack with dns.existingZone: true in Pulumi.${stack}.yaml creates none: ` +
        `\`pulumi stack output nameServers\` gives the existing zone's)`,
    );
  const names = zone.outputs?.nameServers;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string"))
    throw new NameServersError(`stack ${stack}: the public zone in its state has no name servers`);
  return names as string[];
}
