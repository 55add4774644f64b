import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CONSUL_AUTO_JOIN_PERMISSIONS,
  GcpServiceAccounts,
} from "../../components/gcp/service-accounts";
import { outputValue, type Program, project, runProgram } from "./harness";

describe("GcpServiceAccounts", () => {
  let program: Program;
  let emails: Record<string, string | undefined> = {};
  before(async () => {
    let accounts: GcpServiceAccounts | undefined;
    program = await runProgram((context) => {
      accounts = new GcpServiceAccounts("sa", {
        ...context,
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

  it("grants each account logging, metrics and the auto-join role, nothing broader", () => {
    const members = program.recorder.ofType("gcp:projects/iAMMember:IAMMember");
    const forNginx = members.filter((m) => m.inputs.member === `serviceAccount:${emails.nginx}`);
    assert.deepEqual(forNginx.map((m) => m.inputs.role).sort(), [
      `projects/${project}/roles/multicloud_uk_consul_auto_join`,
      "roles/logging.logWriter",
      "roles/monitoring.metricWriter",
    ]);
    assert.equal(members.length, 6);
    for (const member of members) {
      assert.equal(member.inputs.project, project);
      assert.doesNotMatch(String(member.inputs.role), /editor|owner|viewer|admin/);
    }
  });

  it("lets Consul list zones and instances, and no more", () => {
    const role = program.recorder.get(
      "gcp:projects/iAMCustomRole:IAMCustomRole",
      "sa-consul-auto-join",
    );
    assert.deepEqual(role.inputs.permissions, [...CONSUL_AUTO_JOIN_PERMISSIONS]);
    assert.deepEqual([...CONSUL_AUTO_JOIN_PERMISSIONS].sort(), [
      "compute.instances.list",
      "compute.zones.list",
    ]);
  });
});
