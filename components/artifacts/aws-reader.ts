// The artifact store of a region whose hosts are not in AWS (Sakura): the S3 store in the AWS region
// the region already uses for its backups, and an IAM user whose access key may only download the
// chocon builds. The key reaches the hosts with the SSH push, as root-only files.
import * as pulumi from "@pulumi/pulumi";
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
    const user = new aws.iam.User(
      `${name}-reader`,
      { path: "/multicloud/", tags: { Name: `multicloud-${spec.name}-artifact-reader` } },
      children,
    );
    const policy = new aws.iam.UserPolicy(
      `${name}-reader`,
      { user: user.name, policy: { Version: "2012-10-17", Statement: store.readStatements() } },
      children,
    );
    // The provider marks the key's secret as a secret output.
    const key = new aws.iam.AccessKey(`${name}-reader`, { user: user.name }, children);

    this.bucketName = store.bucketNameWhenFilled;
    // Handed out once the key may read, so no host tries it before its grant exists.
    this.accessKeyId = pulumi.all([key.id, policy.id]).apply(([id]) => id);
    this.secretAccessKey = pulumi.secret(key.secret);
    this.registerOutputs({ bucketName: this.bucketName, accessKeyId: this.accessKeyId });
  }
}
