// One service account per host role, with only the project roles every host needs: write logs and
// metrics, and list instances for Consul's cloud auto-join (a custom role with just that).
// Secret access is granted per secret, next to the secrets (secrets.ts).
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Role } from "../spec/hosts";
import { serviceAccountEmail, serviceAccountId } from "./host-settings";
import { childOptions, type GcpComponentArgs } from "./options";

/** What Consul's GCE auto-join calls: it lists the zones, then the instances with the join tag. */
export const CONSUL_AUTO_JOIN_PERMISSIONS: readonly string[] = [
  "compute.instances.list",
  "compute.zones.list",
];

/** Predefined roles every host holds on the project. */
export const HOST_PROJECT_ROLES: readonly string[] = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
];

export interface GcpServiceAccountsArgs extends GcpComponentArgs {
  /** The GCP project id; project IAM bindings name it explicitly. */
  readonly project: string;
  /** The region's short id (uk): account ids are `<region>-<role>-host`. */
  readonly regionName: string;
  /** Roles that have hosts; each gets its own account. */
  readonly roles: readonly Role[];
}

export class GcpServiceAccounts extends pulumi.ComponentResource {
  readonly accounts: Partial<Record<Role, gcp.serviceaccount.Account>>;
  /** Account e-mail per role, resolved once the account exists. */
  readonly emails: Partial<Record<Role, pulumi.Output<string>>>;
  readonly consulJoinRole: gcp.projects.IAMCustomRole;

  constructor(name: string, args: GcpServiceAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:ServiceAccounts", name, {}, opts);
    const child = childOptions(this, args);

    this.consulJoinRole = new gcp.projects.IAMCustomRole(
      `${name}-consul-auto-join`,
      {
        project: args.project,
        // Role ids allow no hyphens. A deleted custom role keeps its id for weeks, so the id is
        // fixed (the provider undeletes it) rather than generated.
        roleId: `multicloud_${args.regionName}_consul_auto_join`,
        title: `Consul auto-join (${args.regionName})`,
        description: "Lists zones and instances so that Consul agents find their servers by tag",
        permissions: [...CONSUL_AUTO_JOIN_PERMISSIONS],
      },
      child,
    );

    // projects/<project>/roles/<id>, the form IAM bindings take for a project's custom role.
    const consulJoinRoleName = pulumi.interpolate`projects/${args.project}/roles/${this.consulJoinRole.roleId}`;

    this.accounts = {};
    this.emails = {};
    for (const role of args.roles) {
      const accountId = serviceAccountId(args.regionName, role);
      const account = new gcp.serviceaccount.Account(
        `${name}-${role}`,
        {
          project: args.project,
          accountId,
          displayName: `${role} hosts (${args.regionName})`,
          description: `Runs the ${role} hosts of region ${args.regionName}`,
        },
        child,
      );
      // The e-mail follows from the id; deriving it from the account's own output keeps every
      // user of it waiting for the account.
      const email = account.accountId.apply((id) => serviceAccountEmail(id, args.project));
      this.accounts[role] = account;
      this.emails[role] = email;

      const member = pulumi.interpolate`serviceAccount:${email}`;
      for (const projectRole of HOST_PROJECT_ROLES) {
        const short = projectRole.replace(/^roles\//, "").replace(/\./g, "-");
        new gcp.projects.IAMMember(
          `${name}-${role}-${short}`,
          { project: args.project, role: projectRole, member },
          child,
        );
      }
      new gcp.projects.IAMMember(
        `${name}-${role}-consul-auto-join`,
        { project: args.project, role: consulJoinRoleName, member },
        child,
      );
    }

    this.registerOutputs({ emails: this.emails });
  }
}
