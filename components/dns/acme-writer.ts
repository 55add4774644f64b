// The key with which a region's front hosts answer ACME DNS-01 challenges in its public zone: an
// IAM user whose only permission is to write the `_acme-challenge` TXT records of the names their
// certificates hold (acme-policy.ts). For hosts outside AWS (Sakura), which have no cloud
// identity: the key reaches the nginx hosts with the SSH push, as root-only files.
import * as pulumi from "@pulumi/pulumi";
import { hostKey } from "../aws/host-key";
import type * as aws from "../sdk/aws";
import { acmeChallengePolicy } from "./acme-policy";

export interface AcmeWriterArgs {
  /** The region's id, in the user's name tag. */
  region: string;
  zoneId: pulumi.Input<string>;
  /** Every name a front certificate holds, absolute. */
  names: readonly string[];
  /** Route53's provider (IAM is global too). */
  provider: aws.Provider;
}

export class AcmeWriter extends pulumi.ComponentResource {
  public readonly accessKeyId: pulumi.Output<string>;
  /** A secret Output. */
  public readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: AcmeWriterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:dns:AcmeWriter", name, {}, opts);
    const children = { parent: this, provider: args.provider };
    // The policy's size within IAM's limit is a rule of the spec (rules.ts, checkAcmeKeyPolicy).
    const key = hostKey(
      { user: `${name}-user`, policy: `${name}-challenges`, key: `${name}-key` },
      {
        tagName: `multicloud-${args.region}-acme-dns`,
        policy: pulumi
          .output(args.zoneId)
          .apply((zoneId) => JSON.stringify(acmeChallengePolicy(zoneId, args.names))),
      },
      children,
    );
    this.accessKeyId = key.accessKeyId;
    this.secretAccessKey = key.secretAccessKey;
    this.registerOutputs({ accessKeyId: this.accessKeyId });
  }
}
