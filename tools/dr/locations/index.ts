// Checks that a rebuild goes to places the clouds offer: the rebuild's location, its zones, the
// location of its own backups and its GKE region, each against the tables beside this file. Every
// problem is one DrInputError line that names the option and what would be accepted.
import { DrInputError } from "../errors";
import { AWS_REGIONS, AWS_REGIONS_SOURCE } from "./aws-regions";
import { GCP_REGIONS, GCP_REGIONS_SOURCE, gcpZoneNames } from "./gcp-regions";
import { NEARBY_GKE_REGIONS } from "./nearby-gke";
import { SAKURA_ZONES, SAKURA_ZONES_SOURCE } from "./sakura-zones";

export type Cloud = "aws" | "gcp" | "sakura";

const KIND: Record<Cloud, string> = {
  aws: "an AWS region",
  gcp: "a GCP region",
  sakura: "a Sakura Cloud zone",
};

/** The locations of a cloud a region can run in (Sakura's sandbox zone runs nothing). */
export function locationsOf(cloud: Cloud): string[] {
  switch (cloud) {
    case "aws":
      return Object.keys(AWS_REGIONS);
    case "gcp":
      return Object.keys(GCP_REGIONS);
    case "sakura":
      return Object.entries(SAKURA_ZONES)
        .filter(([, zone]) => !zone.sandbox)
        .map(([name]) => name);
  }
}

/** Where a location is, for comments: "us-east-1 (US East (N. Virginia))". */
export function describeLocation(cloud: Cloud, location: string): string {
  const place =
    cloud === "aws"
      ? AWS_REGIONS[location]
      : cloud === "gcp"
        ? GCP_REGIONS[location]?.place
        : SAKURA_ZONES[location]?.place;
  return place ? `${location} (${place})` : location;
}

function sourceOf(cloud: Cloud): string {
  return cloud === "aws"
    ? AWS_REGIONS_SOURCE
    : cloud === "gcp"
      ? GCP_REGIONS_SOURCE
      : SAKURA_ZONES_SOURCE;
}

const TABLE: Record<Cloud, string> = {
  aws: "tools/dr/locations/aws-regions.ts",
  gcp: "tools/dr/locations/gcp-regions.ts",
  sakura: "tools/dr/locations/sakura-zones.ts",
};

/** Known locations that look like the one asked for (same family), else where the table is. */
function suggestions(cloud: Cloud, asked: string, exclude: readonly string[]): string {
  const known = locationsOf(cloud).filter((location) => !exclude.includes(location));
  const family = asked.replace(/\d+[a-z]?$/, "");
  const alike = family.length > 1 ? known.filter((location) => location.startsWith(family)) : [];
  if (known.length <= 8) return known.join(", ");
  if (alike.length > 0 && alike.length <= 12) return alike.join(", ");
  return `${known.slice(0, 3).join(", ")} (all ${known.length}: ${TABLE[cloud]})`;
}

/**
 * `option value` is a location of the cloud other than those in `not` (each with why): throws
 * otherwise, naming the option and the table.
 */
export function checkLocation(
  option: string,
  cloud: Cloud,
  value: string,
  not: readonly { readonly location: string; readonly why: string }[],
): void {
  if (cloud === "sakura" && SAKURA_ZONES[value]?.sandbox) {
    throw new DrInputError(
      `${option} ${value}: the Sakura Cloud sandbox zone runs no servers; known zones: ${suggestions(
        cloud,
        value,
        not.map((n) => n.location),
      )}`,
    );
  }
  if (!locationsOf(cloud).includes(value)) {
    throw new DrInputError(
      `${option} ${value}: not ${KIND[cloud]} (${sourceOf(cloud)}); known: ${suggestions(
        cloud,
        value,
        not.map((n) => n.location),
      )}`,
    );
  }
  const clash = not.find((n) => n.location === value);
  if (clash) {
    throw new DrInputError(
      `${option} ${value}: expected ${KIND[cloud]} other than ${clash.why}, such as ${suggestions(
        cloud,
        value,
        not.map((n) => n.location),
      )}`,
    );
  }
}

/** Zones given with --zones: 2 to 4 zones of the rebuild's region, each named as its cloud names them. */
export function checkZones(cloud: "aws" | "gcp", region: string, zones: readonly string[]): void {
  const offered = cloud === "gcp" ? gcpZoneNames(region) : undefined;
  const example = cloud === "gcp" ? (offered?.[0] ?? `${region}-a`) : `${region}a`;
  for (const zone of zones) {
    const known = offered
      ? offered.includes(zone)
      : zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
    if (!known) {
      throw new DrInputError(
        offered
          ? `--zones: ${zone} is not a zone of ${region} (${GCP_REGIONS_SOURCE}: ${offered.join(", ")})`
          : `--zones: ${zone} is not a zone of ${region} (an AWS zone is its region and a letter, such as ${example})`,
      );
    }
  }
  if (new Set(zones).size !== zones.length) {
    throw new DrInputError(`--zones: ${zones.join(",")} names a zone twice`);
  }
  if (zones.length < 2 || zones.length > 4) {
    throw new DrInputError(
      `--zones: expected 2 to 4 zones of ${region}, such as ${offered?.slice(0, 3).join(",") ?? `${region}a,${region}b,${region}c`}`,
    );
  }
}

/** The first `count` zones of a GCP region, as the table lists them. */
export function gcpZones(region: string, count: number): string[] {
  return gcpZoneNames(region).slice(0, count);
}

/**
 * The GKE region of a rebuild: the one asked for, else the nearest to its location that is not the
 * lost cluster's. Throws when neither gives one.
 */
export function gkeRegionFor(
  location: string,
  cloud: Cloud,
  lostGkeRegion: string,
  requested: string | undefined,
): string {
  const not = [{ location: lostGkeRegion, why: `${lostGkeRegion}, the lost cluster's region` }];
  if (requested !== undefined) {
    checkLocation("--gke-region", "gcp", requested, not);
    return requested;
  }
  const nearby = cloud === "gcp" ? [location] : (NEARBY_GKE_REGIONS[location] ?? []);
  const chosen = nearby.find((region) => region !== lostGkeRegion);
  if (chosen === undefined) {
    throw new DrInputError(
      `--gke-region: none is known near ${location} apart from ${lostGkeRegion}, the lost cluster's region; name one (${GCP_REGIONS_SOURCE})`,
    );
  }
  return chosen;
}
