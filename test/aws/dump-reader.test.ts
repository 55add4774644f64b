// A rebuild's MySQL hosts read the lost region's dumps, and nothing more, under the mocks: the
// instance role of the mysql hosts may list under mysql/ and read mysql/* of the lost bucket and
// decrypt through S3 with its key; the hosts are told the bucket by an instance tag; no other
// role, and no host of a stack that is not a rebuild, gets any of it. On Sakura the same grants
// belong to an IAM user whose key is pushed to the MySQL hosts only. The actions are checked
// against botocore's S3 and KMS models.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OffsiteDumpReader } from "../../components/aws/offsite-reader";
import { AwsSite } from "../../components/aws/site";
import { sakuraRoleSecrets } from "../../components/sakura/site/role-secrets";
import { type Role, roles } from "../../components/spec/hosts";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { botocoreModel } from "../limits/references";
import { installMocks } from "../support/mocks";
import { policyOf, runProgram, T, usSpec } from "./harness";

const rec = installMocks("us");

const LOST_BUCKET = "multicloud-us-backups-20250601abcd";
const LOST_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** A rebuild of us in us-east-2, whose MySQL hosts load us's dumps (kept in us-east-1). */
const rebuild = usSpec((raw) => {
  raw.name = "usdr";
  raw.aws = {
    ...(raw.aws as object),
    region: "us-east-2",
    zones: ["us-east-2a", "us-east-2b", "us-east-2c"],
  };
  raw.dr = {
    backupLocation: "us-west-2",
    replaces: "us",
    restore: {
      mysqlDumps: { store: "s3", location: "us-east-1", fromStack: "us", primary: "mysql-1" },
    },
  };
});
const plain = usSpec();

const userData = Object.fromEntries(roles.map((role) => [role, "#cloud-config\n"])) as Record<
  Role,
  string
>;
const hostSecrets = Object.fromEntries(
  hostSecretIds.map((id) => [id, pulumi.secret(`value-of-${id}`)]),
) as Record<HostSecretId, pulumi.Output<string>>;

type Statement = Record<string, unknown>;
const READS = ["s3:ListBucket", "s3:GetObject", "kms:Decrypt"];
/** Reads and decryptions, apart from the host secrets' own decryption through Secrets Manager. */
const reads = (statements: Statement[]) =>
  statements.filter(
    (s) =>
      READS.includes(String(s.Action)) &&
      !JSON.stringify(s.Condition ?? {}).includes("secretsmanager."),
  );
const hostPolicy = (site: string, role: Role) =>
  policyOf(rec.get(T.rolePolicy, `${site}-iam-${role}-host`).inputs.policy).Statement;

/** The three statements the requirement names, on the lost bucket and key, as literals. */
const EXPECTED_READS: Statement[] = [
  {
    Sid: "ListLostRegionDumps",
    Effect: "Allow",
    Action: "s3:ListBucket",
    Resource: `arn:aws:s3:::${LOST_BUCKET}`,
    Condition: { StringLike: { "s3:prefix": ["mysql/*"] } },
  },
  {
    Sid: "ReadLostRegionDumps",
    Effect: "Allow",
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${LOST_BUCKET}/mysql/*`,
  },
  {
    Sid: "DecryptLostRegionDumps",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: LOST_KEY,
    Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
  },
];

describe("a rebuild's MySQL hosts read the lost region's dumps, and only they", () => {
  before(async () => {
    await runProgram(() => {
      const dnsProvider = new aws.Provider("dns", { region: "us-east-1" });
      const common = { publicZoneId: "Zexamplecom", dnsProvider, userData, hostSecrets };
      new AwsSite("usdr", {
        ...common,
        spec: rebuild,
        mysqlDumps: {
          location: "us-east-1",
          bucket: pulumi.output(LOST_BUCKET),
          keyArn: pulumi.output(LOST_KEY),
        },
      });
      new AwsSite("us", { ...common, spec: plain });
      new OffsiteDumpReader("jpdr-dump-reader", {
        region: "jpdr",
        dumps: {
          location: "us-east-1",
          bucket: pulumi.output(LOST_BUCKET),
          keyArn: pulumi.output(LOST_KEY),
        },
        provider: dnsProvider,
      });
    });
  });

  it("EC2: the mysql instance role lists under mysql/, reads mysql/* and decrypts through S3 there", () => {
    assert.deepEqual(reads(hostPolicy("usdr", "mysql")), EXPECTED_READS);
    // Its own dumps still ship to the rebuild's bucket.
    assert.ok(hostPolicy("usdr", "mysql").some((s) => s.Action === "s3:PutObject"));
  });

  it("EC2: no other role of the rebuild, and no role of a stack that is not a rebuild, reads them", () => {
    for (const role of roles.filter((r) => r !== "mysql")) {
      assert.deepEqual(reads(hostPolicy("usdr", role)), [], `usdr ${role}`);
    }
    for (const role of roles) assert.deepEqual(reads(hostPolicy("us", role)), [], `us ${role}`);
  });

  it("EC2: the mysql hosts alone are told the lost bucket, by the instance tag the tool reads", () => {
    for (const instance of rec.ofType(T.instance)) {
      const tags = instance.inputs.tags as Record<string, string>;
      const expected = instance.name.startsWith("usdr-fleet-mysql-") ? LOST_BUCKET : undefined;
      assert.equal(tags["multicloud-restore-bucket"], expected, instance.name);
    }
  });

  it("Sakura: an IAM user with the same three grants and nothing else, its key pushed to MySQL hosts only", () => {
    const policy = rec.get("aws:iam/userPolicy:UserPolicy", "jpdr-dump-reader-read").inputs;
    assert.deepEqual(policyOf(policy.policy).Statement, EXPECTED_READS);
    const pushed = sakuraRoleSecrets({
      signals: { "signals-access-key-id": "s", "signals-secret-access-key": "s" },
      restore: {
        "restore-bucket": "b",
        "restore-access-key-id": "k",
        "restore-secret-access-key": "x",
      },
    });
    for (const role of roles) {
      const ids = Object.keys(pushed[role] ?? {}).filter((id) => id.startsWith("restore-"));
      assert.deepEqual(
        ids.sort(),
        role === "mysql"
          ? ["restore-access-key-id", "restore-bucket", "restore-secret-access-key"]
          : [],
        role,
      );
    }
  });
});

describe("the read grants, against botocore's models", () => {
  const s3 = botocoreModel("s3");
  const actionsNamed = (operation: string) =>
    new Set(String(s3.operations[operation].documentation).match(/s3:[A-Za-z]+|kms:[A-Za-z]+/g));

  it("listing (ListObjectsV2, as the tool asks: list-type=2, prefix, delimiter) needs s3:ListBucket", () => {
    const list = s3.operations.ListObjectsV2;
    assert.equal(list.http.requestUri, "/{Bucket}?list-type=2");
    const members = s3.shapes[list.input.shape].members;
    assert.equal(members.Prefix.locationName, "prefix");
    assert.equal(members.Delimiter.locationName, "delimiter");
    assert.ok(actionsNamed("ListObjectsV2").has("s3:ListBucket"));
  });

  it("reading an object (GetObject) needs s3:GetObject, and kms:Decrypt for SSE-KMS objects", () => {
    assert.ok(actionsNamed("GetObject").has("s3:GetObject"));
    assert.ok(actionsNamed("GetObject").has("kms:Decrypt"));
    assert.ok(botocoreModel("kms").operations.Decrypt, "KMS has Decrypt");
  });
});
