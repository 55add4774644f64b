import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GcpSecrets } from "../../components/gcp/secrets";
import { type Program, runProgram, secretInput } from "./harness";

const gossip = "gossip-key-value-7f3a";
const token = "agent-token-value-91bc";

describe("GcpSecrets", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpSecrets("secrets", {
        ...context,
        secrets: [
          { id: "consul-gossip-key", name: "multicloud-uk-consul-gossip-key", value: gossip },
          {
            id: "consul-token-util",
            name: "multicloud-uk-consul-token-util",
            value: pulumi.secret(token),
          },
        ],
        replicaLocations: ["europe-west2", "europe-west1", "europe-west2"],
        readers: [
          {
            role: "nginx",
            email: "nginx@p.iam.gserviceaccount.com",
            secrets: ["consul-gossip-key"],
          },
          {
            role: "util",
            email: "util@p.iam.gserviceaccount.com",
            secrets: ["consul-gossip-key", "consul-token-util"],
          },
        ],
      });
    });
  });

  it("stores each secret under its name, replicated only to the named regions", () => {
    const secrets = program.recorder.ofType("gcp:secretmanager/secret:Secret");
    assert.deepEqual(secrets.map((s) => s.inputs.secretId).sort(), [
      "multicloud-uk-consul-gossip-key",
      "multicloud-uk-consul-token-util",
    ]);
    for (const secret of secrets) {
      assert.deepEqual(secret.inputs.replication, {
        userManaged: { replicas: [{ location: "europe-west2" }, { location: "europe-west1" }] },
      });
    }
  });

  it("stores each value as a version of its secret, marked secret even when given in plain text", () => {
    const versions = program.recorder.ofType("gcp:secretmanager/secretVersion:SecretVersion");
    assert.deepEqual(
      versions.map((v) => [v.inputs.secret, secretInput(v.inputs.secretData)]).sort(),
      [
        ["secrets-consul-gossip-key-id", gossip],
        ["secrets-consul-token-util-id", token],
      ],
    );
  });

  it("lets each role read exactly the secrets it is given", () => {
    const grants = program.recorder.ofType("gcp:secretmanager/secretIamMember:SecretIamMember");
    const pairs = grants.map((g) => `${g.inputs.member} ${g.inputs.secretId}`).sort();
    assert.deepEqual(pairs, [
      "serviceAccount:nginx@p.iam.gserviceaccount.com secrets-consul-gossip-key-id",
      "serviceAccount:util@p.iam.gserviceaccount.com secrets-consul-gossip-key-id",
      "serviceAccount:util@p.iam.gserviceaccount.com secrets-consul-token-util-id",
    ]);
    for (const grant of grants)
      assert.equal(grant.inputs.role, "roles/secretmanager.secretAccessor");
  });
});
