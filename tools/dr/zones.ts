// The zones a rebuild spreads over when the user names none. Most regions have zones a, b and c;
// the few that do not are listed. The stack file says these are assumed and how to check them.

/** AWS regions whose first zones are not a, b, c (letters as the account sees them may differ). */
const AWS_ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "us-west-1": ["b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
};

/** GCP regions whose zones are not a, b, c. */
const GCP_ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "us-east1": ["b", "c", "d"],
  "europe-west1": ["b", "c", "d"],
};

const DEFAULT_LETTERS = ["a", "b", "c"] as const;

/** Up to `count` zone names of an AWS region: us-east-1a, us-east-1b, ... */
export function awsZones(region: string, count: number): string[] {
  return (AWS_ZONE_LETTERS[region] ?? DEFAULT_LETTERS)
    .slice(0, Math.max(2, count))
    .map((letter) => `${region}${letter}`);
}

/** Up to `count` zone names of a GCP region: europe-west1-b, europe-west1-c, ... */
export function gcpZones(region: string, count: number): string[] {
  return (GCP_ZONE_LETTERS[region] ?? DEFAULT_LETTERS)
    .slice(0, Math.max(2, count))
    .map((letter) => `${region}-${letter}`);
}
