import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as gcp from "@pulumi/gcp";
import { GcpServiceAccounts } from "../../components/gcp/service-accounts";
import { atPath, discoveryDocument, type Json } from "../limits/references";
import type { RecordedResource } from "../support/mocks";
import { outputValue, type Program, project, runProgram } from "./harness";

/** What every host does on the project: logs, its signals' time series, Consul's auto-join. */
const HOST_PERMISSIONS = [
  "compute.instances.list",
  "compute.zones.list",
  "logging.logEntries.create",
  "monitoring.timeSeries.create",
];

describe("GcpServiceAccounts", () => {
  let program: Program;
  let emails: Record<string, string | undefined> = {};
  before(async () => {
    let accounts: GcpServiceAccounts | undefined;
    program = await runProgram((context) => {
      // Stand-ins for the enabled APIs the site passes.
      const api = (service: string) =>
        new gcp.projects.Service(service, { project, service }, { provider: context.provider });
      accounts = new GcpServiceAccounts("sa", {
        ...context,
        dependsOn: [api("iam.googleapis.com")],
        grantsDependOn: [api("cloudresourcemanager.googleapis.com")],
        project,
        regionName: "uk",
        roles: ["nginx", "mysql"],
      });
    });
    if (!accounts) throw new Error("not built");
    emails = {
      nginx: await outputValue(accounts.emails.nginx),
      mysql: await outputValue(accounts.emails.mysql),
    };
  });

  it("gives each role its own account", () => {
    const accounts = program.recorder.ofType("gcp:serviceaccount/account:Account");
    assert.deepEqual(accounts.map((a) => a.inputs.accountId).sort(), [
      "uk-mysql-host",
      "uk-nginx-host",
    ]);
    assert.equal(emails.nginx, `uk-nginx-host@${project}.iam.gserviceaccount.com`);
    assert.equal(emails.mysql, `uk-mysql-host@${project}.iam.gserviceaccount.com`);
  });

  it("grants each account one project role, the hosts' custom role, nothing broader", () => {
    const members = program.recorder.ofType("gcp:projects/iAMMember:IAMMember");
    // One project IAM write per account: the provider makes them one at a time.
    assert.deepEqual(members.map((m) => [m.inputs.member, m.inputs.role]).sort(), [
      [`serviceAccount:${emails.mysql}`, `projects/${project}/roles/multicloud_uk_host`],
      [`serviceAccount:${emails.nginx}`, `projects/${project}/roles/multicloud_uk_host`],
    ]);
    for (const member of members) assert.equal(member.inputs.project, project);
  });

  it("creates accounts and the role after the IAM API, grants after Resource Manager's too", () => {
    const waits = (resource: RecordedResource) => [...program.optionsOf(resource).dependsOn].sort();
    const created = [
      ...program.recorder.ofType("gcp:serviceaccount/account:Account"),
      ...program.recorder.ofType("gcp:projects/iAMCustomRole:IAMCustomRole"),
    ];
    assert.equal(created.length, 3);
    for (const resource of created) assert.deepEqual(waits(resource), ["iam.googleapis.com"]);
    const grants = program.recorder.ofType("gcp:projects/iAMMember:IAMMember");
    assert.equal(grants.length, 2);
    for (const grant of grants)
      assert.deepEqual(waits(grant), ["cloudresourcemanager.googleapis.com", "iam.googleapis.com"]);
  });

  it("lets hosts write logs and time series and list zones and instances, and no more", () => {
    const role = program.recorder.get("gcp:projects/iAMCustomRole:IAMCustomRole", "sa-host");
    assert.equal(role.inputs.roleId, "multicloud_uk_host");
    assert.equal(role.inputs.project, project);
    assert.deepEqual([...(role.inputs.permissions as string[])].sort(), HOST_PERMISSIONS);
  });

  it("holds the permissions the APIs hosts call ask for, per Google's discovery documents", () => {
    // Hosts write log entries (entries.write) and post their signals (timeSeries.create).
    const write: Json = atPath(discoveryDocument("logging.v2"), "resources.entries.methods.write");
    const logging = JSON.stringify(discoveryDocument("logging.v2").schemas?.WriteLogEntriesRequest);
    assert.match(logging, /permission logging\.logEntries\.create is needed on each project/);
    assert.equal(write?.id, "logging.entries.write");
    const series: Json = atPath(
      discoveryDocument("monitoring.v3"),
      "resources.projects.resources.timeSeries.methods.create",
    );
    assert.equal(series?.id, "monitoring.projects.timeSeries.create");
    assert.equal(series?.path, "v3/{+name}/timeSeries");
    // Consul's auto-join lists zones, then the instances of each.
    const compute = discoveryDocument("compute.v1");
    assert.equal(atPath(compute, "resources.zones.methods.list")?.id, "compute.zones.list");
    assert.equal(atPath(compute, "resources.instances.methods.list")?.id, "compute.instances.list");
  });
});
