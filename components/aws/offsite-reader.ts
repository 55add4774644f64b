// The key with which the MySQL hosts of a Sakura rebuild read the lost region's dumps: an IAM user
// that may only list and read `mysql/` in the lost region's off-site bucket (and decrypt what S3
// decrypts for it there). Sakura hosts have no cloud identity, so the key reaches them with the SSH
// push, to the MySQL hosts alone.

import * as pulumi from "@pulumi/pulumi";
import type { MysqlDumpSource } from "../restores";
import type * as aws from "../sdk/aws";
import { hostKey } from "./host-key";
import { offsiteDumpReadStatements } from "./offsite-bucket";

export interface OffsiteDumpReaderArgs {
  /** The rebuild's id, in the user's name tag. */
  region: string;
  /** The lost region's dump bucket. */
  dumps: MysqlDumpSource;
  /** An AWS provider (IAM is global). */
  provider: aws.Provider;
}

export class OffsiteDumpReader extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: OffsiteDumpReaderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:OffsiteDumpReader", name, {}, opts);
    const children = { parent: this, provider: args.provider };
    const key = hostKey(
      { user: `${name}-user`, policy: `${name}-read`, key: `${name}-key` },
      {
        tagName: `multicloud-${args.region}-dump-reader`,
        policyName: "read-lost-region-dumps",
        policy: {
          Version: "2012-10-17",
          Statement: offsiteDumpReadStatements(
            pulumi.interpolate`arn:aws:s3:::${args.dumps.bucket}`,
            args.dumps.location,
            args.dumps.keyArn,
          ),
        },
      },
      children,
    );
    this.bucketName = args.dumps.bucket;
    this.accessKeyId = key.accessKeyId;
    this.secretAccessKey = key.secretAccessKey;
    this.registerOutputs({ accessKeyId: this.accessKeyId });
  }
}
