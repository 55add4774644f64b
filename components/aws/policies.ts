// IAM policy documents the site uses more than once. Pure data builders.
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "../sdk/aws";
import type { AwsAccount } from "./account";

type Document = aws.iam.PolicyDocument;
type Condition = Record<string, Record<string, pulumi.Input<string | pulumi.Input<string>[]>>>;

/** A trust policy that lets one AWS service assume a role, optionally only under conditions. */
export function serviceTrust(service: string, condition?: Condition): Document {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}

/** The ARN of an AWS-managed policy in the account's partition. */
export function managedPolicyArn(account: AwsAccount, path: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${account.partition}:iam::aws:policy/${path}`;
}

/**
 * The statement every customer-managed key policy starts with: the account itself administers
 * the key, so that IAM policies in the account decide who else may use it (AWS's default).
 */
export function accountAdministersKey(account: AwsAccount): aws.iam.PolicyStatement {
  return {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: pulumi.interpolate`arn:${account.partition}:iam::${account.id}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Refuses every request to a bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): aws.iam.PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
