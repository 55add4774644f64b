// What the front hosts' ACME key may do in Route53: find the zone, wait for a change, and change
// the TXT records `_acme-challenge.<name>` of the names their certificates hold in the region's
// zone, nothing else. The condition keys are Route53's (route53:ChangeResourceRecordSets*), whose
// values are compared normalized: lower case, no trailing dot, other characters than a-z, 0-9,
// `-`, `_` and `.` as a backslash and three octal digits. Pure.

/** The inline policy of an IAM user holds at most this many characters, whitespace aside. */
export const USER_INLINE_POLICY_LIMIT = 2048;

/** A DNS name as Route53 compares it in route53:ChangeResourceRecordSetsNormalizedRecordNames. */
export function normalizedRecordName(name: string): string {
  return [...name.toLowerCase().replace(/\.$/, "")]
    .map((char) =>
      /[a-z0-9_.-]/.test(char) ? char : `\\${char.charCodeAt(0).toString(8).padStart(3, "0")}`,
    )
    .join("");
}

/** The challenge record of each name, normalized, without repeats. */
export function challengeRecordNames(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => normalizedRecordName(`_acme-challenge.${name}`)))];
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string;
    readonly Resource: string;
    readonly Condition?: Record<string, Record<string, readonly string[]>>;
  }[];
}

/** The policy of the key that answers DNS-01 challenges for `names` in the zone `zoneId`. */
export function acmeChallengePolicy(zoneId: string, names: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // certbot's Route53 plugin finds the zone by listing them; the action takes no resource.
        Sid: "FindTheZone",
        Effect: "Allow",
        Action: "route53:ListHostedZones",
        Resource: "*",
      },
      {
        Sid: "WaitForTheChange",
        Effect: "Allow",
        Action: "route53:GetChange",
        Resource: "arn:aws:route53:::change/*",
      },
      {
        Sid: "ChallengeRecordsOnly",
        Effect: "Allow",
        Action: "route53:ChangeResourceRecordSets",
        Resource: `arn:aws:route53:::hostedzone/${zoneId}`,
        Condition: {
          // Every change of a request must match (ForAllValues); a request always has one.
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": challengeRecordNames(names),
            "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
            "route53:ChangeResourceRecordSetsActions": ["UPSERT", "DELETE"],
          },
        },
      },
    ],
  };
}

/** Characters IAM counts against a policy's size: all but whitespace. */
export function policySize(policy: PolicyDocument): number {
  return JSON.stringify(policy).replace(/\s/g, "").length;
}
