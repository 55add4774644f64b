// The password of the MySQL replication user, made by the program like the Consul secrets: a
// Pulumi secret from birth, stored by the sites under components/spec/secrets.ts's name and read by
// the MySQL hosts at boot (the primary sets it, the replicas connect with it).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface MysqlSecretsArgs {
  readonly provider: pulumi.ProviderResource;
  /** Changing a keeper makes a new password (a rotation); empty by default. */
  readonly keepers?: Record<string, string>;
}

export class MysqlSecrets extends pulumi.ComponentResource {
  /** 32 letters and digits: nothing in it needs quoting in SQL or shell. */
  public readonly replicationPassword: pulumi.Output<string>;

  constructor(name: string, args: MysqlSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:host:MysqlSecrets", name, {}, opts);
    const password = new random.RandomPassword(
      `${name}-replication-password`,
      {
        length: 32,
        special: false,
        minLower: 4,
        minUpper: 4,
        minNumeric: 4,
        keepers: args.keepers ?? {},
      },
      {
        parent: this,
        provider: args.provider,
        protect: true,
        additionalSecretOutputs: ["result", "bcryptHash"],
      },
    );
    this.replicationPassword = pulumi.secret(password.result);
    this.registerOutputs({ replicationPassword: this.replicationPassword });
  }
}
