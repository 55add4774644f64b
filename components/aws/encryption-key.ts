// A customer-managed KMS key with yearly rotation and a readable alias.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";

export interface EncryptionKeyArgs {
  /** The region: names the alias. */
  spec: Pick<RegionSpec, "name">;
  /** The provider of the key's account and region. */
  provider: aws.Provider;
  /** A short word for what the key protects: the alias is `alias/multicloud-<region>-<purpose>`. */
  purpose: string;
  description: string;
  /** A key policy (JSON); AWS's default (the account administers the key) when absent. */
  policy?: pulumi.Input<string>;
  /** Protect the key: set for keys that encrypt data that cannot be rebuilt. */
  protect?: boolean;
}

export class EncryptionKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;
  public readonly aliasName: string;

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:EncryptionKey", name, {}, opts);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        // The longest wait: a key scheduled for deletion by mistake can be restored for 30 days.
        deletionWindowInDays: 30,
        ...(args.policy ? { policy: args.policy } : {}),
        tags: { Name: `multicloud-${args.spec.name}-${args.purpose}` },
      },
      { parent: this, provider: args.provider, protect: args.protect ?? false },
    );
    this.aliasName = `alias/multicloud-${args.spec.name}-${args.purpose}`;
    new aws.kms.Alias(
      `${name}-alias`,
      { name: this.aliasName, targetKeyId: key.keyId },
      { parent: this, provider: args.provider },
    );
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName });
  }
}
