// Shell lines that give a host its cloud identity for API calls: the EC2 instance role's temporary
// credentials (IMDSv2) and the GCE service account's access token (metadata server). Each defines
// a curl config on stdin (`-K -`), so no credential ever appears on a command line. Pure.

export const AWS_IMDS = "http://169.254.169.254";
export const GCE_METADATA = "http://169.254.169.254/computeMetadata/v1";

/**
 * Defines `imds PATH` from IMDSv2: a session token, then a GET of `meta-data/<under>PATH` with it.
 */
export function awsImdsLines(under = ""): string[] {
  return [
    'imds_token="$(curl -fsS --max-time 5 --retry 5 -X PUT \\',
    `  -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' ${AWS_IMDS}/latest/api/token)"`,
    "imds() {",
    '  curl -fsS --max-time 5 --retry 5 -H "X-aws-ec2-metadata-token: $imds_token" \\',
    `    "${AWS_IMDS}/latest/meta-data/${under}$1"`,
    "}",
  ];
}

/** Defines `imds PATH` and `$credentials` (the instance role's JSON) from IMDSv2. */
export function awsInstanceCredentialLines(): string[] {
  return [
    ...awsImdsLines(),
    'role="$(imds iam/security-credentials/ | head -n 1)"',
    'credentials="$(imds "iam/security-credentials/$role")"',
  ];
}

/** Prints the curl config lines that sign with `$credentials` (user and session token). */
export const AWS_CURL_CONFIG =
  '  jq -r \'"user = \\"" + .AccessKeyId + ":" + .SecretAccessKey + "\\"\\n" +\n' +
  '    "header = \\"X-Amz-Security-Token: " + .Token + "\\""\' <<<"$credentials" |';

/** Defines `gce_metadata PATH` and `$access_token` (the VM service account's token). */
export function gceTokenLines(): string[] {
  return [
    "gce_metadata() {",
    "  curl -fsS --max-time 5 --retry 5 -H 'Metadata-Flavor: Google' \\",
    `    "${GCE_METADATA}/$1"`,
    "}",
    'access_token="$(gce_metadata instance/service-accounts/default/token | jq -er .access_token)"',
  ];
}
