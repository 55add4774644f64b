// The whole program for the uk stack, under Pulumi's mocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { commonProgramTests, planOf, waitsFor } from "./run-stack";

/** The Secret Manager resources (`name Type`) a resource of the uk plan waits for. */
const secretsWaitedFor = (plan: Plan, name: string) => waitsFor(plan, name, "gcp:secretmanager/");

describe("program: uk", () => {
  commonProgramTests("uk");

  it("exports where its backups are: the off-site bucket, the data disks and their snapshots", async () => {
    const plan = await planOf("uk");
    assert.deepEqual(plan.outputs.drBackups, {
      cloud: "gcp",
      offsite: { location: "europe-west1", bucket: "example-uk-prod-uk-backups" },
      dataDisks: { "mysql-1": "uk-mysql-1-data", "mysql-2": "uk-mysql-2-data" },
      snapshotLocation: "europe-west1",
    });
  });

  it("starts a host only once its own role's secrets and grants exist, and nothing else waits", async () => {
    const plan = await planOf("uk");
    // A MySQL host reads the gossip key, its role's Consul token and certificate, and the
    // replication password: each secret's value and its grant to read it.
    assert.deepEqual(secretsWaitedFor(plan, "uk-gcp-hosts-mysql-1"), [
      "uk-gcp-secrets-consul-gossip-key SecretVersion",
      "uk-gcp-secrets-consul-gossip-key-mysql SecretIamMember",
      "uk-gcp-secrets-consul-tls-mysql SecretVersion",
      "uk-gcp-secrets-consul-tls-mysql-mysql SecretIamMember",
      "uk-gcp-secrets-consul-token-mysql SecretVersion",
      "uk-gcp-secrets-consul-token-mysql-mysql SecretIamMember",
      "uk-gcp-secrets-mysql-replication-password SecretVersion",
      "uk-gcp-secrets-mysql-replication-password-mysql SecretIamMember",
    ]);
    // The front's group starts its hosts; its template and health check start none.
    assert.deepEqual(secretsWaitedFor(plan, "uk-gcp-nginx-group"), [
      "uk-gcp-secrets-consul-gossip-key SecretVersion",
      "uk-gcp-secrets-consul-gossip-key-nginx SecretIamMember",
      "uk-gcp-secrets-consul-tls-nginx SecretVersion",
      "uk-gcp-secrets-consul-tls-nginx-nginx SecretIamMember",
      "uk-gcp-secrets-consul-token-nginx SecretVersion",
      "uk-gcp-secrets-consul-token-nginx-nginx SecretIamMember",
    ]);
    for (const name of [
      "uk-gcp-nginx-template",
      "uk-gcp-nginx-autoheal",
      "uk-gcp-hosts-mysql-1-address",
      "uk-gcp-hosts-mysql-1-data",
    ])
      assert.deepEqual(secretsWaitedFor(plan, name), [], `${name} waits for no secret`);
  });
});
