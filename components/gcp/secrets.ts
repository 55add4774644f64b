// The secrets hosts read at boot, in Secret Manager, each readable only by the roles that need it.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import type { Role } from "../spec/hosts";
import type { HostSecretId } from "../spec/secrets";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GcpSecretSpec {
  readonly id: HostSecretId;
  /** The secret's id in Secret Manager (secretName(spec, id)). */
  readonly name: string;
  /** Its value; stored as a Pulumi secret, never shown in plans. */
  readonly value: pulumi.Input<string>;
}

export interface GcpSecretReader {
  readonly role: Role;
  /** The role's service account e-mail. */
  readonly email: pulumi.Input<string>;
  /** The secrets this role may read (secretsForRole(role)). */
  readonly secrets: readonly HostSecretId[];
}

export interface GcpSecretsArgs extends GcpComponentArgs {
  readonly secrets: readonly GcpSecretSpec[];
  /**
   * Regions that hold the secret data: the site's own region and its disaster-recovery region.
   * Kept to named regions (user-managed replication) so the data stays where the region's data is.
   */
  readonly replicaLocations: readonly string[];
  readonly readers: readonly GcpSecretReader[];
  /** Labels on every secret. */
  readonly labels?: Record<string, string>;
}

export class GcpSecrets extends pulumi.ComponentResource {
  readonly secrets: Partial<Record<HostSecretId, gcp.secretmanager.Secret>>;
  /** Full secret ids (projects/.../secrets/<name>) by host secret id. */
  readonly secretIds: Partial<Record<HostSecretId, pulumi.Output<string>>>;
  /**
   * What a host of each role reads at first boot, for it to wait on: the values of its secrets
   * and its grants to read them (not the other roles' secrets).
   */
  readonly bootNeeds: Partial<Record<Role, pulumi.Resource[]>>;

  constructor(name: string, args: GcpSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:Secrets", name, {}, opts);
    const child = childOptions(this, args);
    if (args.replicaLocations.length === 0) {
      throw new Error(`${name}: secrets need at least one replica location`);
    }

    this.secrets = {};
    this.secretIds = {};
    this.bootNeeds = {};
    const versions: Partial<Record<HostSecretId, gcp.secretmanager.SecretVersion>> = {};
    for (const spec of args.secrets) {
      const secret = new gcp.secretmanager.Secret(
        `${name}-${spec.id}`,
        {
          secretId: spec.name,
          labels: args.labels,
          replication: {
            userManaged: {
              replicas: [...new Set(args.replicaLocations)].map((location) => ({ location })),
            },
          },
        },
        child,
      );
      versions[spec.id] = new gcp.secretmanager.SecretVersion(
        `${name}-${spec.id}`,
        { secret: secret.id, secretData: pulumi.secret(spec.value) },
        child,
      );
      this.secrets[spec.id] = secret;
      this.secretIds[spec.id] = secret.id;
    }

    for (const reader of args.readers) {
      const needs: pulumi.Resource[] = [];
      this.bootNeeds[reader.role] = needs;
      for (const id of reader.secrets) {
        const secret = this.secrets[id];
        const version = versions[id];
        if (!secret || !version)
          throw new Error(`${name}: role ${reader.role} reads ${id}, which is not stored`);
        needs.push(version);
        const grant = new gcp.secretmanager.SecretIamMember(
          `${name}-${id}-${reader.role}`,
          {
            secretId: secret.id,
            role: "roles/secretmanager.secretAccessor",
            member: pulumi.interpolate`serviceAccount:${reader.email}`,
          },
          child,
        );
        needs.push(grant);
      }
    }

    this.registerOutputs({ secretIds: this.secretIds });
  }
}
