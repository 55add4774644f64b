// The identity of hosts that have none of their own in AWS (Sakura): an IAM user under
// /multicloud/ with one inline policy, and an access key whose secret reaches the hosts with the SSH
// push. Each caller names the three resources, so a stack that holds them keeps their URNs.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";

export interface HostKeyNames {
  readonly user: string;
  readonly policy: string;
  readonly key: string;
}

export interface HostKeyArgs {
  /** The user's Name tag. */
  readonly tagName: string;
  /** The inline policy's own name, where it has one (else the provider makes one up). */
  readonly policyName?: string;
  readonly policy: aws.iam.UserPolicyArgs["policy"];
}

export interface HostKey {
  readonly policy: aws.iam.UserPolicy;
  readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  readonly secretAccessKey: pulumi.Output<string>;
}

export function hostKey(
  names: HostKeyNames,
  args: HostKeyArgs,
  children: pulumi.CustomResourceOptions,
): HostKey {
  const user = new aws.iam.User(
    names.user,
    { path: "/multicloud/", tags: { Name: args.tagName } },
    children,
  );
  const policy = new aws.iam.UserPolicy(
    names.policy,
    {
      user: user.name,
      ...(args.policyName === undefined ? {} : { name: args.policyName }),
      policy: args.policy,
    },
    children,
  );
  // The provider marks the key's secret as a secret output; it is wrapped again all the same.
  const key = new aws.iam.AccessKey(names.key, { user: user.name }, children);
  return { policy, accessKeyId: key.id, secretAccessKey: pulumi.secret(key.secret) };
}
