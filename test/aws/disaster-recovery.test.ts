// Disaster recovery on AWS, under the mocks: backups in another region before anything happens
// (RDS automated backups replicated there, the off-site bucket hosts ship to), failover records
// for the front, a rebuild that restores its databases, and the Sakura uploader's write-only key.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OffsiteWriter } from "../../components/aws/offsite-writer";
import { restoreInputs } from "../../components/aws/rds";
import { AwsSite } from "../../components/aws/site";
import { type Role, roles } from "../../components/spec/hosts";
import { parseRegionSpec } from "../../components/spec/load";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { installMocks } from "../support/mocks";
import { rawRegion } from "../support/stacks";
import { isSecret, optionsOf, policyOf, runProgram, type SeenOptions, T, usSpec } from "./harness";

const rec = installMocks("us");
let seen: SeenOptions[] = [];
let writer: OffsiteWriter | undefined;

const REPLICATED = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-l2ijcexjp7xq7hoj4siexample";
/** The us region with failover on, as the primary. */
const primary = usSpec((raw) => {
  (raw.front as Record<string, unknown>).failover = { role: "primary", healthCheckPath: "/deep" };
});
/** A rebuild of us in us-east-1: secondary front, databases and MySQL volumes restored. */
const rebuild = usSpec((raw) => {
  raw.name = "usdr";
  raw.aws = {
    ...(raw.aws as object),
    region: "us-east-1",
    zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  };
  (raw.front as Record<string, unknown>).failover = { role: "secondary" };
  raw.dr = {
    backupLocation: "us-west-2",
    replaces: "us",
    restore: {
      rds: {
        accounts: {
          pointInTime: {
            sourceDbInstanceAutomatedBackupsArn: REPLICATED,
            restoreTime: "2025-06-10T03:00:00Z",
          },
        },
        notifications: { snapshotIdentifier: "us-notifications-final" },
      },
      mysqlDisks: {
        "mysql-1": { snapshot: "snap-0123456789abcdef0" },
        "mysql-2": { snapshot: "snap-0fedcba9876543210" },
      },
    },
  };
});

const userData = Object.fromEntries(
  roles.map((role) => [role, `#cloud-config\nhostname: ${role}\n`]),
) as Record<Role, string>;
const hostSecrets = Object.fromEntries(
  hostSecretIds.map((id) => [id, pulumi.secret(`value-of-${id}`)]),
) as Record<HostSecretId, pulumi.Output<string>>;

const byName = (type: string, name: string) => rec.get(type, name).inputs;

describe("disaster recovery on AWS", () => {
  before(async () => {
    seen = await runProgram(() => {
      const dnsProvider = new aws.Provider("dns", { region: "us-east-1" });
      new AwsSite("us", {
        spec: primary,
        publicZoneId: "Zexamplecom",
        dnsProvider,
        userData,
        hostSecrets,
      });
      const restore = rebuild.dr.restore;
      assert.ok(restore);
      new AwsSite("usdr", {
        spec: rebuild,
        publicZoneId: "Zexamplecom",
        dnsProvider,
        userData,
        hostSecrets,
        databaseRestores: {
          accounts: {
            pointInTime: {
              sourceDbInstanceAutomatedBackupsArn: REPLICATED,
              restoreTime: "2025-06-10T03:00:00Z",
            },
          },
          notifications: { snapshotIdentifier: "us-notifications-final" },
        },
        dataSnapshots: {
          "mysql-1": "snap-0123456789abcdef0",
          "mysql-2": "snap-0fedcba9876543210",
        },
      });
      const jp = parseRegionSpec(rawRegion("jp"), "Pulumi.jp.yaml");
      writer = new OffsiteWriter("jp-offsite", {
        spec: jp,
        awsRegion: "ap-northeast-3",
        prefixes: ["consul", "mysql"],
      });
    });
  });

  it("replicates each database's automated backups into the backup region, encrypted there, protected", () => {
    const backupProvider = rec.get(T.provider, "us-backups-aws").inputs;
    assert.equal(backupProvider.region, "us-east-1");
    for (const db of ["accounts", "notifications"]) {
      const type =
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
      const name = `us-db-${db}-backups-replication`;
      const replication = rec.get(type, name);
      assert.equal(
        replication.inputs.sourceDbInstanceArn,
        `arn:aws:mock:::${T.rds}/us-db-${db}-instance`,
      );
      assert.equal(replication.inputs.kmsKeyId, `arn:aws:mock:::${T.key}/us-backups-key-key`);
      assert.equal(replication.inputs.retentionPeriod, primary.dr.backupRetentionDays);
      assert.match(replication.provider ?? "", /::us-backups-aws::/);
      assert.equal(optionsOf(seen, type, name).protect, true);
    }
    const key = rec.get(T.key, "us-backups-key-key");
    assert.match(key.provider ?? "", /::us-backups-aws::/);
    assert.equal(optionsOf(seen, T.key, "us-backups-key-key").protect, true);
  });

  it("keeps an off-site bucket there: private, versioned, KMS-encrypted, TLS only, emptied after retention", () => {
    const bucket = rec.get(T.bucket, "us-offsite-bucket");
    assert.match(bucket.provider ?? "", /::us-backups-aws::/);
    assert.equal(bucket.inputs.forceDestroy, false);
    assert.equal(optionsOf(seen, T.bucket, "us-offsite-bucket").protect, true);
    const block = byName(T.publicAccess, "us-offsite-public-access");
    for (const flag of [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
    ])
      assert.equal(block[flag], true, flag);
    const versioning = byName("aws:s3/bucketVersioning:BucketVersioning", "us-offsite-versioning");
    assert.deepEqual(versioning.versioningConfiguration, { status: "Enabled" });
    const [rule] = byName(T.encryption, "us-offsite-encryption").rules as Record<string, unknown>[];
    assert.deepEqual(rule?.applyServerSideEncryptionByDefault, {
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: `arn:aws:mock:::${T.key}/us-backups-key-key`,
    });
    const [expire] = byName(T.lifecycle, "us-offsite-lifecycle").rules as Record<string, unknown>[];
    assert.deepEqual(expire?.expiration, { days: 14 });
    assert.deepEqual(expire?.noncurrentVersionExpiration, { noncurrentDays: 14 });
    const policy = policyOf(byName(T.bucketPolicy, "us-offsite-policy").policy);
    assert.equal(policy.Statement[0]?.Sid, "DenyInsecureTransport");
  });

  it("lets util hosts add Consul snapshots and mysql hosts add dumps, each under its prefix only", () => {
    const bucketArn = `arn:aws:mock:::${T.bucket}/us-offsite-bucket`;
    for (const role of roles) {
      const policy = policyOf(byName(T.rolePolicy, `us-iam-${role}-host`).policy);
      const puts = policy.Statement.filter((s) => s.Action === "s3:PutObject");
      const prefix = { util: "consul", mysql: "mysql" }[role as string];
      if (!prefix) {
        assert.deepEqual(puts, [], `${role} ships nothing`);
        continue;
      }
      assert.deepEqual(
        puts.map((s) => s.Resource),
        [`${bucketArn}/${prefix}/*`],
        role,
      );
      const encrypt = policy.Statement.find((s) => s.Action === "kms:GenerateDataKey");
      assert.deepEqual(encrypt?.Condition, {
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      });
      assert.ok(
        policy.Statement.every((s) => !String(s.Action).match(/s3:(Get|List|Delete)/)),
        `${role} may not read, list or delete`,
      );
    }
    for (const host of ["util-1", "mysql-2"]) {
      const tags = byName(T.instance, `us-fleet-${host}-instance`).tags as Record<string, string>;
      assert.equal(tags["multicloud-backup-bucket"], "us-offsite-bucket-id", host);
    }
    const cache = byName(T.instance, "us-fleet-memcached-1-instance").tags as Record<
      string,
      string
    >;
    assert.equal(cache["multicloud-backup-bucket"], undefined);
  });

  it("primary: failover records with an HTTPS health check on the load balancer itself", () => {
    const check = rec.get(T.healthCheck, "us-front-failover-health");
    assert.match(check.provider ?? "", /::dns::/);
    assert.equal(check.inputs.type, "HTTPS");
    assert.equal(check.inputs.fqdn, "us-front-alb.mock.invalid");
    assert.equal(check.inputs.resourcePath, "/deep");
    assert.equal(check.inputs.port, 443);
    assert.equal(check.inputs.enableSni, true);
    for (const key of ["apex", "www"]) {
      const name = `us-front-${key}-a`;
      const record = byName(T.record, name);
      assert.equal(record.setIdentifier, "us-primary");
      assert.deepEqual(record.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
      assert.equal(record.healthCheckId, "us-front-failover-health-id");
      assert.deepEqual(record.aliases, [
        { name: "us-front-alb.mock.invalid", zoneId: "ZUSFRONTALB", evaluateTargetHealth: true },
      ]);
      const options = optionsOf(seen, T.record, name) as pulumi.CustomResourceOptions;
      assert.equal(options.deleteBeforeReplace, true);
    }
  });

  it("secondary: failover records of the rebuild in the same zone, no health check of its own", () => {
    assert.throws(() => rec.get(T.healthCheck, "usdr-front-failover-health"));
    const record = byName(T.record, "usdr-front-apex-a");
    assert.equal(record.zoneId, "Zexamplecom");
    assert.equal(record.name, "example.com");
    assert.equal(record.setIdentifier, "usdr-secondary");
    assert.deepEqual(record.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
    assert.equal(record.healthCheckId, undefined);
  });

  it("the rebuild restores each database as asked and ignores the source afterwards", () => {
    const accounts = byName(T.rds, "usdr-db-accounts-instance");
    assert.deepEqual(accounts.restoreToPointInTime, {
      sourceDbInstanceAutomatedBackupsArn: REPLICATED,
      restoreTime: "2025-06-10T03:00:00Z",
    });
    assert.equal(accounts.username, undefined, "a restored database brings its own master user");
    const notifications = byName(T.rds, "usdr-db-notifications-instance");
    assert.equal(notifications.snapshotIdentifier, "us-notifications-final");
    assert.ok(
      optionsOf(seen, T.rds, "usdr-db-accounts-instance").ignoreChanges?.includes(
        "restoreToPointInTime",
      ),
    );
    const volume = byName(T.volume, "usdr-fleet-mysql-1-data");
    assert.equal(volume.snapshotId, "snap-0123456789abcdef0");
    assert.ok(
      optionsOf(seen, T.volume, "usdr-fleet-mysql-1-data").ignoreChanges?.includes("snapshotId"),
    );
    assert.equal(byName(T.volume, "usdr-fleet-mysql-2-data").snapshotId, "snap-0fedcba9876543210");
    // Its own backups go back to the original region.
    assert.equal(rec.get(T.provider, "usdr-backups-aws").inputs.region, "us-west-2");
  });

  it("tags each host whose volume comes from an EBS snapshot with its start time and id, and no other", () => {
    const instances = rec.ofType(T.instance);
    // Both sites' fixed hosts: mysql, memcached, util and chocon, 9 each.
    assert.ok(instances.length >= 18, `${instances.length} instances`);
    for (const instance of instances) {
      const tags = instance.inputs.tags as Record<string, unknown>;
      // The offline answer's startTime, 2025-06-10T10:00:07Z, then the spec's snapshot id.
      const expected = {
        "usdr-fleet-mysql-1-instance": "2025-06-10T10:00:07Z snap-0123456789abcdef0",
        "usdr-fleet-mysql-2-instance": "2025-06-10T10:00:07Z snap-0fedcba9876543210",
      }[instance.name];
      assert.equal(tags["multicloud-recovery-point"], expected, instance.name);
    }
  });

  it("keeps the tag the host was created with, and reads it through instance metadata", () => {
    const restored = optionsOf(seen, T.instance, "usdr-fleet-mysql-1-instance");
    assert.ok(restored.ignoreChanges?.includes('tags["multicloud-recovery-point"]'));
    const other = optionsOf(seen, T.instance, "usdr-fleet-util-1-instance");
    assert.ok(!other.ignoreChanges?.includes('tags["multicloud-recovery-point"]'));
    const options = byName(T.instance, "usdr-fleet-mysql-1-instance").metadataOptions as Record<
      string,
      unknown
    >;
    assert.equal(options.instanceMetadataTags, "enabled");
  });

  it("a restore names exactly one source and one time", () => {
    assert.throws(
      () =>
        restoreInputs({
          pointInTime: {
            sourceDbInstanceAutomatedBackupsArn: REPLICATED,
            sourceDbiResourceId: "db-ABCDEFGHIJKL",
            useLatestRestorableTime: true,
          },
        }),
      /exactly one of/,
    );
    assert.throws(
      () => restoreInputs({ pointInTime: { sourceDbiResourceId: "db-ABCDEFGHIJKL" } }),
      /either restoreTime or useLatestRestorableTime/,
    );
    assert.deepEqual(
      restoreInputs({
        pointInTime: { sourceDbiResourceId: "db-ABCDEFGHIJKL", useLatestRestorableTime: true },
      }),
      {
        restoreToPointInTime: {
          sourceDbiResourceId: "db-ABCDEFGHIJKL",
          useLatestRestorableTime: true,
        },
      },
    );
  });

  it("Sakura's uploader: an IAM user that may only add objects under the given prefixes", async () => {
    assert.ok(writer);
    const policy = policyOf(byName("aws:iam/userPolicy:UserPolicy", "jp-offsite-uploader").policy);
    const puts = policy.Statement.filter((s) => s.Action === "s3:PutObject").map((s) => s.Resource);
    const bucketArn = `arn:aws:mock:::${T.bucket}/jp-offsite-store-bucket`;
    assert.deepEqual(puts, [`${bucketArn}/consul/*`, `${bucketArn}/mysql/*`]);
    assert.deepEqual([...new Set(policy.Statement.map((s) => s.Action))].sort(), [
      "kms:GenerateDataKey",
      "s3:PutObject",
    ]);
    assert.equal(rec.get(T.provider, "jp-offsite-region-aws").inputs.region, "ap-northeast-3");
    const key = optionsOf(
      seen,
      "aws:iam/accessKey:AccessKey",
      "jp-offsite-uploader",
    ) as pulumi.CustomResourceOptions;
    assert.ok(key.additionalSecretOutputs?.includes("secret"), "the SDK keeps the key secret");
    assert.equal(await pulumi.isSecret(writer.secretAccessKey), true);
    assert.ok(!isSecret(byName(T.bucket, "jp-offsite-store-bucket").bucketPrefix));
  });
});
