// RDS databases: encrypted, highly available, hard to delete, backed up and private.
import type { ResourceRule } from "./types";
import { isTrue, num, text } from "./values";

const RDS = ["aws:rds/instance:Instance"];
const MIN_BACKUP_DAYS = 7;

export const awsRdsEncrypted: ResourceRule = {
  kind: "resource",
  name: "aws-rds-storage-encrypted",
  description: "RDS storage (and so its snapshots and backups) is encrypted.",
  remediation: "Set storageEncrypted: true with the database's KMS key (kmsKeyId).",
  enforcementLevel: "mandatory",
  resourceTypes: RDS,
  validate: (props) =>
    isTrue(props.storageEncrypted) ? [] : ["storageEncrypted is not true: data at rest in clear"],
};

export const awsRdsMultiAz: ResourceRule = {
  kind: "resource",
  name: "aws-rds-multi-az",
  description: "RDS databases keep a standby in another availability zone.",
  remediation: "Set multiAz: true (the spec's aws.rds[].multiAz, on by default).",
  enforcementLevel: "advisory",
  resourceTypes: RDS,
  validate: (props) =>
    isTrue(props.multiAz) ? [] : ["multiAz is not true: one zone's outage stops the database"],
};

export const awsRdsDeletionProtection: ResourceRule = {
  kind: "resource",
  name: "aws-rds-deletion-protection",
  description: "RDS databases cannot be deleted until deletion protection is turned off.",
  remediation: "Set deletionProtection: true (the spec's aws.rds[].deletionProtection).",
  enforcementLevel: "mandatory",
  resourceTypes: RDS,
  validate: (props) =>
    isTrue(props.deletionProtection)
      ? []
      : ["deletionProtection is not true: one API call deletes the database"],
};

export const awsRdsBackups: ResourceRule = {
  kind: "resource",
  name: "aws-rds-backup-retention",
  description: `RDS automated backups are kept for at least ${MIN_BACKUP_DAYS} days.`,
  remediation: `Set backupRetentionPeriod to ${MIN_BACKUP_DAYS} or more (the spec's aws.rds[].backupRetentionDays).`,
  enforcementLevel: "mandatory",
  resourceTypes: RDS,
  validate(props) {
    const days = num(props.backupRetentionPeriod);
    return days !== undefined && days >= MIN_BACKUP_DAYS
      ? []
      : [
          `backupRetentionPeriod is ${days ?? "not set"}: fewer than ${MIN_BACKUP_DAYS} days of point-in-time recovery`,
        ];
  },
};

export const awsRdsNotPublic: ResourceRule = {
  kind: "resource",
  name: "aws-rds-not-public",
  description: "RDS databases have no public endpoint.",
  remediation: "Set publiclyAccessible: false; clients reach the database inside the VPC.",
  enforcementLevel: "mandatory",
  resourceTypes: RDS,
  validate: (props) =>
    isTrue(props.publiclyAccessible)
      ? ["publiclyAccessible is true: the database answers on a public address"]
      : [],
};

export const awsRdsFinalSnapshot: ResourceRule = {
  kind: "resource",
  name: "aws-rds-final-snapshot",
  description: "Deleting an RDS database leaves a final snapshot.",
  remediation: "Set skipFinalSnapshot: false and a finalSnapshotIdentifier.",
  enforcementLevel: "mandatory",
  resourceTypes: RDS,
  validate(props) {
    const problems: string[] = [];
    if (isTrue(props.skipFinalSnapshot))
      problems.push("skipFinalSnapshot is true: deletion keeps no copy");
    if (!text(props.finalSnapshotIdentifier))
      problems.push("finalSnapshotIdentifier is not set: the final snapshot has no name");
    return problems;
  },
};
