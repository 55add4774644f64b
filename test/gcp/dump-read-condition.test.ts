// The condition on a GCP rebuild's read of the lost off-site bucket: its text as the requirement
// gives it, and what it admits when Google's CEL implementation (cel-go) evaluates it on the
// requests Cloud Storage authorizes. How Cloud Storage names them to IAM:
// - an object read (objects.get, storage.objects.get) is on the object, resource type
//   storage.googleapis.com/Object, name projects/_/buckets/<bucket>/objects/<object> (IAM's
//   "Resource attributes for IAM Conditions": resource types and name formats of Cloud Storage);
// - a listing (objects.list, storage.objects.list) is on the bucket, storage.googleapis.com/Bucket,
//   projects/_/buckets/<bucket>, and carries the request's prefix as the API attribute
//   storage.googleapis.com/objectListPrefix, read with api.getAttribute(name, default).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dumpReadExpression } from "../../components/gcp/dump-read-condition";
import { type ConditionRequest, conditionAdmits } from "../support/cel";

const BUCKET = "example-uk-prod-uk-backups";

function read(object: string): ConditionRequest {
  return {
    resource: {
      name: `projects/_/buckets/${BUCKET}/objects/${object}`,
      type: "storage.googleapis.com/Object",
    },
  };
}

function list(prefix?: string): ConditionRequest {
  return {
    resource: { name: `projects/_/buckets/${BUCKET}`, type: "storage.googleapis.com/Bucket" },
    ...(prefix === undefined
      ? {}
      : { attributes: { "storage.googleapis.com/objectListPrefix": prefix } }),
  };
}

describe("the dump read condition", () => {
  it("reads objects under mysql/ of the bucket, or lists with a prefix under mysql/", () => {
    assert.equal(
      dumpReadExpression(BUCKET),
      'resource.name.startsWith("projects/_/buckets/example-uk-prod-uk-backups/objects/mysql/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("mysql/")',
    );
  });

  it("admits the restore's reads and listings (cel-go)", () => {
    const admitted = conditionAdmits(dumpReadExpression(BUCKET), [
      read("mysql/mysql-1/20261206T030000Z/SHA256SUMS"),
      read("mysql/mysql-1/20261206T030000Z/dump.sql.gz.0000"),
      list("mysql/"),
      list("mysql/mysql-1/"),
    ]);
    assert.deepEqual(admitted, [true, true, true, true]);
  });

  it("refuses the Consul snapshots, a listing without a prefix or outside mysql/ (cel-go)", () => {
    const admitted = conditionAdmits(dumpReadExpression(BUCKET), [
      read("consul/consul-1/20261206T030000Z.snap"),
      read("mysql"),
      read("mysqlx/dump"),
      list(),
      list(""),
      list("consul/"),
      list("mysql"),
    ]);
    assert.deepEqual(admitted, [false, false, false, false, false, false, false]);
  });

  it("keeps a name with quotes inside its literal (cel-go)", () => {
    // Unescaped, this name would close the literal and admit every bucket whose name starts "a".
    const odd = 'a") || resource.name.startsWith("';
    const admitted = conditionAdmits(dumpReadExpression(odd), [
      {
        resource: {
          name: "projects/_/buckets/another/objects/consul/consul-1/20261206T030000Z.snap",
          type: "storage.googleapis.com/Object",
        },
      },
    ]);
    assert.deepEqual(admitted, [false]);
  });
});
