// Command-line options of `npm run dr`.
import { DrInputError } from "./errors";

export interface DrArgs {
  readonly stack: string;
  readonly to: string;
  readonly restoreTime?: string;
  readonly snapshots: readonly string[];
  readonly backups?: string;
  readonly zones?: readonly string[];
  readonly backupLocation?: string;
  readonly force: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run dr -- --stack <name> --to <location> [--restore-time T | --snapshot ID ...]
                     [--backups FILE] [--zones a,b,c] [--backup-location L] [--force]

Writes Pulumi.<name>-dr.yaml: the region of stack <name> rebuilt in <location>, serving the same
names from the same public zone, its databases restored from the backups kept outside the region.
See docs/disaster-recovery.md for the whole procedure.
  --stack NAME          the stack whose region is lost (its Pulumi.NAME.yaml is read)
  --to LOCATION         where to rebuild: an AWS region, a GCP region or a Sakura zone (the region's cloud)
  --restore-time T      RDS: restore to this ISO 8601 time (default: the latest restorable time)
  --snapshot NAME=ID    restore a database (aws.rds name) or MySQL host (mysql-1) from a snapshot;
  --snapshot LABEL      or every database from the snapshot named <its name>-LABEL (repeatable);
                        on GCP each MySQL disk defaults to the latest snapshot of the lost disk
  --backups FILE        the JSON of \`pulumi stack output -s NAME drBackups --json\`: write the ARNs of
                        the replicated RDS backups into the file (default: the rebuild reads them
                        from stack NAME's outputs; use this when that stack's state is unreachable)
  --zones LIST          zone names to use instead of the assumed ones
  --backup-location L   where the rebuild keeps its own backups (default: the lost location)
  --force               overwrite an existing Pulumi.NAME-dr.yaml`;

const VALUE_OPTIONS = new Set([
  "stack",
  "to",
  "restore-time",
  "snapshot",
  "backups",
  "zones",
  "backup-location",
]);

export function parseDrArgs(argv: readonly string[]): DrArgs {
  const values = new Map<string, string>();
  const snapshots: string[] = [];
  let force = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--force") {
      force = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!name || !VALUE_OPTIONS.has(name))
      throw new DrInputError(`unknown option "${arg}" (see --help)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) {
      throw new DrInputError(`option --${name} needs a value`);
    }
    if (name === "snapshot") snapshots.push(value);
    else if (values.has(name)) throw new DrInputError(`option --${name} is given twice`);
    else values.set(name, value);
  }
  if (help) return { stack: "", to: "", snapshots: [], force, help };
  const stack = values.get("stack");
  if (!stack) throw new DrInputError("missing --stack <name> (see --help)");
  const to = values.get("to");
  if (!to) throw new DrInputError("missing --to <location> (see --help)");
  const restoreTime = values.get("restore-time");
  const backups = values.get("backups");
  const zones = values.get("zones");
  const backupLocation = values.get("backup-location");
  return {
    stack,
    to,
    snapshots,
    force,
    help,
    ...(restoreTime !== undefined ? { restoreTime } : {}),
    ...(backups !== undefined ? { backups } : {}),
    ...(zones !== undefined ? { zones: zones.split(",").map((zone) => zone.trim()) } : {}),
    ...(backupLocation !== undefined ? { backupLocation } : {}),
  };
}
