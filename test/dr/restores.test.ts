// What the host layer reads of a rebuild's dumps (mysqlDumpSource): the store, its region, the
// bucket (read from the lost stack's drBackups output, offline from its stack file's stand-ins)
// and the lost primary's prefix; one stack reference however many restores read that stack.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { databaseRestores, mysqlDumpSource } from "../../components/restores";
import type { RestoreSpec } from "../../components/spec/dr";
import { installMocks, resolveOutput, waitForRegistrations } from "../support/mocks";

const recorder = installMocks("jp-dr");

class Parent extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Parent", name, {});
  }
}

const restore = (mysqlDumps: RestoreSpec["mysqlDumps"]): RestoreSpec => ({
  rds: {},
  mysqlDisks: {},
  ...(mysqlDumps ? { mysqlDumps } : {}),
});

describe("mysqlDumpSource", () => {
  it("none without dumps to load", () => {
    assert.equal(mysqlDumpSource(restore(undefined), new Parent("none")), undefined);
  });

  it("a named bucket and key as they are", async () => {
    const source = mysqlDumpSource(
      restore({
        store: "s3",
        location: "ap-northeast-3",
        bucket: "jp-offsite-x1",
        keyArn: "arn:aws:kms:ap-northeast-3:123456789012:key/11111111-2222-4333-8444-555555555555",
        primary: "db01",
      }),
      new Parent("named"),
    );
    assert.equal(source?.location, "ap-northeast-3");
    assert.equal(await resolveOutput(source?.bucket ?? pulumi.output("")), "jp-offsite-x1");
    assert.equal(
      await resolveOutput(source?.keyArn ?? pulumi.output("")),
      "arn:aws:kms:ap-northeast-3:123456789012:key/11111111-2222-4333-8444-555555555555",
    );
  });

  it("the bucket from the lost stack's drBackups, through the one reference the RDS restores share", async () => {
    const parent = new Parent("referenced");
    const spec: RestoreSpec = {
      rds: { accounts: { pointInTime: { fromStack: "us", useLatestRestorableTime: true } } },
      mysqlDisks: {},
      mysqlDumps: { store: "s3", location: "us-east-1", fromStack: "us", primary: "mysql-1" },
    };
    databaseRestores(spec, parent);
    const source = mysqlDumpSource(spec, parent);
    // Offline, us's drBackups stand-ins come from Pulumi.us.yaml.
    assert.equal(await resolveOutput(source?.bucket ?? pulumi.output("")), "us-aws-offsite-bucket");
    const jp = mysqlDumpSource(
      restore({ store: "s3", location: "ap-northeast-3", fromStack: "jp", primary: "db01" }),
      parent,
    );
    assert.equal(await resolveOutput(jp?.bucket ?? pulumi.output("")), "jp-offsite-bucket");
    // The key that encrypts the lost bucket comes along: the readers are granted kms:Decrypt on it.
    assert.match(
      await resolveOutput(jp?.keyArn ?? pulumi.output("")),
      /^arn:aws:kms:ap-northeast-3:\d{12}:key\//,
    );
    await waitForRegistrations();
    const references = recorder
      .ofType("pulumi:pulumi:StackReference")
      .map((reference) => reference.name)
      .sort();
    assert.deepEqual(references, ["jp", "us"]);
  });
});
