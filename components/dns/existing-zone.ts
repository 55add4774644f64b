// A public zone that another stack owns, found by its domain: a rebuild of a lost region serves
// the same names from the zone the registrar already delegates to, and creates no zone of its own.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

export interface ZoneReference {
  readonly zoneId: pulumi.Output<string>;
  readonly nameServers: pulumi.Output<string[]>;
}

/** The public (not private) hosted zone of the domain; fails when the account has none. */
export function existingPublicZone(
  domain: string,
  provider: aws.Provider,
  parent: pulumi.Resource,
): ZoneReference {
  const zone = aws.route53.getZoneOutput(
    { name: domain, privateZone: false },
    { provider, parent },
  );
  return { zoneId: zone.zoneId, nameServers: zone.nameServers };
}
