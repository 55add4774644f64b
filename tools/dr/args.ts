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
  readonly gkeRegion?: string;
  readonly restoreWindow?: string;
  readonly force: boolean;
  readonly rehearse: boolean;
  readonly retire: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run dr -- --stack <name> --to <location> [--restore-time T | --snapshot ID ...]
                     [--backups FILE] [--restore-window FILE] [--zones a,b,c] [--gke-region R]
                     [--backup-location L] [--force]
       npm run dr -- --stack <name> --rehearse [--to <location>] [options as above]
       npm run dr -- --stack <name> --retire

Writes Pulumi.<name>-dr.yaml: the whole region of stack <name> (every role, and its GKE cluster
with its workloads) rebuilt in <location>, serving the same names from the same public zone, its
databases restored from the backups kept outside the region. With --rehearse it writes nothing:
it plans the rebuild offline beside the live stack, checks that neither can break the other, and
prints the rebuild's critical path and each data store's recovery point. With --retire it prints
the command that deletes the lost stack's own public records once its rebuild serves them.
See docs/disaster-recovery.md for the whole procedure.
  --stack NAME          the stack whose region is lost (its Pulumi.NAME.yaml is read)
  --to LOCATION         where to rebuild: an AWS region, a GCP region or a Sakura zone (the region's
                        cloud), as the clouds offer them (tools/dr/locations/); with --rehearse the
                        default is the region's backup location
  --restore-time T      RDS: restore to this ISO 8601 time (default: the latest restorable time)
  --snapshot NAME=ID    restore a database (aws.rds name) or MySQL host (mysql-1) from a snapshot;
  --snapshot LABEL      or every database from the snapshot named <its name>-LABEL (repeatable);
                        on GCP each MySQL disk defaults to the latest snapshot of the lost disk
  --backups FILE        the JSON of \`pulumi stack output -s NAME drBackups --json\`: write the ARNs of
                        the replicated RDS backups into the file (default: the rebuild reads them
                        from stack NAME's outputs; use this when that stack's state is unreachable)
  --restore-window FILE the JSON of \`aws rds describe-db-instance-automated-backups --region TO\`:
                        --restore-time must lie in each database's restore window (without it,
                        only the retention and the present bound it)
  --zones LIST          zones to use (default: AWS lets the account's first three be taken at
                        deploy time; GCP takes the region's first zones)
  --gke-region R        where the GKE cluster goes (default: the GCP region nearest LOCATION
                        other than the lost cluster's)
  --backup-location L   where the rebuild keeps its own backups (default: the lost location)
  --force               overwrite an existing Pulumi.NAME-dr.yaml
  --rehearse            plan the rebuild offline and report; write nothing
  --retire              print the pulumi destroy command for the lost stack's own public records`;

const VALUE_OPTIONS = new Set([
  "stack",
  "to",
  "restore-time",
  "snapshot",
  "backups",
  "zones",
  "backup-location",
  "gke-region",
  "restore-window",
]);

export function parseDrArgs(argv: readonly string[]): DrArgs {
  const values = new Map<string, string>();
  const snapshots: string[] = [];
  let force = false;
  let rehearse = false;
  let retire = false;
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
    if (arg === "--rehearse") {
      rehearse = true;
      continue;
    }
    if (arg === "--retire") {
      retire = true;
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
  if (help) return { stack: "", to: "", snapshots: [], force, rehearse, retire, help };
  const stack = values.get("stack");
  if (!stack) throw new DrInputError("missing --stack <name> (see --help)");
  const to = values.get("to") ?? "";
  if (retire && (rehearse || values.size > 1 || snapshots.length > 0 || force)) {
    throw new DrInputError("--retire takes only --stack");
  }
  if (!to && !rehearse && !retire) throw new DrInputError("missing --to <location> (see --help)");
  if (rehearse && force) throw new DrInputError("--force: a rehearsal writes no file");
  const restoreTime = values.get("restore-time");
  const backups = values.get("backups");
  const zones = values.get("zones");
  const backupLocation = values.get("backup-location");
  const gkeRegion = values.get("gke-region");
  const restoreWindow = values.get("restore-window");
  const zoneList = zones?.split(",").map((zone) => zone.trim());
  if (zoneList?.includes("")) {
    throw new DrInputError(
      `--zones ${zones}: an empty zone name: expected zones separated by commas, such as us-east-1a,us-east-1b`,
    );
  }
  return {
    stack,
    to,
    snapshots,
    force,
    rehearse,
    retire,
    help,
    ...(gkeRegion !== undefined ? { gkeRegion } : {}),
    ...(restoreWindow !== undefined ? { restoreWindow } : {}),
    ...(restoreTime !== undefined ? { restoreTime } : {}),
    ...(backups !== undefined ? { backups } : {}),
    ...(zoneList !== undefined ? { zones: zoneList } : {}),
    ...(backupLocation !== undefined ? { backupLocation } : {}),
  };
}
