// The GCP regions and zones a rebuild may go to (GCE hosts, GKE clusters): the public regions of
// Google's "Regions and zones" page (cloud.google.com/compute/docs/regions-zones, with the places
// as its "Geography and regions" tables name them), as read in December 2026. Zones are the
// region's name, a hyphen and a letter; most regions have a, b and c, a few do not. A region
// opened since is refused until it is added here.

export const GCP_REGIONS_SOURCE = "cloud.google.com/compute/docs/regions-zones, December 2026";

export interface GcpRegion {
  readonly place: string;
  /** Zone letters: europe-west1 has europe-west1-b, -c and -d. */
  readonly zones: readonly string[];
}

const ABC = ["a", "b", "c"] as const;

export const GCP_REGIONS: Readonly<Record<string, GcpRegion>> = {
  "africa-south1": { place: "Johannesburg, South Africa", zones: ABC },
  "asia-east1": { place: "Changhua County, Taiwan", zones: ABC },
  "asia-east2": { place: "Hong Kong", zones: ABC },
  "asia-northeast1": { place: "Tokyo, Japan", zones: ABC },
  "asia-northeast2": { place: "Osaka, Japan", zones: ABC },
  "asia-northeast3": { place: "Seoul, South Korea", zones: ABC },
  "asia-south1": { place: "Mumbai, India", zones: ABC },
  "asia-south2": { place: "Delhi, India", zones: ABC },
  "asia-southeast1": { place: "Jurong West, Singapore", zones: ABC },
  "asia-southeast2": { place: "Jakarta, Indonesia", zones: ABC },
  "asia-southeast3": { place: "Bangkok, Thailand", zones: ABC },
  "australia-southeast1": { place: "Sydney, Australia", zones: ABC },
  "australia-southeast2": { place: "Melbourne, Australia", zones: ABC },
  "europe-central2": { place: "Warsaw, Poland", zones: ABC },
  "europe-north1": { place: "Hamina, Finland", zones: ABC },
  "europe-north2": { place: "Stockholm, Sweden", zones: ABC },
  "europe-southwest1": { place: "Madrid, Spain", zones: ABC },
  "europe-west1": { place: "St. Ghislain, Belgium", zones: ["b", "c", "d"] },
  "europe-west2": { place: "London, England", zones: ABC },
  "europe-west3": { place: "Frankfurt, Germany", zones: ABC },
  "europe-west4": { place: "Eemshaven, Netherlands", zones: ABC },
  "europe-west6": { place: "Zurich, Switzerland", zones: ABC },
  "europe-west8": { place: "Milan, Italy", zones: ABC },
  "europe-west9": { place: "Paris, France", zones: ABC },
  "europe-west10": { place: "Berlin, Germany", zones: ABC },
  "europe-west12": { place: "Turin, Italy", zones: ABC },
  "me-central1": { place: "Doha, Qatar", zones: ABC },
  "me-central2": { place: "Dammam, Saudi Arabia", zones: ABC },
  "me-west1": { place: "Tel Aviv, Israel", zones: ABC },
  "northamerica-northeast1": { place: "Montréal, Québec, Canada", zones: ABC },
  "northamerica-northeast2": { place: "Toronto, Ontario, Canada", zones: ABC },
  "northamerica-south1": { place: "Querétaro, Mexico", zones: ABC },
  "southamerica-east1": { place: "Osasco, São Paulo, Brazil", zones: ABC },
  "southamerica-west1": { place: "Santiago, Chile", zones: ABC },
  "us-central1": { place: "Council Bluffs, Iowa, USA", zones: ["a", "b", "c", "f"] },
  "us-east1": { place: "Moncks Corner, South Carolina, USA", zones: ["b", "c", "d"] },
  "us-east4": { place: "Ashburn, Virginia, USA", zones: ABC },
  "us-east5": { place: "Columbus, Ohio, USA", zones: ABC },
  "us-south1": { place: "Dallas, Texas, USA", zones: ABC },
  "us-west1": { place: "The Dalles, Oregon, USA", zones: ABC },
  "us-west2": { place: "Los Angeles, California, USA", zones: ABC },
  "us-west3": { place: "Salt Lake City, Utah, USA", zones: ABC },
  "us-west4": { place: "Las Vegas, Nevada, USA", zones: ABC },
};

/** The zones of a region by name: europe-west1-b, europe-west1-c, europe-west1-d. */
export function gcpZoneNames(region: string): string[] {
  return (GCP_REGIONS[region]?.zones ?? []).map((letter) => `${region}-${letter}`);
}
