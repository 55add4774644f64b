// The stack file of a disaster-recovery rebuild, from the stack file of the region it replaces:
// the same region moved to another location, serving the same names from the same public zone
// (as the failover SECONDARY where the cloud's front allows it), its databases restored from the
// backups the region kept elsewhere or from named snapshots. Pure: config in, config out; every
// problem is a DrInputError of one line.
import { awsRegionName, gcpRegionName, sakuraZones } from "../../components/spec/clouds";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import { awsRestore, gcpDiskRestores, parseRestoreTime, parseSnapshots } from "./restore-choices";
import { awsZones, gcpZones } from "./zones";

export interface DrRequest {
  /** The stack being replaced (us). */
  readonly stack: string;
  /** Its stack file's `config` mapping, as parsed from YAML. */
  readonly config: Record<string, unknown>;
  /** Where to rebuild: an AWS region, a GCP region or a Sakura zone, by the region's cloud. */
  readonly to: string;
  /** --restore-time: an ISO 8601 time for RDS point-in-time restores. */
  readonly restoreTime?: string;
  /** --snapshot values: `NAME=SNAPSHOT` (a database or MySQL host) or a bare LABEL. */
  readonly snapshots?: readonly string[];
  /**
   * The replaced stack's `drBackups` output (`pulumi stack output drBackups --json`): its ARNs are
   * written into the file. Without it, point-in-time restores read them from that stack's outputs.
   */
  readonly backups?: unknown;
  /** --zones: zone names that replace the assumed ones. */
  readonly zones?: readonly string[];
  /** --backup-location: where the rebuild keeps its own backups (default: the replaced location). */
  readonly backupLocation?: string;
  /** The time the file is written (restore times may not be later). */
  readonly now: Date;
}

/** A comment placed above a key of the region (path below `multicloud:region`). */
export interface DrNote {
  readonly path: readonly string[];
  readonly text: string;
}

export interface DrStackFile {
  /** The rebuild's stack: us-dr. */
  readonly stack: string;
  readonly file: string;
  /** The new `config` mapping; the region is under `multicloud:region`. */
  readonly config: Record<string, unknown>;
  /** The region as it validates (the program will build exactly this). */
  readonly spec: RegionSpec;
  readonly header: readonly string[];
  readonly notes: readonly DrNote[];
  /** Secret keys of the replaced stack that must be set again (they are encrypted per stack). */
  readonly secretsToSet: readonly string[];
}

type Raw = Record<string, unknown>;

export function drStackName(stack: string): string {
  return `${stack}-dr`;
}

export function makeDrStackFile(request: DrRequest): DrStackFile {
  const sourceFile = `Pulumi.${request.stack}.yaml`;
  const raw = request.config[REGION_CONFIG_KEY];
  const spec = parseOrFail(raw, sourceFile);
  const stack = drStackName(request.stack);
  const file = `Pulumi.${stack}.yaml`;
  if (request.restoreTime !== undefined && (request.snapshots ?? []).length > 0) {
    throw new DrInputError("give --restore-time or --snapshot, not both");
  }
  const restoreTime =
    request.restoreTime === undefined
      ? undefined
      : parseRestoreTime(request.restoreTime, request.now);
  const snapshots = parseSnapshots(request.snapshots ?? []);
  const notes: DrNote[] = [];
  const note = (path: readonly string[], text: string) => notes.push({ path, text });

  const region = structuredClone(raw) as Raw;
  const name = `${spec.name}dr`;
  if (!/^[a-z][a-z0-9]{1,9}$/.test(name)) {
    throw new DrInputError(
      `the rebuild's name ${name} (${spec.name} + dr) is longer than 10 characters: shorten name in ${sourceFile} first`,
    );
  }
  region.name = name;
  note(
    ["name"],
    `Rebuild of ${spec.name}: a name of its own, so that no resource name collides with what is left of ${spec.name} (IAM, Secret Manager and bucket names are global).`,
  );
  if (typeof region.description === "string") {
    region.description = `Disaster-recovery rebuild of ${spec.name}: ${region.description}`.slice(
      0,
      200,
    );
  }

  const dr: Raw = {
    backupLocation: "",
    backupRetentionDays: spec.dr.backupRetentionDays,
    ...(spec.dr.offsiteRegion ? { offsiteRegion: spec.dr.offsiteRegion } : {}),
    replaces: request.stack,
  };
  let restore: { rds?: Raw; mysqlDisks?: Raw } = {};
  switch (spec.cloud) {
    case "aws": {
      const to = checkLocation(
        request.to,
        spec.aws.region,
        "an AWS region",
        "us-east-1",
        (value) => awsRegionName.safeParse(value).success,
      );
      const zones = request.zones ?? awsZones(to, spec.aws.zones?.length ?? 3);
      checkZones(zones, (zone) => zone.startsWith(to) && /^[a-z0-9-]+[a-z]$/.test(zone), to);
      region.aws = { ...(region.aws as Raw), region: to, zones: [...zones] };
      note(["aws", "region"], `Was ${spec.aws.region}.`);
      if (request.zones === undefined) {
        note(
          ["aws", "zones"],
          `Assumed zone names: check them with \`aws ec2 describe-availability-zones --region ${to}\`, or remove the key to take the first three the region offers.`,
        );
      }
      dr.backupLocation = request.backupLocation ?? spec.aws.region;
      restore = awsRestore(spec, request, to, restoreTime, snapshots, note);
      break;
    }
    case "gcp": {
      const to = checkLocation(
        request.to,
        spec.gcp.region,
        "a GCP region",
        "europe-west1",
        (value) => gcpRegionName.safeParse(value).success,
      );
      const zones = request.zones ?? gcpZones(to, spec.gcp.zones.length);
      checkZones(zones, (zone) => zone.startsWith(`${to}-`), to);
      region.gcp = { ...(region.gcp as Raw), region: to, zones: [...zones] };
      note(["gcp", "region"], `Was ${spec.gcp.region}; same project.`);
      if (request.zones === undefined) {
        note(
          ["gcp", "zones"],
          `Assumed zone names: check them with \`gcloud compute zones list --filter=region:${to}\`.`,
        );
      }
      dr.backupLocation = request.backupLocation ?? spec.gcp.region;
      if (restoreTime !== undefined) {
        throw new DrInputError(
          `--restore-time: ${spec.name} keeps no point-in-time backups; its MySQL disks are restored from snapshots (the latest by default, or --snapshot mysql-1=NAME ...)`,
        );
      }
      restore = { mysqlDisks: gcpDiskRestores(spec, snapshots) };
      if (snapshots.named.size === 0 && snapshots.label === undefined) {
        note(
          ["dr", "restore"],
          `Each MySQL data disk is made from the most recent snapshot of ${spec.name}'s disk, looked up at \`pulumi up\`: name an older one with --snapshot mysql-1=NAME.`,
        );
      }
      break;
    }
    case "sakura": {
      const zones: readonly string[] = sakuraZones;
      const to = checkLocation(
        request.to,
        spec.sakura.zone,
        `a Sakura zone (${sakuraZones.join(", ")})`,
        "is1a",
        (value) => zones.includes(value),
      );
      if (restoreTime !== undefined || snapshots.named.size > 0 || snapshots.label !== undefined) {
        throw new DrInputError(
          `--restore-time and --snapshot do not apply to ${spec.name}: its MySQL servers are restored from their dumps (docs/disaster-recovery.md)`,
        );
      }
      if (request.zones !== undefined) {
        throw new DrInputError(
          `--zones does not apply to ${spec.name}: a Sakura region is one zone`,
        );
      }
      // The dedicated servers are metal in the lost zone; nothing of them moves.
      region.sakura = withoutUndefined({
        ...(region.sakura as Raw),
        zone: to,
        dedicated: undefined,
      });
      note(["sakura", "zone"], `Was ${spec.sakura.zone}.`);
      const hosts = region.hosts as Record<string, Raw>;
      const moved = Object.entries(hosts)
        .filter(([, host]) => host.placement === "dedicated")
        .map(([role]) => role);
      for (const role of moved)
        hosts[role] = withoutUndefined({ ...hosts[role], placement: undefined });
      if (moved.length > 0) {
        note(
          ["hosts"],
          `The dedicated servers (${moved.join(", ")}) are metal in ${spec.sakura.zone}: the rebuild runs those roles on Sakura Cloud.`,
        );
      }
      dr.backupLocation = request.backupLocation ?? spec.sakura.zone;
      break;
    }
  }
  if (dr.backupLocation === request.to) {
    throw new DrInputError(`--backup-location ${request.to}: expected a location other than --to`);
  }
  note(
    ["dr", "backupLocation"],
    `The rebuild's own backups go to ${String(dr.backupLocation)}. If that is still down, pick a third location (--backup-location).`,
  );
  note(
    ["dr", "replaces"],
    `Replaces stack ${request.stack}: it may reuse ${request.stack}'s network ranges (the two never run connected).`,
  );
  const rds = restore.rds ?? {};
  const disks = restore.mysqlDisks ?? {};
  if (Object.keys(rds).length + Object.keys(disks).length > 0) {
    dr.restore = {
      ...(Object.keys(rds).length > 0 ? { rds } : {}),
      ...(Object.keys(disks).length > 0 ? { mysqlDisks: disks } : {}),
    };
    note(
      ["dr", "restore"],
      "Applies when the databases and disks are created; later runs ignore it, and it may be removed after the first `pulumi up`.",
    );
  }
  region.dr = dr;

  region.dns = { ...((region.dns as Raw | undefined) ?? {}), existingZone: true };
  note(
    ["dns", "existingZone"],
    `Serve ${spec.domain} from the public zone that ${request.stack} made: the registrar delegates to its name servers.`,
  );

  const front = { ...((region.front as Raw | undefined) ?? {}) };
  if (spec.front.mode === "loadBalancer") {
    front.failover = { role: "secondary" };
    region.front = front;
    note(
      ["front", "failover"],
      spec.front.failover?.role === "primary"
        ? `SECONDARY records beside ${request.stack}'s PRIMARY ones: Route53 answers with them while ${request.stack}'s health check fails.`
        : `SECONDARY records; ${request.stack} has plain records for these names, which must be deleted first (docs/disaster-recovery.md, "Switch DNS").`,
    );
  } else {
    front.failover = undefined;
    region.front = withoutUndefined(front);
    note(
      ["front"],
      `A DNS round-robin front: delete ${request.stack}'s multivalue records of these names before \`pulumi up\` (docs/disaster-recovery.md, "Switch DNS").`,
    );
  }

  if (region.gke !== undefined) {
    region.gke = undefined;
    note(
      ["network"],
      `No gke block: ${request.stack}'s GKE cluster runs in GCP ${spec.gke?.region}, outside the lost location, and stays with ${request.stack}. Add one for a cluster elsewhere.`,
    );
  }
  note(
    ["consul", "datacenter"],
    "Kept: the Consul snapshot restored into the rebuild comes from this datacenter.",
  );

  const regionOut = withoutUndefined(region);
  const rebuilt = parseOrFail(regionOut, file);
  // A Sakura region logs in to its hosts over SSH: the key is a secret of each stack.
  const secretsToSet: string[] = spec.cloud === "sakura" ? ["multicloud:sshPrivateKey"] : [];
  const config: Raw = {};
  for (const [key, value] of Object.entries(request.config)) {
    const fullKey = key.includes(":") ? key : `multicloud:${key}`;
    if (key === REGION_CONFIG_KEY) config[key] = regionOut;
    else if (!isSecure(value)) config[key] = structuredClone(value);
    else if (!secretsToSet.includes(fullKey)) secretsToSet.push(fullKey);
  }
  const header = [
    `Disaster-recovery rebuild of stack ${request.stack} (${sourceFile}) in ${request.to}, written by`,
    `\`npm run dr\` at ${request.now.toISOString().replace(/\.\d{3}Z$/, "Z")}. Review it, then follow docs/disaster-recovery.md:`,
    `pulumi stack init ${stack}, set its secrets, pulumi up -s ${stack}.`,
    ...(secretsToSet.length > 0
      ? [
          "Secrets are encrypted per stack and were not copied; set them again:",
          ...secretsToSet.map((key) => `  pulumi config set --secret ${key} -s ${stack} ...`),
        ]
      : []),
  ];
  return { stack, file, config, spec: rebuilt, header, notes, secretsToSet };
}

function parseOrFail(raw: unknown, file: string): RegionSpec {
  try {
    return parseRegionSpec(raw, file);
  } catch (error) {
    if (error instanceof ConfigError) {
      const [first] = error.message.split("\n");
      throw new DrInputError(first ?? error.message);
    }
    throw error;
  }
}

function checkLocation(
  to: string,
  current: string,
  expected: string,
  example: string,
  valid: (value: string) => boolean,
): string {
  if (!valid(to) || to === current) {
    throw new DrInputError(
      `--to ${to}: expected ${expected} other than ${current}, such as ${example}`,
    );
  }
  return to;
}

function checkZones(zones: readonly string[], valid: (zone: string) => boolean, to: string): void {
  const bad = zones.find((zone) => !valid(zone));
  if (bad !== undefined || zones.length < 2) {
    throw new DrInputError(
      `--zones ${zones.join(",")}: expected at least two zones of ${to}${bad ? ` (${bad} is not one)` : ""}`,
    );
  }
}

function isSecure(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    "secure" in value &&
    Object.keys(value).length === 1
  );
}

/** A copy without keys whose value is undefined (YAML has no undefined; removed keys vanish). */
function withoutUndefined<T extends Raw>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
