// Who may use an alert topic and its key: the account manages both; CloudWatch alarms (and RDS
// events where the topic takes them) may publish for this account only, and only over TLS.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alertKeyPolicy, alertTopicPolicy } from "../../components/alerts/aws/topic";
import { resolveOutput } from "../support/mocks";

const account = { id: "123456789012", partition: "aws" };
const TOPIC = "arn:aws:sns:us-west-2:123456789012:multicloud-us-alerts";

describe("alert topic policies", () => {
  it("lets the alarm services encrypt with the topic's key, and nothing else", async () => {
    const policy = JSON.parse(
      await resolveOutput(alertKeyPolicy(account, ["cloudwatch", "rds-events"])),
    );
    assert.deepEqual(policy.Statement, [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AlarmServicesEncryptMessages",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.rds.amazonaws.com"] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
      },
    ]);
  });

  it("lets CloudWatch and RDS publish for this account's alarms and databases, over TLS only", async () => {
    const policy = JSON.parse(
      await resolveOutput(
        alertTopicPolicy(TOPIC, account, "us-west-2", ["cloudwatch", "rds-events"]),
      ),
    );
    const [manage, cloudwatch, rds, deny] = policy.Statement;
    assert.equal(manage.Principal.AWS, "arn:aws:iam::123456789012:root");
    assert.deepEqual(cloudwatch, {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: TOPIC,
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*" },
      },
    });
    assert.deepEqual(rds, {
      Sid: "RdsEventsPublish",
      Effect: "Allow",
      Principal: { Service: "events.rds.amazonaws.com" },
      Action: "sns:Publish",
      Resource: TOPIC,
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:rds:us-west-2:123456789012:*" },
      },
    });
    assert.deepEqual(deny, {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: TOPIC,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    assert.equal(policy.Statement.length, 4);
  });

  it("grants no service that does not publish to the topic", async () => {
    const policy = JSON.parse(
      await resolveOutput(alertTopicPolicy(TOPIC, account, "us-east-1", ["cloudwatch"])),
    );
    assert.deepEqual(
      policy.Statement.map((s: { Sid: string }) => s.Sid),
      ["AccountManagesTopic", "CloudWatchAlarmsPublish", "DenyInsecureTransport"],
    );
  });
});
