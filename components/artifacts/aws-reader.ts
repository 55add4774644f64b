// The artifact store of a region whose hosts are not in AWS (Sakura): the S3 store in the AWS region
// the region already uses for its backups, and an IAM user whose access key may only download the
// chocon builds. The key reaches the hosts with the SSH push, as root-only files.
import * as pulumi from "@pulumi/pulumi";
import { hostKey } from "../aws/host-key";
import * as aws from "../sdk/aws";
import type { RegionSpec } from "../spec/schema";
import { awsTags } from "../tags";
import { AwsArtifactStore } from "./aws-store";
import type { ChoconRelease } from "./publish";

export interface AwsArtifactReaderArgs {
  readonly spec: RegionSpec;
  /** The AWS region of the bucket. */
  readonly awsRegion: string;
  readonly release: ChoconRelease;
}

export class AwsArtifactReader extends pulumi.ComponentResource {
  /** The bucket's name, resolved only once the chocon object is in it. */
  public readonly bucketName: pulumi.Output<string>;
  public readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: AwsArtifactReaderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:artifacts:AwsArtifactReader", name, {}, opts);
    const { spec } = args;
    const provider = new aws.Provider(
      `${name}-aws`,
      { region: args.awsRegion, defaultTags: { tags: awsTags(spec) } },
      { parent: this },
    );
    const store = new AwsArtifactStore(
      `${name}-store`,
      { spec, provider, release: args.release },
      { parent: this },
    );
    const children = { parent: this, provider };
    const key = hostKey(
      { user: `${name}-reader`, policy: `${name}-reader`, key: `${name}-reader` },
      {
        tagName: `multicloud-${spec.name}-artifact-reader`,
        policy: { Version: "2012-10-17", Statement: store.readStatements() },
      },
      children,
    );

    this.bucketName = store.bucketNameWhenFilled;
    // Handed out once the key may read, so no host tries it before its grant exists.
    this.accessKeyId = pulumi.all([key.accessKeyId, key.policy.id]).apply(([id]) => id);
    this.secretAccessKey = key.secretAccessKey;
    this.registerOutputs({ bucketName: this.bucketName, accessKeyId: this.accessKeyId });
  }
}
