// Off-site backups for a region whose hosts are not in AWS (Sakura): the backup region's key and
// bucket, and an IAM user whose access key may only add objects under the prefixes of the roles
// that ship backups. The key reaches the hosts with the SSH push, as root-only files; the backups
// leave the provider, so losing Sakura does not lose them.
import * as pulumi from "@pulumi/pulumi";
import type { RegionSpec } from "../spec/schema";
import { BackupRegion } from "./backup-region";
import { hostKey } from "./host-key";
import { OffsiteBucket, offsiteWriteStatements } from "./offsite-bucket";

export interface OffsiteWriterArgs {
  /** The region whose backups these are. */
  spec: RegionSpec;
  /** The AWS region of the bucket. */
  awsRegion: string;
  /** Object prefixes the key may write under (one per role that ships backups). */
  prefixes: readonly string[];
}

export class OffsiteWriter extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly awsRegion: string;
  /** The key its objects are encrypted with (a rebuild's readers decrypt with it). */
  public readonly keyArn: pulumi.Output<string>;
  public readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: OffsiteWriterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:OffsiteWriter", name, {}, opts);
    const { spec } = args;
    const region = new BackupRegion(
      `${name}-region`,
      { spec, awsRegion: args.awsRegion },
      { parent: this },
    );
    const bucket = new OffsiteBucket(
      `${name}-store`,
      { spec, provider: region.provider, awsRegion: args.awsRegion, keyArn: region.keyArn },
      { parent: this },
    );
    const children = { parent: this, provider: region.provider };
    const key = hostKey(
      { user: `${name}-uploader`, policy: `${name}-uploader`, key: `${name}-uploader` },
      {
        tagName: `multicloud-${spec.name}-backup-uploader`,
        policy: {
          Version: "2012-10-17",
          Statement: args.prefixes.flatMap((prefix) =>
            offsiteWriteStatements(bucket.bucketArn, prefix, region.keyArn, args.awsRegion),
          ),
        },
      },
      children,
    );

    this.bucketName = bucket.bucketName;
    this.awsRegion = args.awsRegion;
    this.keyArn = region.keyArn;
    this.accessKeyId = key.accessKeyId;
    this.secretAccessKey = key.secretAccessKey;
    this.registerOutputs({ bucketName: this.bucketName, accessKeyId: this.accessKeyId });
  }
}
