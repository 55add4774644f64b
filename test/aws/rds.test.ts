// RDS MySQL databases, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { Database, type DatabaseArgs } from "../../components/aws/rds";
import { installMocks } from "../support/mocks";
import {
  optionsOf,
  policyOf,
  runProgram,
  type SeenOptions,
  T,
  testProvider,
  usSpec,
} from "./harness";

const rec = installMocks("us");
let seen: SeenOptions[] = [];

function args(name: string, extra: Partial<DatabaseArgs> = {}): DatabaseArgs {
  const spec = usSpec();
  const database = spec.aws.rds.find((db) => db.name === name);
  assert.ok(database);
  return {
    spec,
    provider: testProvider(`${name}-aws`),
    account: { id: "123456789012", partition: "aws" },
    database,
    subnetIds: ["data-a", "data-b", "data-c"],
    securityGroupIds: ["sg-database"],
    ...extra,
  };
}

describe("Database", () => {
  before(async () => {
    seen = await runProgram(() => {
      new Database("accounts", args("accounts"), {});
      new Database(
        "restored",
        args("notifications", { restore: { snapshotIdentifier: "us-notifications-final" } }),
        {},
      );
      new Database(
        "pitr",
        args("notifications", {
          restore: {
            pointInTime: {
              sourceDbInstanceIdentifier: "us-notifications",
              useLatestRestorableTime: true,
            },
          },
        }),
        {},
      );
    });
  });

  it("makes a multi-AZ, encrypted, private, deletion-protected MySQL", () => {
    const db = rec.get(T.rds, "accounts-instance").inputs;
    assert.equal(db.identifier, "us-accounts");
    assert.equal(db.engine, "mysql");
    assert.equal(db.engineVersion, "8.4");
    assert.equal(db.instanceClass, "db.m7g.large");
    assert.equal(db.multiAz, true);
    assert.equal(db.storageEncrypted, true);
    assert.equal(db.kmsKeyId, "arn:aws:mock:::aws:kms/key:Key/accounts-key-key");
    assert.equal(db.publiclyAccessible, false);
    assert.equal(db.deletionProtection, true);
    assert.equal(db.skipFinalSnapshot, false);
    assert.equal(db.finalSnapshotIdentifier, "us-accounts-final");
    assert.equal(db.backupRetentionPeriod, 14);
    assert.equal(db.manageMasterUserPassword, true);
    assert.equal(db.password, undefined);
    assert.equal(db.iamDatabaseAuthenticationEnabled, true);
    assert.equal(db.copyTagsToSnapshot, true);
    assert.equal(db.autoMinorVersionUpgrade, true);
    assert.equal(db.storageType, "gp3");
    assert.equal(db.allocatedStorage, 100);
    assert.equal(db.maxAllocatedStorage, 500);
    assert.equal(db.performanceInsightsEnabled, true);
    assert.equal(db.performanceInsightsKmsKeyId, db.kmsKeyId);
    assert.equal(db.monitoringInterval, 60);
    assert.equal(db.monitoringRoleArn, "arn:aws:mock:::aws:iam/role:Role/accounts-monitoring");
    assert.deepEqual(db.enabledCloudwatchLogsExports, ["error", "slowquery"]);
    assert.deepEqual(db.vpcSecurityGroupIds, ["sg-database"]);
    assert.equal(db.username, "admin");
    assert.equal(db.dbName, "accounts");
  });

  it("is protected, and so is its key", () => {
    const opts = optionsOf(seen, T.rds, "accounts-instance");
    assert.equal(opts.protect, true);
    assert.deepEqual(opts.ignoreChanges, ["snapshotIdentifier", "restoreToPointInTime"]);
    assert.equal(optionsOf(seen, T.key, "accounts-key-key").protect, true);
    assert.equal(rec.get(T.key, "accounts-key-key").inputs.enableKeyRotation, true);
  });

  it("puts the database on the data subnets", () => {
    assert.deepEqual(rec.get(T.subnetGroup, "accounts-subnets").inputs.subnetIds, [
      "data-a",
      "data-b",
      "data-c",
    ]);
  });

  it("uses a replaceable parameter group of the engine's family", () => {
    const group = rec.get(T.parameterGroup, "accounts-params").inputs;
    assert.equal(group.family, "mysql8.4");
    assert.equal(group.namePrefix, "us-accounts-mysql84-");
    assert.equal(group.name, undefined);
    const params = group.parameters as { name: string; value: string }[];
    assert.ok(params.some((p) => p.name === "require_secure_transport" && p.value === "1"));
    const opts: pulumi.CustomResourceOptions = optionsOf(seen, T.parameterGroup, "accounts-params");
    assert.equal(opts.deleteBeforeReplace, false);
  });

  it("lets only RDS's monitoring service assume the monitoring role", () => {
    const trust = policyOf(rec.get(T.role, "accounts-monitoring").inputs.assumeRolePolicy);
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "monitoring.rds.amazonaws.com" });
    assert.equal(
      rec.get(T.attach, "accounts-monitoring").inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  it("restores from a snapshot, bringing the snapshot's master user", () => {
    const db = rec.get(T.rds, "restored-instance").inputs;
    assert.equal(db.snapshotIdentifier, "us-notifications-final");
    assert.equal(db.username, undefined);
    assert.equal(db.dbName, undefined);
    assert.equal(db.instanceClass, "db.t4g.medium");
  });

  it("restores to a point in time", () => {
    const db = rec.get(T.rds, "pitr-instance").inputs;
    assert.deepEqual(db.restoreToPointInTime, {
      sourceDbInstanceIdentifier: "us-notifications",
      useLatestRestorableTime: true,
    });
    assert.equal(db.snapshotIdentifier, undefined);
  });

  it("refuses a point in time with neither or both times", () => {
    for (const pointInTime of [
      { sourceDbInstanceIdentifier: "x" },
      {
        sourceDbInstanceIdentifier: "x",
        restoreTime: "2025-06-10T03:00:00Z",
        useLatestRestorableTime: true,
      },
    ]) {
      assert.throws(
        () => new Database("bad", args("accounts", { restore: { pointInTime } }), {}),
        /either restoreTime or useLatestRestorableTime/,
      );
    }
  });
});
