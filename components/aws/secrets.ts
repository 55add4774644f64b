// The secrets hosts read at boot (Consul's gossip key and agent token), kept in Secrets Manager
// under the names the host layer expects, encrypted with a key of the site's own. Values arrive as
// secret Outputs and stay secret: they never reach user data or the plan in clear.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";
import { type HostSecretId, hostSecretIds, secretName, secretsForRole } from "../spec/secrets";
import { EncryptionKey } from "./encryption-key";

export interface HostSecretsArgs {
  /** The region: names the secrets (`secretName(spec, id)`). */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  /** The value of every host secret. */
  values: Record<HostSecretId, pulumi.Input<string>>;
  /** Days a deleted secret can still be restored (7-30). Default 30. */
  recoveryWindowDays?: number;
}

export class HostSecrets extends pulumi.ComponentResource {
  public readonly arns: Record<HostSecretId, pulumi.Output<string>>;
  public readonly names: Record<HostSecretId, string>;
  /** The key the secrets are encrypted with: readers need kms:Decrypt through Secrets Manager. */
  public readonly keyArn: pulumi.Output<string>;
  /** The stored value of each secret. */
  private readonly versions = {} as Record<HostSecretId, pulumi.Resource>;

  constructor(name: string, args: HostSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:HostSecrets", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const key = new EncryptionKey(
      `${name}-key`,
      {
        spec,
        provider: args.provider,
        purpose: "host-secrets",
        description: `Secrets that the hosts of region ${spec.name} read at boot`,
      },
      { parent: this },
    );
    this.keyArn = key.keyArn;

    const arns = {} as Record<HostSecretId, pulumi.Output<string>>;
    const names = {} as Record<HostSecretId, string>;
    for (const id of hostSecretIds) {
      names[id] = secretName(spec, id);
      const secret = new aws.secretsmanager.Secret(
        `${name}-${id}`,
        {
          name: names[id],
          description: `${id} for the hosts of region ${spec.name}`,
          kmsKeyId: key.keyArn,
          recoveryWindowInDays: args.recoveryWindowDays ?? 30,
          tags: { Name: names[id] },
        },
        children,
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${name}-${id}-value`,
        { secretId: secret.id, secretString: pulumi.secret(args.values[id]) },
        children,
      );
      this.versions[id] = version;
      arns[id] = secret.arn;
    }
    this.arns = arns;
    this.names = names;
    this.registerOutputs({ arns: this.arns, names: this.names, keyArn: this.keyArn });
  }

  /** The values a host of `role` reads at boot: it must not boot before they are stored. */
  valuesReadBy(role: Role): pulumi.Resource[] {
    return secretsForRole(role).map((id) => this.versions[id]);
  }
}
