// The outputs other stacks answer with offline, for StackReferences (a rebuild reads the lost
// region's drBackups from its stack). Offline stand-ins only: a real run reads the referenced
// stack's state, whose ARNs end in random ids that no stack file can hold.

/** Outputs by bare stack name (the last part of org/project/stack). */
export const offlineStackOutputs: Record<string, Record<string, unknown>> = {
  // Stack us (us-west-2): its RDS backups are replicated to us-east-1.
  us: {
    drBackups: {
      cloud: "aws",
      offsite: { region: "us-east-1", bucket: "us-aws-offsite-bucket" },
      rds: Object.fromEntries(
        ["accounts", "notifications"].map((db) => [
          db,
          {
            identifier: `us-${db}`,
            region: "us-east-1",
            resourceId: `db-OFFLINE${db.toUpperCase()}`,
            replicatedBackupsArn: `arn:aws:rds:us-east-1:123456789012:auto-backup:ab-offline-${db}`,
          },
        ]),
      ),
    },
  },
};

/** The stand-in outputs of a referenced stack (`org/project/stack` or `stack`); none if unknown. */
export function offlineStackOutputsOf(stackName: string): Record<string, unknown> {
  return offlineStackOutputs[stackName.split("/").at(-1) ?? stackName] ?? {};
}
