// One service account per host role, each with one project role: a custom role with just what
// every host does on the project (write its logs and its signals' time series, list instances for
// Consul's cloud auto-join). One grant per account, not one per predefined role: the Google
// provider writes a project's IAM policy one change at a time. Secret access is granted per
// secret, next to the secrets (secrets.ts).
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import { dependsOnAll, type Waits } from "../sdk/waits";
import type { Role } from "../spec/hosts";
import { serviceAccountEmail, serviceAccountId } from "./host-settings";
import { childOptions, type GcpComponentArgs } from "./options";

/** What Consul's GCE auto-join calls: it lists the zones, then the instances with the join tag. */
export const CONSUL_AUTO_JOIN_PERMISSIONS: readonly string[] = [
  "compute.instances.list",
  "compute.zones.list",
];

/**
 * What hosts write to the project: log entries (entries.write asks for logging.logEntries.create
 * on the project) and the time series of their signals (projects.timeSeries.create; the metric
 * descriptors are the program's, so hosts need not create them). Of roles/logging.logWriter and
 * roles/monitoring.metricWriter, the two permissions hosts use.
 */
export const HOST_TELEMETRY_PERMISSIONS: readonly string[] = [
  "logging.logEntries.create",
  "monitoring.timeSeries.create",
];

/** Every permission the hosts' one project role holds. */
export const HOST_PROJECT_PERMISSIONS: readonly string[] = [
  ...HOST_TELEMETRY_PERMISSIONS,
  ...CONSUL_AUTO_JOIN_PERMISSIONS,
];

export interface GcpServiceAccountsArgs extends GcpComponentArgs {
  /** The GCP project id; project IAM bindings name it explicitly. */
  readonly project: string;
  /** The region's short id (uk): account ids are `<region>-<role>-host`. */
  readonly regionName: string;
  /** Roles that have hosts; each gets its own account. */
  readonly roles: readonly Role[];
  /**
   * What the project IAM grants wait for besides their account and role: the API the project's
   * IAM policy is written through (Resource Manager). `dependsOn` is what the accounts and the
   * role wait for (the IAM API).
   */
  readonly grantsDependOn?: Waits;
}

export class GcpServiceAccounts extends pulumi.ComponentResource {
  readonly accounts: Partial<Record<Role, gcp.serviceaccount.Account>>;
  /** Account e-mail per role, resolved once the account exists. */
  readonly emails: Partial<Record<Role, pulumi.Output<string>>>;
  /** The project role every host account holds. */
  readonly hostRole: gcp.projects.IAMCustomRole;

  constructor(name: string, args: GcpServiceAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:ServiceAccounts", name, {}, opts);
    const child = childOptions(this, args);
    const grant = {
      ...child,
      dependsOn: dependsOnAll(args.dependsOn, args.grantsDependOn),
    };

    this.hostRole = new gcp.projects.IAMCustomRole(
      `${name}-host`,
      {
        project: args.project,
        // Role ids allow no hyphens. A deleted custom role keeps its id for weeks, so the id is
        // fixed (the provider undeletes it) rather than generated.
        roleId: `multicloud_${args.regionName}_host`,
        title: `Hosts (${args.regionName})`,
        description:
          "Writes the hosts' logs and time series; lists zones and instances so that Consul " +
          "agents find their servers by tag",
        permissions: [...HOST_PROJECT_PERMISSIONS],
      },
      child,
    );

    // projects/<project>/roles/<id>, the form IAM bindings take for a project's custom role.
    const hostRoleName = pulumi.interpolate`projects/${args.project}/roles/${this.hostRole.roleId}`;

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

      new gcp.projects.IAMMember(
        `${name}-${role}-host`,
        {
          project: args.project,
          role: hostRoleName,
          member: pulumi.interpolate`serviceAccount:${email}`,
        },
        grant,
      );
    }

    this.registerOutputs({ emails: this.emails });
  }
}
