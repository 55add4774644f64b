// A MySQL database on RDS: multi-AZ, encrypted with a key of its own, reachable only from the
// security groups it is given, with backups, a final snapshot, deletion protection, a master
// password that RDS keeps in Secrets Manager, Performance Insights and enhanced monitoring.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { RdsDatabaseSpec } from "../spec/clouds";
import type { AwsRegionSpec } from "../spec/schema";
import type { AwsAccount } from "./account";
import { EncryptionKey } from "./encryption-key";
import { rdsInstanceClassFor } from "./machine-types";
import { managedPolicyArn, serviceTrust } from "./policies";
import { ports } from "./ports";

/**
 * Where a database comes from when it is rebuilt (disaster recovery). Applies when the instance is
 * created; afterwards it is ignored, so removing it never replaces the database.
 */
export type DatabaseRestore =
  /** A manual or final snapshot (identifier, or ARN for a shared or copied one). */
  | { readonly snapshotIdentifier: string }
  /**
   * A point in time of automated backups: of a live instance in this region (its identifier), of
   * backups replicated here from another region (their ARN), or of backups retained here after the
   * instance is gone (its resource id). One source and one of the two times are required.
   */
  | {
      readonly pointInTime: {
        readonly sourceDbInstanceIdentifier?: string;
        /** Known, or read at deployment (another stack's output). */
        readonly sourceDbInstanceAutomatedBackupsArn?: pulumi.Input<string>;
        readonly sourceDbiResourceId?: string;
        /** RFC 3339 UTC time, e.g. 2025-06-10T03:00:00Z. */
        readonly restoreTime?: string;
        readonly useLatestRestorableTime?: boolean;
      };
    };

/** Where automated backups are replicated to (another AWS region) and how long they are kept. */
export interface BackupReplication {
  /** The provider of the destination region. */
  readonly provider: aws.Provider;
  /** A key in the destination region that encrypts the replicated backups. */
  readonly keyArn: pulumi.Input<string>;
  readonly retentionDays: number;
}

export interface DatabaseArgs {
  /** The region: names and tags. */
  spec: AwsRegionSpec;
  provider: aws.Provider;
  account: AwsAccount;
  /** The database's entry in the spec (aws.rds). */
  database: RdsDatabaseSpec;
  /** Subnets in at least two zones (the data subnets). */
  subnetIds: pulumi.Input<string>[];
  /** The database's security groups (the only way in). */
  securityGroupIds: pulumi.Input<string>[];
  /** Build the database from a snapshot or a point in time instead of empty. */
  restore?: DatabaseRestore;
  /** Replicate its automated backups (snapshots and transaction logs) to another region. */
  backupReplication?: BackupReplication;
}

/** The parameter group family of an engine version: "8.4" -> "mysql8.4". */
export function parameterFamily(engineVersion: string): string {
  return `mysql${engineVersion}`;
}

export function restoreInputs(restore: DatabaseRestore | undefined): Partial<aws.rds.InstanceArgs> {
  if (!restore) return {};
  if ("snapshotIdentifier" in restore) return { snapshotIdentifier: restore.snapshotIdentifier };
  const {
    sourceDbInstanceIdentifier,
    sourceDbInstanceAutomatedBackupsArn,
    sourceDbiResourceId,
    restoreTime,
    useLatestRestorableTime,
  } = restore.pointInTime;
  const sources = {
    ...(sourceDbInstanceIdentifier ? { sourceDbInstanceIdentifier } : {}),
    ...(sourceDbInstanceAutomatedBackupsArn ? { sourceDbInstanceAutomatedBackupsArn } : {}),
    ...(sourceDbiResourceId ? { sourceDbiResourceId } : {}),
  };
  const named =
    Object.values(sources).find((source) => typeof source === "string") ?? "a point in time";
  if (Object.keys(sources).length !== 1) {
    throw new Error(
      `restore of ${named}: give exactly one of sourceDbInstanceIdentifier, sourceDbInstanceAutomatedBackupsArn or sourceDbiResourceId`,
    );
  }
  if ((restoreTime === undefined) === (useLatestRestorableTime !== true)) {
    throw new Error(
      `restore of ${named}: give either restoreTime or useLatestRestorableTime: true`,
    );
  }
  return {
    restoreToPointInTime: {
      ...sources,
      ...(restoreTime ? { restoreTime } : { useLatestRestorableTime: true }),
    },
  };
}

export class Database extends pulumi.ComponentResource {
  /** The instance's host name (for CNAMEs). */
  public readonly address: pulumi.Output<string>;
  /** host:port. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly port: number;
  public readonly identifier: string;
  /** The Secrets Manager secret RDS keeps the master password in. */
  public readonly masterUserSecretArn: pulumi.Output<string | undefined>;
  public readonly keyArn: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** The DbiResourceId: names its backups after the instance is gone. */
  public readonly resourceId: pulumi.Output<string>;
  /** The ARN of its backups in the other region (restore them with pointInTime there). */
  public readonly replicatedBackupsArn?: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Database", name, {}, opts);
    const { spec, database: db } = args;
    const children = { parent: this, provider: args.provider };
    this.identifier = `${spec.name}-${db.name}`;
    this.port = ports.mysql;
    const restoring = args.restore !== undefined;
    // Checked before anything is created: a bad restore request creates nothing.
    const restoreFrom = restoreInputs(args.restore);

    const key = new EncryptionKey(
      `${name}-key`,
      {
        spec,
        provider: args.provider,
        purpose: `db-${db.name}`,
        description: `RDS database ${this.identifier}: storage, Performance Insights, master secret`,
        protect: true,
      },
      { parent: this },
    );
    this.keyArn = key.keyArn;

    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        description: `Data subnets of region ${spec.name}`,
        subnetIds: args.subnetIds,
        tags: { Name: this.identifier },
      },
      children,
    );

    const family = parameterFamily(db.engineVersion);
    // A name prefix lets a changed group be created next to the old one and swapped in, with no
    // moment where the database has none.
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        namePrefix: `${this.identifier}-${family.replace(/\./g, "")}-`,
        family,
        description: `${this.identifier} (${family})`,
        parameters: [
          { name: "require_secure_transport", value: "1" },
          { name: "slow_query_log", value: "1" },
          { name: "long_query_time", value: "1" },
          { name: "log_output", value: "FILE" },
        ],
        tags: { Name: this.identifier },
      },
      { ...children, deleteBeforeReplace: false },
    );

    const monitoring = new aws.iam.Role(
      `${name}-monitoring`,
      {
        description: `Enhanced monitoring of ${this.identifier}`,
        assumeRolePolicy: serviceTrust("monitoring.rds.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": args.account.id },
        }),
        tags: { Name: `${this.identifier}-monitoring` },
      },
      children,
    );
    const monitoringPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-monitoring`,
      {
        role: monitoring.name,
        policyArn: managedPolicyArn(args.account, "service-role/AmazonRDSEnhancedMonitoringRole"),
      },
      children,
    );

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: this.identifier,
        engine: "mysql",
        engineVersion: db.engineVersion,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        instanceClass: rdsInstanceClassFor(db),
        multiAz: db.multiAz,
        // A restored database brings its own master user and schema.
        ...(restoring ? {} : { username: "admin", dbName: db.name.replace(/-/g, "_") }),
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: key.keyArn,
        iamDatabaseAuthenticationEnabled: true,
        port: this.port,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: args.securityGroupIds,
        publiclyAccessible: false,
        networkType: "IPV4",
        caCertIdentifier: "rds-ca-rsa2048-g1",
        parameterGroupName: parameters.name,
        storageType: "gp3",
        allocatedStorage: db.storageGb,
        maxAllocatedStorage: db.maxStorageGb,
        storageEncrypted: true,
        kmsKeyId: key.keyArn,
        backupRetentionPeriod: db.backupRetentionDays,
        // 01:00-02:00 Pacific (UTC-8), then maintenance after it; the two must not overlap.
        backupWindow: "09:00-10:00",
        maintenanceWindow: "sun:10:30-sun:11:30",
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: db.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${this.identifier}-final`,
        applyImmediately: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.keyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
        monitoringRoleArn: monitoring.arn,
        enabledCloudwatchLogsExports: ["error", "slowquery"],
        ...restoreFrom,
        tags: { Name: this.identifier, database: db.name },
      },
      {
        ...children,
        protect: true,
        dependsOn: [monitoringPolicy],
        // The restore source matters only at creation (see DatabaseRestore).
        ignoreChanges: ["snapshotIdentifier", "restoreToPointInTime"],
      },
    );

    if (args.backupReplication) {
      const replication = new aws.rds.InstanceAutomatedBackupsReplication(
        `${name}-backups-replication`,
        {
          sourceDbInstanceArn: instance.arn,
          kmsKeyId: args.backupReplication.keyArn,
          retentionPeriod: args.backupReplication.retentionDays,
        },
        // Made in the destination region. Removing it stops replication and lets RDS delete the
        // replicated backups: protected like the database.
        { parent: this, provider: args.backupReplication.provider, protect: true },
      );
      this.replicatedBackupsArn = replication.id;
    }

    this.arn = instance.arn;
    this.resourceId = instance.resourceId;
    this.address = instance.address;
    this.endpoint = instance.endpoint;
    this.masterUserSecretArn = instance.masterUserSecrets.apply(
      (secrets) => secrets?.[0]?.secretArn,
    );
    this.registerOutputs({
      address: this.address,
      endpoint: this.endpoint,
      masterUserSecretArn: this.masterUserSecretArn,
    });
  }
}
