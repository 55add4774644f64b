// The region's Consul secrets, made by the program: the gossip encryption key, the management token
// and one ACL token per role. They are Pulumi secrets from birth; the sites store them (AWS Secrets
// Manager, GCP Secret Manager, the SSH push) under the names of components/spec/secrets.ts, and
// hosts read them at boot. The servers create each role's token with its policy (consul-acl.ts).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type Role, roles } from "../spec/hosts";

export interface ConsulSecretsArgs {
  /** The random provider (this program has no default providers). */
  readonly provider: pulumi.ProviderResource;
  /** Changing a keeper makes new values (a key rotation); empty by default. */
  readonly keepers?: Record<string, string>;
}

export class ConsulSecrets extends pulumi.ComponentResource {
  /** 32 random bytes, base64: Consul's `encrypt` (gossip) key. */
  public readonly gossipKey: pulumi.Output<string>;
  /** Secret id of the initial management token (servers only: ACL setup and snapshots). */
  public readonly managementToken: pulumi.Output<string>;
  /** Secret id of each role's token: its agents' `agent` and service-registration token. */
  public readonly roleTokens: Record<Role, pulumi.Output<string>>;

  constructor(name: string, args: ConsulSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:host:ConsulSecrets", name, {}, opts);
    const child = { parent: this, provider: args.provider, protect: true };
    const keepers = args.keepers ?? {};
    const uuid = (suffix: string) =>
      pulumi.secret(
        new random.RandomUuid(
          `${name}-${suffix}`,
          { keepers },
          { ...child, additionalSecretOutputs: ["result"] },
        ).result,
      );
    const gossip = new random.RandomBytes(
      `${name}-gossip-key`,
      { length: 32, keepers },
      { ...child, additionalSecretOutputs: ["base64", "hex"] },
    );
    this.gossipKey = pulumi.secret(gossip.base64);
    this.managementToken = uuid("management-token");
    this.roleTokens = Object.fromEntries(
      roles.map((role) => [role, uuid(`${role}-token`)]),
    ) as Record<Role, pulumi.Output<string>>;
    this.registerOutputs({
      gossipKey: this.gossipKey,
      managementToken: this.managementToken,
      roleTokens: this.roleTokens,
    });
  }
}
