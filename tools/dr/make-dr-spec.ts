// The stack file of a disaster-recovery rebuild, from the stack file of the region it replaces:
// the whole region moved to another location (every role, and the GKE cluster with its workloads),
// serving the same names from the same public zone (as the failover SECONDARY where the cloud's
// front allows it), its databases restored from the backups the region kept elsewhere or from
// named snapshots. Every location is checked against the clouds' tables (locations/). Pure:
// config in, config out; every problem is a DrInputError of one line.
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import { checkLocation, describeLocation } from "./locations";
import { moveAws } from "./rebuild-aws";
import { type DrNote, type Raw, type RestoreRaw, withoutUndefined } from "./rebuild-context";
import { moveGcp } from "./rebuild-gcp";
import { moveGke } from "./rebuild-gke";
import { moveSakura } from "./rebuild-sakura";
import { parseRestoreTime, parseSnapshots } from "./restore-choices";
import { parseRestoreWindows } from "./restore-window";

export type { DrNote } from "./rebuild-context";

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
   * The replaced stack's `drBackups` output (`pulumi stack output drBackups --json`): its ARNs and
   * off-site bucket are written into the file. Without it they are read from that stack's outputs.
   */
  readonly backups?: unknown;
  /** --restore-window: `aws rds describe-db-instance-automated-backups --output json`. */
  readonly restoreWindows?: { readonly file: string; readonly document: unknown };
  /** --zones: zone names that replace the default ones. */
  readonly zones?: readonly string[];
  /** --backup-location: where the rebuild keeps its own backups (default: the replaced location). */
  readonly backupLocation?: string;
  /** --gke-region: where the rebuild's GKE cluster runs (default: the nearest other region). */
  readonly gkeRegion?: string;
  /** The time the file is written (restore times may not be later). */
  readonly now: Date;
}

export interface DrStackFile {
  /** The rebuild's stack: us-dr. */
  readonly stack: string;
  readonly file: string;
  /** The new `config` mapping; the region is under `multicloud:region`. */
  readonly config: Record<string, unknown>;
  /** The region as it validates (the program will build exactly this). */
  readonly spec: RegionSpec;
  /** The region it replaces. */
  readonly lost: RegionSpec;
  readonly header: readonly string[];
  readonly notes: readonly DrNote[];
  /** Secret keys of the replaced stack that must be set again (they are encrypted per stack). */
  readonly secretsToSet: readonly string[];
}

export function drStackName(stack: string): string {
  return `${stack}-dr`;
}

/** Where a region runs: its AWS region, GCP region or Sakura zone. */
export function locationOf(spec: RegionSpec): string {
  switch (spec.cloud) {
    case "aws":
      return spec.aws.region;
    case "gcp":
      return spec.gcp.region;
    case "sakura":
      return spec.sakura.zone;
  }
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
      : parseRestoreTime(request.restoreTime, request.now, {
          stack: request.stack,
          days: spec.dr.backupRetentionDays,
        });
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
    `Rebuild of ${spec.name}: a name of its own, which prefixes every resource name, so nothing collides with what is left of ${spec.name} in a shared account or project.`,
  );
  if (typeof region.description === "string") {
    region.description = `Disaster-recovery rebuild of ${spec.name}: ${region.description}`.slice(
      0,
      200,
    );
  }

  const lost = locationOf(spec);
  const common = {
    stack: request.stack,
    to: request.to,
    snapshots,
    ...(request.zones !== undefined ? { zones: request.zones } : {}),
    ...(restoreTime !== undefined ? { restoreTime } : {}),
    ...(request.backups !== undefined ? { backups: request.backups } : {}),
  };
  let restore: RestoreRaw;
  switch (spec.cloud) {
    case "aws": {
      const windows = request.restoreWindows
        ? parseRestoreWindows(request.restoreWindows.document, request.restoreWindows.file)
        : undefined;
      restore = moveAws(region, spec, { ...common, ...(windows ? { windows } : {}) }, note);
      break;
    }
    case "gcp":
      restore = moveGcp(region, spec, common, note);
      break;
    case "sakura":
      restore = moveSakura(region, spec, common, note);
      break;
  }
  if (request.restoreWindows && spec.cloud !== "aws") {
    throw new DrInputError(`--restore-window applies to RDS databases; ${spec.name} has none`);
  }

  const backupLocation = request.backupLocation ?? lost;
  if (request.backupLocation !== undefined) {
    checkLocation("--backup-location", spec.cloud, request.backupLocation, [
      { location: request.to, why: `${request.to}, where the rebuild runs (--to)` },
    ]);
  }
  const formerHosts = ((region.dr ?? {}) as Raw).formerHosts;
  const dr: Raw = withoutUndefined({
    backupLocation,
    backupRetentionDays: spec.dr.backupRetentionDays,
    offsiteRegion: spec.dr.offsiteRegion,
    replaces: request.stack,
    formerHosts,
  });
  note(
    ["dr", "backupLocation"],
    `The rebuild's own backups go to ${describeLocation(spec.cloud, backupLocation)}${request.backupLocation === undefined ? `, where ${spec.name} was: if it is still down, \`pulumi up\` cannot create them there; write the file again with --backup-location` : ""}.`,
  );
  note(
    ["dr", "replaces"],
    `Replaces stack ${request.stack}: it may reuse ${request.stack}'s network ranges (the two never run connected).`,
  );
  const parts = Object.entries(restore).filter(
    ([, value]) => value !== undefined && Object.keys(value as Raw).length > 0,
  );
  if (parts.length > 0) {
    dr.restore = Object.fromEntries(parts);
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
        : `SECONDARY records; ${request.stack} has plain records for these names, which must be deleted before \`pulumi up\`: npm run dr -- --stack ${request.stack} --retire prints the command.`,
    );
  } else {
    front.failover = undefined;
    region.front = withoutUndefined(front);
    note(
      ["front"],
      `A DNS round-robin front: one health-checked multivalue record per nginx host, beside ${request.stack}'s (set identifiers carry the region's name); Route53 answers with the healthy ones.`,
    );
  }

  if (spec.gke) {
    moveGke(
      region,
      spec.gke,
      { stack: request.stack, cloud: spec.cloud, to: request.to },
      request.gkeRegion,
      note,
    );
  } else if (request.gkeRegion !== undefined) {
    throw new DrInputError(`--gke-region: ${spec.name} has no GKE cluster to move`);
  }
  if (region.gke === undefined) {
    // The VPN links end at a cluster the rebuild does not have: they stay behind too.
    const links = Array.isArray(region.links) ? (region.links as Raw[]) : [];
    const kept = links.filter((link) => link.kind !== "haVpn" && link.kind !== "ipsecVpn");
    if (kept.length !== links.length) {
      region.links = kept.length > 0 ? kept : undefined;
      // With no link left the key is gone: the note goes where the gke block's does.
      note(
        kept.length > 0 ? ["links"] : ["network"],
        `No VPN link to GKE: it ends at ${request.stack}'s cluster, which stays with ${request.stack}. Add one with a cluster elsewhere.`,
      );
    }
  }
  note(
    ["consul", "datacenter"],
    "Kept: the Consul snapshot restored into the rebuild comes from this datacenter.",
  );

  const regionOut = withoutUndefined(region);
  const rebuilt = parseRebuilt(regionOut, request.stack);
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
    `Disaster-recovery rebuild of stack ${request.stack} (${sourceFile}) in ${describeLocation(spec.cloud, request.to)}, written by \`npm run dr\` at ${request.now.toISOString().replace(/\.\d{3}Z$/, "Z")}.`,
    `Review it, then follow docs/disaster-recovery.md: pulumi stack init ${stack}, set its secrets, pulumi up -s ${stack}.`,
    ...(secretsToSet.length > 0
      ? [
          "Secrets are encrypted per stack and were not copied; set them again:",
          ...secretsToSet.map((key) => `  pulumi config set --secret ${key} -s ${stack} ...`),
        ]
      : []),
  ];
  return { stack, file, config, spec: rebuilt, lost: spec, header, notes, secretsToSet };
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

/** The rebuild as the program will read it; a problem is the tool's, since its inputs were checked. */
function parseRebuilt(raw: unknown, stack: string): RegionSpec {
  try {
    return parseRegionSpec(raw, "rebuild");
  } catch (error) {
    if (error instanceof ConfigError) {
      const [first] = error.message.split("\n");
      const problem = (first ?? error.message).replace(/^rebuild: /, "");
      throw new DrInputError(`the rebuild of ${stack} would not validate: ${problem}`);
    }
    throw error;
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
