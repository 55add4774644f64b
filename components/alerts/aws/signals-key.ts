// The key with which a Sakura region's util and MySQL hosts publish their signals: an IAM user
// whose only permission is the publishing roles' own (publishers.ts: PutMetricData in the hosts'
// namespace). Sakura hosts have no cloud identity, so the key reaches them with the SSH push.
import * as pulumi from "@pulumi/pulumi";
import { hostKey } from "../../aws/host-key";
import type * as aws from "../../sdk/aws";
import { publishSignalsPolicy } from "./publishers";

export interface SignalsKeyArgs {
  /** The region's id, in the user's name tag. */
  region: string;
  /** An AWS provider (IAM is global). */
  provider: aws.Provider;
}

export class SignalsKey extends pulumi.ComponentResource {
  public readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: SignalsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:alerts:SignalsKey", name, {}, opts);
    const children = { parent: this, provider: args.provider };
    const key = hostKey(
      { user: `${name}-user`, policy: `${name}-publish`, key: `${name}-key` },
      {
        tagName: `multicloud-${args.region}-host-signals`,
        policyName: "publish-host-signals",
        policy: publishSignalsPolicy(),
      },
      children,
    );
    this.accessKeyId = key.accessKeyId;
    this.secretAccessKey = key.secretAccessKey;
    this.registerOutputs({ accessKeyId: this.accessKeyId });
  }
}
