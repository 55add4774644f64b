// A region's alert topic in one AWS region: SNS encrypted with a key of its own that the alarm
// services may use, a policy that lets only this account's alarms (and RDS events, where asked)
// publish and only over TLS, and the spec's subscribers: every address by e-mail, PagerDuty by its
// CloudWatch integration when the spec pages through it.
import * as pulumi from "@pulumi/pulumi";
import type { AwsAccount } from "../../aws/account";
import { EncryptionKey } from "../../aws/encryption-key";
import { accountAdministersKey } from "../../aws/policies";
import * as aws from "../../sdk/aws";
import type { RegionSpec } from "../../spec/schema";

/** AWS services that publish to alert topics: CloudWatch alarms, RDS event notifications. */
export type Publisher = "cloudwatch" | "rds-events";

const SERVICE_PRINCIPALS: Readonly<Record<Publisher, string>> = {
  cloudwatch: "cloudwatch.amazonaws.com",
  "rds-events": "events.rds.amazonaws.com",
};

/** The ARNs each publisher sends from, for its confused-deputy condition. */
function sourceArns(publisher: Publisher, account: AwsAccount, awsRegion: string) {
  return publisher === "cloudwatch"
    ? pulumi.interpolate`arn:${account.partition}:cloudwatch:${awsRegion}:${account.id}:alarm:*`
    : pulumi.interpolate`arn:${account.partition}:rds:${awsRegion}:${account.id}:*`;
}

/** The topic's name: one per region and AWS region, so a rebuild (usdr) never takes another's. */
export function topicName(region: string): string {
  return `multicloud-${region}-alerts`;
}

/** PagerDuty's endpoint for its "Amazon CloudWatch" integration, which confirms on its own. */
export function pagerDutyCloudWatchEndpoint(key: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(pulumi.interpolate`https://events.pagerduty.com/integration/${key}/enqueue`);
}

/** The key policy: the account administers it; the publishing services may only encrypt with it. */
export function alertKeyPolicy(
  account: AwsAccount,
  publishers: readonly Publisher[],
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      accountAdministersKey(account),
      {
        Sid: "AlarmServicesEncryptMessages",
        Effect: "Allow",
        Principal: { Service: publishers.map((p) => SERVICE_PRINCIPALS[p]) },
        // SNS asks for a data key on the publisher's behalf; decrypting it lets it seal the message.
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
      },
    ],
  });
}

/** The topic policy: the account manages it; each service publishes only for this account, only over TLS. */
export function alertTopicPolicy(
  topicArn: pulumi.Input<string>,
  account: AwsAccount,
  awsRegion: string,
  publishers: readonly Publisher[],
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountManagesTopic",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${account.partition}:iam::${account.id}:root` },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: topicArn,
      },
      ...publishers.map((publisher) => ({
        Sid: publisher === "cloudwatch" ? "CloudWatchAlarmsPublish" : "RdsEventsPublish",
        Effect: "Allow",
        Principal: { Service: SERVICE_PRINCIPALS[publisher] },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": account.id },
          ArnLike: { "aws:SourceArn": sourceArns(publisher, account, awsRegion) },
        },
      })),
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

export interface AlertTopicArgs {
  readonly spec: RegionSpec;
  /** The provider of the AWS region the topic lives in. */
  readonly provider: aws.Provider;
  readonly awsRegion: string;
  readonly account: AwsAccount;
  /** Short word for the key's alias: alias/multicloud-<region>-<purpose>. */
  readonly purpose: string;
  readonly publishers: readonly Publisher[];
  /** The PagerDuty CloudWatch integration key, when the spec pages through PagerDuty. */
  readonly pagerDutyKey?: pulumi.Input<string>;
}

export class AlertTopic extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:alerts:Topic", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const key = new EncryptionKey(
      `${name}-key`,
      {
        spec,
        provider: args.provider,
        purpose: args.purpose,
        description: `Alert topic of region ${spec.name} in ${args.awsRegion}`,
        policy: alertKeyPolicy(args.account, args.publishers),
      },
      { parent: this },
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: topicName(spec.name),
        displayName: `multicloud ${spec.name} alerts`,
        kmsMasterKeyId: key.keyArn,
        tags: { Name: topicName(spec.name) },
      },
      children,
    );
    new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: alertTopicPolicy(topic.arn, args.account, args.awsRegion, args.publishers),
      },
      children,
    );
    spec.alerts.email.forEach((address, index) => {
      // The address confirms by the link SNS mails it; until then it receives nothing.
      new aws.sns.TopicSubscription(
        `${name}-email-${index + 1}`,
        { topic: topic.arn, protocol: "email", endpoint: address },
        children,
      );
    });
    if (args.pagerDutyKey !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-pagerduty`,
        {
          topic: topic.arn,
          protocol: "https",
          endpoint: pagerDutyCloudWatchEndpoint(args.pagerDutyKey),
          endpointAutoConfirms: true,
        },
        children,
      );
    }
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
