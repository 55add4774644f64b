// The EBS snapshot lookup an AWS rebuild makes for each MySQL volume it restores, and the instance
// tag it gives the host: the field it reads, checked against botocore's EC2 model and the
// provider's SDK; the offline answer, in the form the provider gives; the tag's key and value
// against what EC2 and its instance metadata service accept.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as aws from "@pulumi/aws";
import { answerInvoke } from "../../tools/plan/offline-answers";
import { botocoreModel, plainText } from "../limits/references";

const GET_SNAPSHOT = "aws:ebs/getSnapshot:getSnapshot";
/** RFC 3339 date-time (section 5.6). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// The fields the program reads from the lookup, as the provider's SDK types its result: this file
// does not compile if the provider stops returning one of them.
const READ: readonly (keyof aws.ebs.GetSnapshotResult)[] = ["startTime"];
const startTimeIsText: aws.ebs.GetSnapshotResult["startTime"] extends string ? true : never = true;

describe("the EBS snapshot lookup, against botocore's EC2 model", () => {
  const ec2 = botocoreModel("ec2");

  it("DescribeSnapshots takes snapshot ids and returns snapshots whose StartTime is a timestamp", () => {
    const operation = ec2.operations.DescribeSnapshots;
    assert.equal(
      ec2.shapes[operation.input.shape].members.SnapshotIds.shape,
      "SnapshotIdStringList",
    );
    const list = ec2.shapes[operation.output.shape].members.Snapshots;
    const snapshot = ec2.shapes[ec2.shapes[list.shape].member.shape];
    const start = snapshot.members.StartTime;
    assert.equal(plainText(start.documentation), "The time stamp when the snapshot was initiated.");
    assert.equal(ec2.shapes[start.shape].type, "timestamp");
    // EC2's query protocol writes timestamps as ISO 8601 text; nothing overrides it here.
    assert.equal(ec2.metadata.protocol, "ec2");
    assert.equal(ec2.shapes[start.shape].timestampFormat, undefined);
    assert.equal(startTimeIsText, true);
  });

  it("the offline answer gives the snapshot asked for, its start time as RFC 3339 text", () => {
    const answer = answerInvoke(GET_SNAPSHOT, { snapshotIds: ["snap-0123456789abcdef0"] });
    assert.equal(answer.snapshotId, "snap-0123456789abcdef0");
    for (const name of READ) assert.equal(typeof answer[name], "string", name);
    assert.match(String(answer.startTime), RFC3339);
    assert.equal(answer.startTime, "2025-06-10T10:00:07Z");
    assert.throws(() => answerInvoke(GET_SNAPSHOT, {}), /expected one snapshot id/);
  });
});

describe("the recovery point tag, against what EC2 accepts", () => {
  const ec2 = botocoreModel("ec2");
  const KEY = "multicloud-recovery-point";
  // The longest value: the time, then the longest EBS snapshot id.
  const VALUE = "2025-06-10T10:00:07Z snap-0123456789abcdef0";

  it("EC2 takes a tag value of up to 256 characters; this one has 43", () => {
    const value = plainText(ec2.shapes.Tag.members.Value.documentation);
    assert.match(value, /accept a maximum of 256 Unicode characters/);
    assert.equal(VALUE.length, 43);
  });

  it("its characters are within every AWS tag pattern: letters, digits, spaces and _ . : / = + - @", () => {
    // The strictest pattern AWS documents for tags (EC2's own model sets none on the value).
    assert.match(VALUE, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
  });

  it("its key is one the instance metadata service can show: letters, digits and + - = . , _ : @", () => {
    const key = plainText(ec2.shapes.Tag.members.Key.documentation);
    assert.match(key, /accept a maximum of 127 Unicode characters/);
    assert.ok(KEY.length <= 127);
    // EC2 User Guide, "View tags for your EC2 instances using instance metadata".
    assert.match(KEY, /^[A-Za-z0-9+\-=.,_:@]+$/);
    assert.ok(![".", "..", "_index"].includes(KEY));
  });
});
