// The restore windows RDS reports for automated backups, read from what
// `aws rds describe-db-instance-automated-backups --region <region> --output json` prints
// (DBInstanceAutomatedBackups[].RestoreWindow.{EarliestTime, LatestTime}, as botocore's RDS model
// names them): a restore time outside its database's window is refused before anything is written.
import { DrInputError } from "./errors";

export interface RestoreWindow {
  readonly earliest: Date;
  readonly latest: Date;
}

/** Windows by DB instance identifier and by automated-backups ARN. */
export type RestoreWindows = ReadonlyMap<string, RestoreWindow>;

function time(value: unknown, where: string, file: string): Date {
  const parsed = typeof value === "string" ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new DrInputError(`--restore-window ${file}: ${where} is not a time`);
  }
  return parsed;
}

export function parseRestoreWindows(document: unknown, file: string): RestoreWindows {
  const list = (document as { DBInstanceAutomatedBackups?: unknown } | null)
    ?.DBInstanceAutomatedBackups;
  if (!Array.isArray(list)) {
    throw new DrInputError(
      `--restore-window ${file}: expected the output of \`aws rds describe-db-instance-automated-backups --output json\` (DBInstanceAutomatedBackups)`,
    );
  }
  const windows = new Map<string, RestoreWindow>();
  list.forEach((entry: unknown, index) => {
    const backup = (entry ?? {}) as Record<string, unknown>;
    const window = backup.RestoreWindow as Record<string, unknown> | undefined;
    if (!window) return;
    const at = `DBInstanceAutomatedBackups[${index}].RestoreWindow`;
    const parsed = {
      earliest: time(window.EarliestTime, `${at}.EarliestTime`, file),
      latest: time(window.LatestTime, `${at}.LatestTime`, file),
    };
    for (const key of [backup.DBInstanceIdentifier, backup.DBInstanceAutomatedBackupsArn]) {
      if (typeof key === "string") windows.set(key, parsed);
    }
  });
  return windows;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Refuses a restore time outside the window of database `db` (found by identifier or ARN). */
export function checkInWindow(
  restoreTime: string,
  db: string,
  keys: readonly string[],
  windows: RestoreWindows,
): void {
  const window = keys.map((key) => windows.get(key)).find((found) => found !== undefined);
  if (!window) {
    throw new DrInputError(
      `--restore-window: no restore window of database ${db} (${keys.join(" or ")}) in the file`,
    );
  }
  const at = new Date(restoreTime);
  if (at < window.earliest || at > window.latest) {
    throw new DrInputError(
      `--restore-time ${restoreTime}: outside the restore window of ${db}, ${iso(window.earliest)} to ${iso(window.latest)} (its latest restorable time)`,
    );
  }
}
