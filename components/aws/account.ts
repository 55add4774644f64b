// The account and partition that a site's provider acts in, for ARNs and key policies.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

export interface AwsAccount {
  /** The 12-digit account id. */
  readonly id: pulumi.Input<string>;
  /** "aws", or "aws-cn" / "aws-us-gov" in the other partitions. */
  readonly partition: pulumi.Input<string>;
}

/** Asks the provider which account and partition it acts in. */
export function lookUpAccount(provider: aws.Provider, parent: pulumi.Resource): AwsAccount {
  const opts = { provider, parent };
  return {
    id: aws.getCallerIdentityOutput({}, opts).accountId,
    partition: aws.getPartitionOutput({}, opts).partition,
  };
}
