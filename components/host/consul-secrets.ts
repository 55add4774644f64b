// The region's Consul secrets, made by the program: the gossip encryption key and the ACL tokens.
// They are Pulumi secrets from birth; the sites store them (AWS Secrets Manager, GCP Secret
// Manager, the SSH push) under the names of components/spec/secrets.ts, and hosts read them at boot.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface ConsulSecretsArgs {
  /** The random provider (this program has no default providers). */
  readonly provider: pulumi.ProviderResource;
  /** Changing a keeper makes new values (a key rotation); empty by default. */
  readonly keepers?: Record<string, string>;
}

export class ConsulSecrets extends pulumi.ComponentResource {
  /** 32 random bytes, base64: Consul's `encrypt` (gossip) key. */
  public readonly gossipKey: pulumi.Output<string>;
  /** Secret id of the token every agent uses (`acl.tokens.agent` and `default`). */
  public readonly agentToken: pulumi.Output<string>;
  /** Secret id of the initial management token (servers only: ACL setup and snapshots). */
  public readonly managementToken: pulumi.Output<string>;

  constructor(name: string, args: ConsulSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:host:ConsulSecrets", name, {}, opts);
    const child = { parent: this, provider: args.provider, protect: true };
    const keepers = args.keepers ?? {};
    const gossip = new random.RandomBytes(
      `${name}-gossip-key`,
      { length: 32, keepers },
      { ...child, additionalSecretOutputs: ["base64", "hex"] },
    );
    const agent = new random.RandomUuid(
      `${name}-agent-token`,
      { keepers },
      { ...child, additionalSecretOutputs: ["result"] },
    );
    const management = new random.RandomUuid(
      `${name}-management-token`,
      { keepers },
      { ...child, additionalSecretOutputs: ["result"] },
    );
    this.gossipKey = pulumi.secret(gossip.base64);
    this.agentToken = pulumi.secret(agent.result);
    this.managementToken = pulumi.secret(management.result);
    this.registerOutputs({
      gossipKey: this.gossipKey,
      agentToken: this.agentToken,
      managementToken: this.managementToken,
    });
  }
}
