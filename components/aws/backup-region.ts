// The AWS region that holds a region's backups (dr.backupLocation, or dr.offsiteRegion for a
// region outside AWS): a provider for it and the key that encrypts what is kept there. The key is
// protected like the backups it encrypts: without it they cannot be read.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";
import { awsTags } from "../tags";
import { EncryptionKey } from "./encryption-key";

export interface BackupRegionArgs {
  /** The region whose backups these are: names and tags. */
  spec: RegionSpec;
  /** The AWS region that keeps them. */
  awsRegion: string;
  /** When set, the provider refuses to act on any other account. */
  accountId?: string;
}

export class BackupRegion extends pulumi.ComponentResource {
  /** Acts in the backup region, with the region's default tags. */
  public readonly provider: aws.Provider;
  public readonly awsRegion: string;
  /** Encrypts replicated database backups and the off-site bucket. */
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: BackupRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:BackupRegion", name, {}, opts);
    this.awsRegion = args.awsRegion;
    this.provider = new aws.Provider(
      `${name}-aws`,
      {
        region: args.awsRegion,
        defaultTags: { tags: awsTags(args.spec) },
        ...(args.accountId ? { allowedAccountIds: [args.accountId] } : {}),
      },
      { parent: this },
    );
    const key = new EncryptionKey(
      `${name}-key`,
      {
        spec: args.spec,
        provider: this.provider,
        purpose: "backups",
        description: `Backups of region ${args.spec.name} kept in ${args.awsRegion}`,
        protect: true,
      },
      { parent: this },
    );
    this.keyArn = key.keyArn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
