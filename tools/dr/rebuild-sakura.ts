// A Sakura region moved to another Sakura Cloud zone. Its dedicated servers are metal in the lost
// zone: the rebuild runs their roles on Sakura Cloud servers, sized from the role's size as the
// Sakura site sizes every cloud server (the plan and disk are said in the file), and answers the
// servers' old names in the internal zone (dr.formerHosts). MySQL's primary loads the lost
// primary's newest dump. Pure.
import { serverPlans } from "@multicloud/sakura-cloud";
import { sakuraDiskSize, sakuraPlan, sizeRequests } from "../../components/sakura/site/sizes";
import type { Role } from "../../components/spec/hosts";
import type { SakuraRegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import { mysqlDumps } from "./host-dumps";
import { checkLocation, describeLocation } from "./locations";
import { type Note, type Raw, type RestoreRaw, withoutUndefined } from "./rebuild-context";
import type { SnapshotChoice } from "./restore-choices";

export interface SakuraMove {
  readonly stack: string;
  readonly to: string;
  readonly zones?: readonly string[];
  readonly backups?: unknown;
  readonly restoreTime?: string;
  readonly snapshots: SnapshotChoice;
}

export function moveSakura(
  region: Raw,
  spec: SakuraRegionSpec,
  move: SakuraMove,
  note: Note,
): RestoreRaw {
  checkLocation("--to", "sakura", move.to, [
    { location: spec.sakura.zone, why: `${spec.sakura.zone}, where ${spec.name} was` },
  ]);
  if (
    move.restoreTime !== undefined ||
    move.snapshots.named.size > 0 ||
    move.snapshots.label !== undefined
  ) {
    throw new DrInputError(
      `--restore-time and --snapshot do not apply to ${spec.name}: its MySQL comes back from its newest dump`,
    );
  }
  if (move.zones !== undefined) {
    throw new DrInputError(`--zones does not apply to ${spec.name}: a Sakura region is one zone`);
  }
  region.sakura = withoutUndefined({
    ...(region.sakura as Raw),
    zone: move.to,
    dedicated: undefined,
  });
  note(["sakura", "zone"], `Was ${describeLocation("sakura", spec.sakura.zone)}.`);

  const hosts = region.hosts as Record<string, Raw>;
  const formerHosts: Record<string, string> = {};
  for (const [role, host] of Object.entries(spec.hosts) as [Role, (typeof spec.hosts)[Role]][]) {
    if (host.placement !== "dedicated") continue;
    const servers = spec.sakura.dedicated.filter((server) => server.role === role);
    servers.forEach((server, index) => {
      formerHosts[server.name] = `${role}-${index + 1}`;
    });
    const raw: Raw = withoutUndefined({ ...hosts[role], placement: undefined });
    const names = servers.map((server) => server.name);
    note(["hosts", role], sizeFor(spec, role, raw, names));
    hosts[role] = raw;
  }
  const restore: RestoreRaw = {};
  if (spec.hosts.mysql.count > 0) {
    restore.mysqlDumps = mysqlDumps(spec, move.stack, move.backups);
    note(
      ["hosts", "mysql"],
      `the MySQL hosts start empty; ${spec.name}'s newest complete dump of ${String(restore.mysqlDumps.primary)}, found through dr.restore.mysqlDumps, is loaded on every one of them at first boot, before replication (docs/disaster-recovery.md, step 4b).`,
    );
  }
  if (Object.keys(formerHosts).length > 0) {
    const dr = (region.dr ?? {}) as Raw;
    region.dr = { ...dr, formerHosts };
  }
  return restore;
}

/** Roles whose hosts hold no data of their own: more, smaller servers can replace them. */
const SCALE_OUT: readonly Role[] = ["nginx", "app", "chocon"];

/**
 * What a role's dedicated servers become: Sakura Cloud servers on the plan the Sakura site gives
 * the role's size. Metal can be larger than any Sakura Cloud plan known to exist: the role then
 * takes the largest one (machineType), and a role without data of its own gets more servers, so
 * that it keeps at least its cores and memory. Edits the role's raw spec; returns the comment.
 */
function sizeFor(spec: SakuraRegionSpec, role: Role, raw: Raw, servers: readonly string[]): string {
  const host = spec.hosts[role];
  const where = `hosts.${role}`;
  const diskGb = role === "mysql" && "dataDiskGb" in host ? host.dataDiskGb : host.diskGb;
  const want = sizeRequests[host.size];
  const count = servers.length;
  let plan: { cpu: number; memoryGb: number };
  let disk: number;
  let shortfall = "";
  try {
    disk = sakuraDiskSize(diskGb, where);
  } catch (error) {
    throw new DrInputError(error instanceof Error ? error.message : String(error));
  }
  try {
    plan = sakuraPlan(host.size, host.machineType, where);
  } catch {
    const largest = serverPlans
      .filter((row) => row.commitment === "standard")
      .sort((a, b) => b.cpu - a.cpu || b.memoryGb - a.memoryGb)[0];
    if (!largest) throw new DrInputError(`${where}: no Sakura Cloud server plan is known`);
    plan = { cpu: largest.cpu, memoryGb: largest.memoryGb };
    raw.machineType = `${plan.cpu}c${plan.memoryGb}g`;
    if (SCALE_OUT.includes(role)) {
      const needed = Math.max(
        Math.ceil((count * want.cpu) / plan.cpu),
        Math.ceil((count * want.memoryGb) / plan.memoryGb),
      );
      raw.count = needed;
      shortfall = ` No Sakura Cloud plan known to exist is as large as size ${host.size} (${want.cpu} cores / ${want.memoryGb} GiB): the largest, ${raw.machineType}, on ${needed} servers instead of ${count} keeps the role's cores and memory.`;
    } else {
      shortfall = ` No Sakura Cloud plan known to exist is as large as size ${host.size} (${want.cpu} cores / ${want.memoryGb} GiB): each server takes the largest, ${raw.machineType}, and has less than its metal had.`;
    }
  }
  const names = servers.map((server, index) => `${server} -> ${role}-${index + 1}`).join(", ");
  return (
    `The dedicated servers are metal in ${spec.sakura.zone}: ${names} run as Sakura Cloud servers, ` +
    `plan ${plan.cpu} cores / ${plan.memoryGb} GiB, one ${spec.sakura.diskPlan} disk of ${disk} GB ` +
    `(Sakura's smallest size that holds ${diskGb} GB).${shortfall} ` +
    "Their old names still answer in the internal zone (dr.formerHosts)."
  );
}
