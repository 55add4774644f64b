// An IAM role and instance profile per host role, each allowed only what its hosts do: Session
// Manager (the one way in), listing instances for Consul's cloud auto-join, reading exactly the
// secrets its role needs, and (util, mysql) adding backups to the off-site bucket.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";
import { type HostSecretId, secretsForRole } from "../spec/secrets";
import type { AwsAccount } from "./account";
import { managedPolicyArn, serviceTrust } from "./policies";

export interface InstanceRolesArgs {
  spec: AwsRegionSpec;
  provider: aws.Provider;
  account: AwsAccount;
  /** Roles that have hosts; a role and profile is made for each. */
  roles: readonly Role[];
  /** ARNs of the host secrets, by id. */
  secretArns: Record<HostSecretId, pulumi.Input<string>>;
  /** The key those secrets are encrypted with. */
  secretsKeyArn: pulumi.Input<string>;
  /** Extra grants per role: shipping backups to the off-site bucket (util, mysql). */
  extraStatements?: Partial<Record<Role, aws.iam.PolicyStatement[]>>;
}

export interface InstanceRole {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly profileName: pulumi.Output<string>;
  readonly profileArn: pulumi.Output<string>;
  /** The role's permissions: hosts must not boot before these exist. */
  readonly grants: pulumi.Resource[];
}

/** The inline policy of a role's hosts. */
export function hostPolicy(
  spec: AwsRegionSpec,
  secretArns: readonly pulumi.Input<string>[],
  secretsKeyArn: pulumi.Input<string>,
  extra: readonly aws.iam.PolicyStatement[] = [],
): aws.iam.PolicyDocument {
  const statements: aws.iam.PolicyStatement[] = [
    {
      Sid: "ConsulCloudAutoJoin",
      Effect: "Allow",
      // DescribeInstances has no resource-level permissions: "*" is the only resource it takes.
      Action: "ec2:DescribeInstances",
      Resource: "*",
    },
  ];
  if (secretArns.length > 0) {
    statements.push(
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [...secretArns],
      },
      {
        Sid: "DecryptSecretsThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: secretsKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${spec.aws.region}.amazonaws.com` },
        },
      },
    );
  }
  return { Version: "2012-10-17", Statement: [...statements, ...extra] };
}

export class InstanceRoles extends pulumi.ComponentResource {
  public readonly byRole: Partial<Record<Role, InstanceRole>>;

  constructor(name: string, args: InstanceRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:InstanceRoles", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const byRole: Partial<Record<Role, InstanceRole>> = {};
    for (const role of args.roles) {
      const iamRole = new aws.iam.Role(
        `${name}-${role}`,
        {
          description: `${role} hosts of region ${spec.name}`,
          assumeRolePolicy: serviceTrust("ec2.amazonaws.com"),
          tags: { Name: `multicloud-${spec.name}-${role}`, role },
        },
        children,
      );
      const ssm = new aws.iam.RolePolicyAttachment(
        `${name}-${role}-ssm`,
        {
          role: iamRole.name,
          policyArn: managedPolicyArn(args.account, "AmazonSSMManagedInstanceCore"),
        },
        children,
      );
      const secrets = secretsForRole(role).map((id) => args.secretArns[id]);
      const hostGrants = new aws.iam.RolePolicy(
        `${name}-${role}-host`,
        {
          role: iamRole.name,
          policy: hostPolicy(spec, secrets, args.secretsKeyArn, args.extraStatements?.[role]),
        },
        children,
      );
      const profile = new aws.iam.InstanceProfile(
        `${name}-${role}`,
        { role: iamRole.name, tags: { Name: `multicloud-${spec.name}-${role}`, role } },
        children,
      );
      byRole[role] = {
        roleArn: iamRole.arn,
        roleName: iamRole.name,
        profileName: profile.name,
        profileArn: profile.arn,
        grants: [ssm, hostGrants],
      };
    }
    this.byRole = byRole;
    this.registerOutputs({});
  }

  public for(role: Role): InstanceRole {
    const found = this.byRole[role];
    if (!found) throw new Error(`no instance role for ${role}: the role has no hosts`);
    return found;
  }
}
