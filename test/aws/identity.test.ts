// Host secrets in Secrets Manager and the instance roles that may read them, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { InstanceRoles } from "../../components/aws/instance-roles";
import { HostSecrets } from "../../components/aws/secrets";
import {
  type HostSecretId,
  hostSecretIds,
  secretName,
  secretsForRole,
} from "../../components/spec/secrets";
import { installMocks } from "../support/mocks";
import { isSecret, named, policyOf, runProgram, T, testProvider, usSpec } from "./harness";

const rec = installMocks("us");

describe("HostSecrets and InstanceRoles", () => {
  before(async () => {
    await runProgram(() => {
      const spec = usSpec();
      const provider = testProvider();
      const secrets = new HostSecrets(
        "hs",
        {
          spec,
          provider,
          // Plain values: the component makes them secret all the same.
          values: Object.fromEntries(hostSecretIds.map((id) => [id, `${id}-value`])) as Record<
            HostSecretId,
            string
          >,
        },
        {},
      );
      new InstanceRoles(
        "ir",
        {
          spec,
          provider,
          account: { id: "123456789012", partition: "aws" },
          roles: ["app", "util"],
          secretArns: secrets.arns,
          secretsKeyArn: secrets.keyArn,
        },
        {},
      );
    });
  });

  it("stores each host secret under its agreed name, encrypted, with a recovery window", () => {
    const stored = named(rec, T.secret, "hs-");
    assert.deepEqual(
      stored.map((s) => s.inputs.name).sort(),
      hostSecretIds.map((id) => secretName(usSpec(), id)).sort(),
    );
    assert.ok(stored.some((s) => s.inputs.name === "multicloud-us-consul-gossip-key"));
    for (const secret of stored) {
      assert.equal(secret.inputs.kmsKeyId, "arn:aws:mock:::aws:kms/key:Key/hs-key-key");
      assert.equal(secret.inputs.recoveryWindowInDays, 30);
    }
  });

  it("keeps the values secret", () => {
    const versions = named(rec, T.secretVersion, "hs-");
    assert.equal(versions.length, hostSecretIds.length);
    for (const version of versions) assert.ok(isSecret(version.inputs.secretString), version.name);
  });

  it("makes a role and profile per role with hosts, trusted by EC2 only", () => {
    assert.deepEqual(
      named(rec, T.role, "ir-")
        .map((r) => r.name)
        .sort(),
      ["ir-app", "ir-util"],
    );
    assert.deepEqual(
      named(rec, T.profile, "ir-")
        .map((r) => r.name)
        .sort(),
      ["ir-app", "ir-util"],
    );
    const trust = policyOf(rec.get(T.role, "ir-app").inputs.assumeRolePolicy);
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "ec2.amazonaws.com" });
  });

  it("allows Session Manager, instance listing and exactly the role's secrets", () => {
    assert.equal(
      rec.get(T.attach, "ir-app-ssm").inputs.policyArn,
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    assert.equal(named(rec, T.attach, "ir-app").length, 1);
    const policy = policyOf(rec.get(T.rolePolicy, "ir-app-host").inputs.policy);
    const actions = policy.Statement.map((s) => s.Action);
    assert.deepEqual(actions, [
      "ec2:DescribeInstances",
      "secretsmanager:GetSecretValue",
      "kms:Decrypt",
    ]);
    const read = policy.Statement.find((s) => s.Action === "secretsmanager:GetSecretValue");
    assert.deepEqual(
      read?.Resource,
      secretsForRole("app").map((id) => `arn:aws:mock:::aws:secretsmanager/secret:Secret/hs-${id}`),
    );
    const decrypt = policy.Statement.find((s) => s.Action === "kms:Decrypt");
    assert.equal(decrypt?.Resource, "arn:aws:mock:::aws:kms/key:Key/hs-key-key");
    assert.deepEqual(decrypt?.Condition, {
      StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" },
    });
    for (const statement of policy.Statement) {
      assert.ok(!String(statement.Action).includes("*"), "no wildcard actions");
    }
  });
});
