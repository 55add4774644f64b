// Where a rebuild runs its GKE cluster when --gke-region names none: a GCP region in the same
// city or country as the rebuild's location (places from aws-regions.ts, gcp-regions.ts and
// sakura-zones.ts), nearest first. The first that is not the lost stack's own GKE region is taken,
// so the cluster always moves. A location missing here needs --gke-region.

export const NEARBY_GKE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  // AWS regions.
  "us-east-1": ["us-east4", "us-east1"], // N. Virginia: Ashburn, then South Carolina
  "us-east-2": ["us-east5", "us-east4"], // Ohio: Columbus, then Ashburn
  "us-west-1": ["us-west2", "us-west1"], // N. California: Los Angeles, then Oregon
  "us-west-2": ["us-west1", "us-west2"], // Oregon: The Dalles, then Los Angeles
  "ca-central-1": ["northamerica-northeast1", "northamerica-northeast2"], // Montréal, Toronto
  "mx-central-1": ["northamerica-south1"], // Mexico: Querétaro
  "sa-east-1": ["southamerica-east1"], // São Paulo
  "sa-west-1": ["southamerica-west1"], // Chile: Santiago
  "eu-west-1": ["europe-west2", "europe-west1"], // Ireland: London, then Belgium
  "eu-west-2": ["europe-west2", "europe-west1"], // London
  "eu-west-3": ["europe-west9", "europe-west1"], // Paris
  "eu-central-1": ["europe-west3", "europe-west4"], // Frankfurt
  "eu-central-2": ["europe-west6", "europe-west3"], // Zurich
  "eu-north-1": ["europe-north2", "europe-north1"], // Stockholm
  "eu-south-1": ["europe-west8", "europe-west12"], // Milan, then Turin
  "eu-south-2": ["europe-southwest1"], // Spain: Madrid
  "il-central-1": ["me-west1"], // Tel Aviv
  "af-south-1": ["africa-south1"], // South Africa: Johannesburg
  "ap-northeast-1": ["asia-northeast1", "asia-northeast2"], // Tokyo, then Osaka
  "ap-northeast-3": ["asia-northeast2", "asia-northeast1"], // Osaka, then Tokyo
  "ap-northeast-2": ["asia-northeast3"], // Seoul
  "ap-east-1": ["asia-east2"], // Hong Kong
  "ap-east-2": ["asia-east1"], // Taiwan
  "ap-south-1": ["asia-south1"], // Mumbai
  "ap-southeast-1": ["asia-southeast1"], // Singapore
  "ap-southeast-2": ["australia-southeast1"], // Sydney
  "ap-southeast-3": ["asia-southeast2"], // Jakarta
  "ap-southeast-4": ["australia-southeast2"], // Melbourne
  "ap-southeast-7": ["asia-southeast3"], // Thailand: Bangkok
  // Sakura zones: Tokyo, and Ishikari (Hokkaido), whose nearest GCP regions are Tokyo and Osaka.
  tk1a: ["asia-northeast1", "asia-northeast2"],
  tk1b: ["asia-northeast1", "asia-northeast2"],
  is1a: ["asia-northeast1", "asia-northeast2"],
  is1b: ["asia-northeast1", "asia-northeast2"],
  is1c: ["asia-northeast1", "asia-northeast2"],
};
