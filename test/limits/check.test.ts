// Each class of limit refusing a value the cloud's API would refuse, on small hand-made plans,
// and accepting the value at the limit: sizes, name lengths and patterns, tags and labels
// (counted with the provider's defaults), counts per resource and across resources, enums, numbers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkPlanLimits,
  formatLimitViolations,
  type LimitViolation,
} from "../../tools/plan/limits";
import type { PlannedResource } from "../../tools/plan/plan";
import { plan, resource, urn } from "../delivery/plans";

const AWS_PROVIDER = urn("pulumi:providers:aws", "aws");
const GCP_PROVIDER = urn("pulumi:providers:gcp", "gcp");

function awsProvider(defaultTags: Record<string, string>): PlannedResource {
  return resource("pulumi:providers:aws", "aws", {
    urn: AWS_PROVIDER,
    inputs: { region: "us-west-2", defaultTags: JSON.stringify({ tags: defaultTags }) },
  });
}

function gcpProvider(defaultLabels: Record<string, string>): PlannedResource {
  return resource("pulumi:providers:gcp", "gcp", {
    urn: GCP_PROVIDER,
    inputs: { project: "p", defaultLabels: JSON.stringify(defaultLabels) },
  });
}

function refused(...resources: PlannedResource[]): LimitViolation[] {
  return checkPlanLimits(plan(...resources));
}

/** The ids of the limits a plan breaks, with the resource and input each names. */
function summary(violations: readonly LimitViolation[]): string[] {
  return violations.map((v) => `${v.limit.id} ${v.name} ${v.input}`);
}

const launchTemplate = (userData: string) =>
  resource("aws:ec2/launchTemplate:LaunchTemplate", "app-lt", {
    inputs: { instanceType: "m7i.large", userData },
  });

describe("limits of the clouds, one class at a time", () => {
  it("sizes: EC2 user data over 16,384 bytes before base64", () => {
    const atLimit = Buffer.alloc(16_384, 1).toString("base64");
    const over = Buffer.alloc(16_385, 1).toString("base64");
    assert.deepEqual(refused(launchTemplate(atLimit)), []);
    const [violation, ...others] = refused(launchTemplate(over));
    assert.equal(others.length, 0);
    assert.equal(violation?.limit.id, "ec2-user-data-size");
    assert.equal(violation?.input, "userData");
    assert.equal(violation?.problem, "16385 bytes, more than 16384");
    const instance = resource("aws:ec2/instance:Instance", "db-1", {
      inputs: { instanceType: "r7i.large", userDataBase64: over },
    });
    assert.deepEqual(summary(refused(instance)), [
      "ec2-instance-user-data-size db-1 userDataBase64",
    ]);
  });

  it("sizes: a GCE metadata value over 256 KiB, and all of them over 512 KB", () => {
    const vm = (metadata: Record<string, string>) =>
      resource("gcp:compute/instance:Instance", "vm", { inputs: { name: "vm-1", metadata } });
    assert.deepEqual(refused(vm({ "user-data": "x".repeat(262_144) })), []);
    assert.deepEqual(summary(refused(vm({ "user-data": "x".repeat(262_145) }))), [
      'gce-metadata-value-size vm metadata["user-data"]',
    ]);
    const two = { a: "x".repeat(262_144), b: "x".repeat(262_142) };
    assert.deepEqual(summary(refused(vm(two))), ["gce-metadata-total-size vm metadata"]);
  });

  it("names: a target group's auto-name over 32 characters", () => {
    const group = (name: string) =>
      resource("aws:lb/targetGroup:TargetGroup", name, { inputs: {} });
    // 24 + "-" + 7 random = 32.
    assert.deepEqual(refused(group("abcdefghij-front-nginx-x")), []);
    const [violation] = refused(group("abcdefghij-front-nginx-xy"));
    assert.equal(violation?.limit.id, "elb-target-group-name-length");
    assert.match(
      violation?.input ?? "",
      /^name \(auto-named: "abcdefghij-front-nginx-xy-" and 7 random characters\)$/,
    );
    assert.match(violation?.problem ?? "", /has 33 characters, more than 32/);
  });

  it("names: a name prefix that leaves no room for the provider's 26 characters", () => {
    const bucket = (bucketPrefix: string) =>
      resource("aws:s3/bucket:Bucket", "logs", { inputs: { bucketPrefix } });
    assert.deepEqual(refused(bucket("a".repeat(37))), []);
    assert.deepEqual(summary(refused(bucket("a".repeat(38)))), [
      "s3-bucket-name-length logs bucketPrefix (and 26 random characters)",
    ]);
  });

  it("names: characters an API refuses", () => {
    const role = resource("aws:iam/role:Role", "r", { inputs: { name: "app role" } });
    assert.deepEqual(summary(refused(role)), ["iam-role-name-characters r name"]);
    const firewall = resource("gcp:compute/firewall:Firewall", "fw", {
      inputs: { name: "Allow-SSH" },
    });
    assert.deepEqual(summary(refused(firewall)), ["compute-resource-name fw name"]);
    const alias = resource("aws:kms/alias:Alias", "a", { inputs: { name: "alias/aws/mine" } });
    assert.deepEqual(summary(refused(alias)), ["kms-alias-name-aws a name"]);
    const account = resource("gcp:serviceaccount/account:Account", "sa", {
      inputs: { accountId: "uk-app" },
    });
    assert.deepEqual(refused(account), []);
    const short = resource("gcp:serviceaccount/account:Account", "sa", {
      inputs: { accountId: "app" },
    });
    assert.deepEqual(summary(refused(short)), ["service-account-id-length sa accountId"]);
  });

  it("tags: more than 50 with the provider's default tags, a reserved aws: key", () => {
    const defaults = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`default-${i}`, "x"]));
    const tags = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag-${i}`, "x"]));
    const vpc = (count: number) =>
      resource("aws:ec2/vpc:Vpc", "vpc", { provider: AWS_PROVIDER, inputs: { tags: tags(count) } });
    assert.deepEqual(refused(awsProvider(defaults), vpc(45)), []);
    const [violation] = refused(awsProvider(defaults), vpc(46));
    assert.equal(violation?.limit.id, "aws-tag-count");
    assert.equal(violation?.problem, "51 items, more than 50");
    const reserved = resource("aws:s3/bucket:Bucket", "b", {
      inputs: { bucket: "my-bucket", tags: { "AWS:owner": "me" } },
    });
    assert.deepEqual(summary(refused(reserved)), ['aws-tag-key-reserved b tags key "AWS:owner"']);
  });

  it("labels: a key GCP refuses, and more than 64 with the provider's defaults", () => {
    const disk = (labels: Record<string, string>) =>
      resource("gcp:compute/disk:Disk", "d", {
        provider: GCP_PROVIDER,
        inputs: { name: "d-1", labels },
      });
    assert.deepEqual(summary(refused(gcpProvider({ owner: "sre" }), disk({ Owner: "sre" }))), [
      'gcp-label-key d labels key "Owner"',
    ]);
    assert.deepEqual(summary(refused(gcpProvider({}), disk({ owner: "SRE Team" }))), [
      'gcp-label-value d labels["owner"]',
    ]);
    const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`l${i}`, "x"]));
    assert.deepEqual(refused(gcpProvider({}), disk(many)), []);
    assert.deepEqual(summary(refused(gcpProvider({ owner: "sre" }), disk(many))), [
      "gcp-label-count d labels (with the provider's defaultLabels)",
    ]);
  });

  it("counts: more than 60 inbound rules on one security group; 11 ranges in a Cloud Armor rule", () => {
    const rules = (count: number, group: string) =>
      Array.from({ length: count }, (_, i) =>
        resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${group}-in-${i}`, {
          inputs: { securityGroupId: `${group}-id`, ipProtocol: "tcp", fromPort: i, toPort: i },
        }),
      );
    assert.deepEqual(refused(...rules(60, "sg-a"), ...rules(60, "sg-b")), []);
    const [violation, ...others] = refused(...rules(61, "sg-a"), ...rules(60, "sg-b"));
    assert.equal(others.length, 0);
    assert.equal(violation?.limit.id, "ec2-security-group-ingress-rules");
    assert.match(
      violation?.problem ?? "",
      /^61 resources share securityGroupId = "sg-a-id", more than 60$/,
    );
    const ranges = (count: number) => Array.from({ length: count }, (_, i) => `198.51.100.${i}/32`);
    const policy = (count: number) =>
      resource("gcp:compute/securityPolicy:SecurityPolicy", "armor", {
        inputs: {
          name: "armor",
          type: "CLOUD_ARMOR",
          rules: [{ priority: 1000, match: { config: { srcIpRanges: ranges(count) } } }],
        },
      });
    assert.deepEqual(refused(policy(10)), []);
    assert.deepEqual(summary(refused(policy(11))), [
      "cloud-armor-rule-ranges armor rules[0].match.config.srcIpRanges",
    ]);
  });

  it("enums: an instance type EC2 does not have; a TLS version GCP does not know", () => {
    const instance = (instanceType: string) =>
      resource("aws:ec2/instance:Instance", "h", { inputs: { instanceType } });
    assert.deepEqual(refused(instance("r7i.large")), []);
    // r7i starts at large: there is no r7i.medium.
    assert.deepEqual(summary(refused(instance("r7i.medium"))), [
      "ec2-instance-type h instanceType",
    ]);
    const tls = resource("gcp:compute/sSLPolicy:SSLPolicy", "tls", {
      inputs: { name: "tls", profile: "MODERN", minTlsVersion: "TLS_1_4" },
    });
    assert.deepEqual(summary(refused(tls)), ["ssl-policy-min-tls tls minTlsVersion"]);
  });

  it("numbers: an RDS backup retention over 35 days", () => {
    const db = (days: number) =>
      resource("aws:rds/instance:Instance", "db", {
        inputs: { identifier: "us-accounts", backupRetentionPeriod: days },
      });
    assert.deepEqual(refused(db(35)), []);
    assert.deepEqual(summary(refused(db(36))), ["rds-backup-retention db backupRetentionPeriod"]);
  });

  it("reports the resource, the input, the limit and its source on one line", () => {
    const text = formatLimitViolations(
      refused(launchTemplate(Buffer.alloc(20_000).toString("base64"))),
      1,
    );
    assert.equal(
      text,
      [
        "Limits: 1 value(s) the clouds' APIs would refuse:",
        '  app-lt (aws:ec2/launchTemplate:LaunchTemplate) userData: 20000 bytes, more than 16384; limit ec2-user-data-size: EC2 user data, bytes before base64 [botocore ec2 RequestLaunchTemplateData.UserData: "User data is limited to 16 KB."]',
      ].join("\n"),
    );
  });
});
