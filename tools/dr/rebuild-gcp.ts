// A GCP region moved to another GCP region of the same project: the region and its zones, and
// each MySQL data disk made from a snapshot of the lost disk (snapshots are global to the
// project). Pure.
import type { GcpRegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import { checkLocation, checkZones, describeLocation, gcpZones } from "./locations";
import type { Note, Raw, RestoreRaw } from "./rebuild-context";
import { gcpDiskRestores, type SnapshotChoice } from "./restore-choices";

export interface GcpMove {
  readonly to: string;
  readonly zones?: readonly string[];
  readonly restoreTime?: string;
  readonly snapshots: SnapshotChoice;
}

export function moveGcp(region: Raw, spec: GcpRegionSpec, move: GcpMove, note: Note): RestoreRaw {
  checkLocation("--to", "gcp", move.to, [
    { location: spec.gcp.region, why: `${spec.gcp.region}, where ${spec.name} was` },
  ]);
  let zones = move.zones;
  if (zones !== undefined) checkZones("gcp", move.to, zones);
  else {
    zones = gcpZones(move.to, spec.gcp.zones.length);
    if (zones.length < spec.gcp.zones.length) {
      throw new DrInputError(
        `--to ${move.to}: it has ${zones.length} zones and ${spec.name} spreads over ${spec.gcp.zones.length}; name the zones with --zones`,
      );
    }
  }
  region.gcp = { ...(region.gcp as Raw), region: move.to, zones: [...zones] };
  note(
    ["gcp", "region"],
    `Was ${describeLocation("gcp", spec.gcp.region)}; same project, whose names the rebuild prefixes with its own.`,
  );
  if (move.restoreTime !== undefined) {
    throw new DrInputError(
      `--restore-time: ${spec.name} keeps no point-in-time backups; its MySQL disks are restored from snapshots (the latest by default, or --snapshot mysql-1=NAME ...)`,
    );
  }
  if (move.snapshots.named.size === 0 && move.snapshots.label === undefined) {
    note(
      ["dr", "restore"],
      `Each MySQL data disk is made from the most recent snapshot of ${spec.name}'s disk, looked up at \`pulumi up\`: name an older one with --snapshot mysql-1=NAME.`,
    );
  }
  return { mysqlDisks: gcpDiskRestores(spec, move.snapshots) };
}
