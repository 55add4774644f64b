// The terraform-provider-aws facts read by hand: every AWS type the program uses is read, at one
// release, and turned into rules that cite the file and release they were read at.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AwsReadFile, awsResourceFacts } from "../../tools/references/aws-read-facts";
import facts from "../../tools/references/aws-read-facts.json";
import table from "../../tools/references/replace-on-change.json";
import sources from "../../tools/references/replace-sources.json";

const read = facts as AwsReadFile;
const types = table.types as Record<string, { rules: { input: string; at: string }[] }>;

describe("the AWS facts read from terraform-provider-aws", () => {
  it("cover every AWS type the program uses, none left unread, all at one release", () => {
    const upstreams = Object.values(sources.terraform)
      .filter((t) => t.source === "aws")
      .map((t) => t.upstream)
      .sort();
    assert.deepEqual(Object.keys(read.resources).sort(), upstreams);
    assert.deepEqual(table.sources.notRead.types, []);
    assert.equal(read.release, "v6.58.0");
    assert.equal(sources.sources.aws.release, read.release);
    for (const [name, resource] of Object.entries(read.resources)) {
      assert.match(resource.file, /^internal\/service\/[a-z0-9]+\/\w+\.go$/, name);
      assert.ok(resource.read.length > 0, `${name}: no function named as read`);
    }
  });

  it("global IAM and Route53 types have no region rule; regional ones are re-created in a new region", () => {
    const withoutRegion = Object.entries(types)
      .filter(
        ([token, entry]) =>
          token.startsWith("aws:") && !entry.rules.some((r) => r.input === "region"),
      )
      .map(([token]) => token)
      .sort();
    assert.deepEqual(withoutRegion, [
      "aws:iam/accessKey:AccessKey",
      "aws:iam/instanceProfile:InstanceProfile",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/user:User",
      "aws:iam/userPolicy:UserPolicy",
      "aws:route53/healthCheck:HealthCheck",
      "aws:route53/record:Record",
      "aws:route53/zone:Zone",
    ]);
  });

  it("turn a resource's facts into rules citing file@release, blocks as counts", () => {
    const sample: AwsReadFile = {
      module: "m",
      release: "v9.9.9",
      regionRule: { file: "sdk/region.go", frameworkFile: "fw/region.go", how: "region rule" },
      resources: {
        aws_x: {
          file: "internal/service/x/x.go",
          read: ["resourceX"],
          framework: true,
          regional: true,
          forceNew: [],
          requiresReplace: [["bucket"]],
          customizeDiff: [{ path: ["cidr_ipv4"], how: "ModifyPlan", kind: "block" }],
          conditional: [{ attribute: "a", how: "ForceNewIf", condition: "c" }],
        },
        aws_y: {
          file: "internal/service/y/y.go",
          read: ["resourceY"],
          regional: false,
          forceNew: [["name"], ["rule"], ["rule", "id"]],
          blocks: [["rule"]],
          conditional: [],
        },
      },
    };
    assert.deepEqual(awsResourceFacts(sample, "aws_x"), {
      name: "aws_x",
      file: "internal/service/x/x.go@v9.9.9",
      replace: [
        {
          path: ["bucket"],
          how: "RequiresReplace",
          kind: "value",
          file: "internal/service/x/x.go@v9.9.9",
          line: 0,
        },
        {
          path: ["cidr_ipv4"],
          how: "ModifyPlan",
          kind: "block",
          file: "internal/service/x/x.go@v9.9.9",
          line: 0,
        },
        {
          path: ["region"],
          how: "region rule",
          kind: "value",
          file: "fw/region.go@v9.9.9",
          line: 0,
        },
      ],
      conditional: [{ attribute: "a", how: "ForceNewIf", condition: "c" }],
    });
    assert.deepEqual(
      awsResourceFacts(sample, "aws_y")?.replace.map((f) => [f.path.join("."), f.how, f.kind]),
      [
        ["name", "ForceNew", "value"],
        ["rule", "ForceNew", "block"],
        ["rule.id", "ForceNew", "value"],
      ],
    );
    assert.equal(awsResourceFacts(sample, "aws_z"), undefined);
  });
});
