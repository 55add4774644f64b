// The AWS regions a rebuild may go to: the commercial partition ("aws") of botocore's
// partitions.json, botocore 1.44.18 as pinned in tools/ci/references.txt (the `aws-global`
// pseudo-region left out). The other partitions (China, GovCloud, ISO, the European Sovereign
// Cloud) are other accounts and credentials, which a rebuild of this project's regions never uses.
// test/dr/locations.test.ts compares this table with the installed botocore.
//
// Availability zones are not in botocore, and no offline table can name them for an account: in
// AWS's oldest regions the zone letters are mapped per account (AWS's "AZ IDs" page,
// docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html). A rebuild therefore lets
// AWS pick the zones when it is deployed (aws.zones left out) or takes the ones named by --zones.

export const AWS_REGIONS_SOURCE = "partition aws of botocore 1.44.18's partitions.json";

/** Region code -> botocore's description. */
export const AWS_REGIONS: Readonly<Record<string, string>> = {
  "af-south-1": "Africa (Cape Town)",
  "ap-east-1": "Asia Pacific (Hong Kong)",
  "ap-east-2": "Asia Pacific (Taipei)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-northeast-3": "Asia Pacific (Osaka)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "ap-south-2": "Asia Pacific (Hyderabad)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-southeast-3": "Asia Pacific (Jakarta)",
  "ap-southeast-4": "Asia Pacific (Melbourne)",
  "ap-southeast-5": "Asia Pacific (Malaysia)",
  "ap-southeast-6": "Asia Pacific (New Zealand)",
  "ap-southeast-7": "Asia Pacific (Thailand)",
  "ca-central-1": "Canada (Central)",
  "ca-west-1": "Canada West (Calgary)",
  "eu-central-1": "Europe (Frankfurt)",
  "eu-central-2": "Europe (Zurich)",
  "eu-north-1": "Europe (Stockholm)",
  "eu-south-1": "Europe (Milan)",
  "eu-south-2": "Europe (Spain)",
  "eu-west-1": "Europe (Ireland)",
  "eu-west-2": "Europe (London)",
  "eu-west-3": "Europe (Paris)",
  "il-central-1": "Israel (Tel Aviv)",
  "me-central-1": "Middle East (UAE)",
  "me-south-1": "Middle East (Bahrain)",
  "me-west-1": "Middle East (Saudi Arabia)",
  "mx-central-1": "Mexico (Central)",
  "sa-east-1": "South America (Sao Paulo)",
  "sa-west-1": "South America (Chile)",
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
};
