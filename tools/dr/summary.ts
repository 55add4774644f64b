// What `npm run dr` prints once the file is written: what was written where, what moved, what each
// store is restored from, and what is left to do. Pure.
import { roles } from "../../components/spec/hosts";
import { hostCount } from "../../components/spec/layout";
import type { DrStackFile } from "./make-dr-spec";
import { locationOf } from "./make-dr-spec";

export function summary(
  file: DrStackFile,
  checks: { readonly restoreWindowChecked: boolean },
): string[] {
  const { spec, lost } = file;
  const stack = file.stack.replace(/-dr$/, "");
  const counts = (region: typeof spec) =>
    roles.map((role) => `${role} ${hostCount(region, role)}`).join(", ");
  // A role that outgrows every plan of the new location has more hosts than the lost region had.
  const [now, before] = [counts(spec), counts(lost)];
  const lines = [
    `Wrote ${file.file}: ${stack} rebuilt in ${locationOf(spec)} as region ${spec.name}.`,
    `  hosts: ${now} (${now === before ? `as ${lost.name}` : `${lost.name}: ${before}`})`,
  ];
  if (spec.gke && lost.gke) {
    lines.push(
      `  gke: cluster moved from ${lost.gke.region} to ${spec.gke.region}, with the gateway's routes (${spec.gke.gateway.routes.map((route) => route.prefix).join(", ")}) and chocon`,
    );
  }
  const restore = spec.dr.restore;
  for (const [db, entry] of Object.entries(restore?.rds ?? {})) {
    const pointInTime = entry.pointInTime;
    const from =
      entry.snapshotIdentifier ??
      (pointInTime?.fromStack !== undefined
        ? `the replicated backups in stack ${pointInTime.fromStack}'s drBackups output`
        : (pointInTime?.sourceDbInstanceAutomatedBackupsArn ?? pointInTime?.sourceDbiResourceId));
    const when = pointInTime?.restoreTime
      ? `${pointInTime.restoreTime}, within ${lost.name}'s retention${checks.restoreWindowChecked ? " and the restore window" : "; not checked against the latest restorable time, which --restore-window would check"}`
      : pointInTime
        ? "latest restorable time"
        : "";
    lines.push(`  database ${db}: from ${from}${when ? ` (${when})` : ""}`);
  }
  // A GCE or EC2 host records its snapshot's time as the dump restore does.
  const snapshotPoint =
    spec.cloud === "gcp" || spec.cloud === "aws"
      ? "; the snapshot's time is the recovery point, in Consul KV multicloud/mysql/recovery-point (docs/disaster-recovery.md, step 4b)"
      : "";
  for (const [host, disk] of Object.entries(restore?.mysqlDisks ?? {})) {
    lines.push(
      disk.snapshot !== undefined
        ? `  ${host} data: from snapshot ${disk.snapshot}${snapshotPoint}`
        : `  ${host} data: from the latest snapshot of disk ${disk.latestSnapshotOf}${snapshotPoint}`,
    );
  }
  const dumps = restore?.mysqlDumps;
  if (dumps) {
    const bucket =
      dumps.bucket ?? `the bucket in stack ${dumps.fromStack}'s drBackups output (offsite.bucket)`;
    lines.push(
      `  mysql data: the newest complete dump of ${dumps.primary}, from ${bucket} (${dumps.store}, ${dumps.location}), loaded by every MySQL host at its first boot, before replication; its time is the recovery point, in Consul KV multicloud/mysql/recovery-point (docs/disaster-recovery.md, step 4b)`,
    );
  }
  for (const [former, host] of Object.entries(spec.dr.formerHosts ?? {})) {
    lines.push(`  ${former}: now ${host} (the internal zone answers both names)`);
  }
  for (const key of file.secretsToSet)
    lines.push(`  set again: pulumi config set --secret ${key} -s ${file.stack}`);
  lines.push(`Next: npm run plan -- --stack ${file.stack}, then docs/disaster-recovery.md.`);
  return lines;
}
