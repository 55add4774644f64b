// VPC flow logs: every accepted and rejected flow, to a CloudWatch Logs group encrypted with a key
// of the site's own and kept for a bounded time.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { AwsRegionSpec } from "../spec/schema";
import type { AwsAccount } from "./account";
import { EncryptionKey } from "./encryption-key";
import { accountAdministersKey, serviceTrust } from "./policies";

export interface FlowLogsArgs {
  spec: AwsRegionSpec;
  provider: aws.Provider;
  account: AwsAccount;
  vpcId: pulumi.Input<string>;
  /** Days the log group keeps flows (a CloudWatch Logs retention value). */
  retentionDays: number;
}

export class FlowLogs extends pulumi.ComponentResource {
  public readonly logGroupName: string;
  public readonly logGroupArn: pulumi.Output<string>;

  constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:FlowLogs", name, {}, opts);
    const { account, spec } = args;
    const children = { parent: this, provider: args.provider };
    const region = spec.aws.region;
    this.logGroupName = `/multicloud/${spec.name}/vpc-flow-logs`;
    const logGroupArn = pulumi.interpolate`arn:${account.partition}:logs:${region}:${account.id}:log-group:${this.logGroupName}`;

    // CloudWatch Logs encrypts with the key itself, so the key policy must name the service; the
    // encryption context pins it to this log group.
    const key = new EncryptionKey(
      `${name}-key`,
      {
        spec,
        provider: args.provider,
        purpose: "flow-logs",
        description: `VPC flow logs of region ${spec.name}`,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            accountAdministersKey(account),
            {
              Sid: "CloudWatchLogsUseKey",
              Effect: "Allow",
              Principal: { Service: `logs.${region}.amazonaws.com` },
              Action: [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
              ],
              Resource: "*",
              Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
            },
          ],
        }),
      },
      { parent: this },
    );

    const group = new aws.cloudwatch.LogGroup(
      `${name}-group`,
      {
        name: this.logGroupName,
        retentionInDays: args.retentionDays,
        kmsKeyId: key.keyArn,
        tags: { Name: this.logGroupName },
      },
      children,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Delivers VPC flow logs of region ${spec.name} to CloudWatch Logs`,
        // Only flow logs of this account may use the role (confused-deputy guard).
        assumeRolePolicy: serviceTrust("vpc-flow-logs.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": account.id },
          ArnLike: {
            "aws:SourceArn": pulumi.interpolate`arn:${account.partition}:ec2:${region}:${account.id}:vpc-flow-log/*`,
          },
        }),
        tags: { Name: `${name}-role` },
      },
      children,
    );
    new aws.iam.RolePolicy(
      `${name}-write`,
      {
        role: role.id,
        policy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: [
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
              ],
              Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
            },
          ],
        },
      },
      children,
    );

    new aws.ec2.FlowLog(
      `${name}-vpc`,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        // One-minute aggregation: flows show up quickly when an incident is being chased.
        maxAggregationInterval: 60,
        tags: { Name: `${name}-vpc` },
      },
      children,
    );

    this.logGroupArn = group.arn;
    this.registerOutputs({ logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
  }
}
