import type * as pulumi from "@pulumi/pulumi";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
import { checkDiskEdit, type DiskEditInputs } from "./disk-edit";
import { serverPlans } from "./limits";
import type { ServerInputs } from "./server-provider";

/** Validates server inputs and fills in defaults (standard plan, powered on, disks kept). */
export function checkServerInputs(news: ServerInputs): {
  inputs: ServerInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const f = new Failures();
  f.string("zone", news.zone, zonePattern, zoneHint);
  f.string("name", news.name);
  f.optionalString("description", news.description);
  f.stringList("tags", news.tags);
  f.positiveInteger("cpu", news.cpu);
  f.positiveInteger("memoryGb", news.memoryGb);
  const commitment = news.commitment ?? "standard";
  if (!isUnknown(commitment) && commitment !== "standard" && commitment !== "dedicatedcpu") {
    f.add("commitment", 'must be "standard" or "dedicatedcpu"');
  }
  const interfaces = news.interfaces ?? [];
  f.stringList("interfaces", interfaces);
  if (Array.isArray(interfaces)) {
    // Only the first NIC can join the shared segment; further NICs go to switches.
    interfaces.forEach((nic, i) => {
      if (nic === "shared" && i > 0)
        f.add(`interfaces[${i}]`, '"shared" is allowed only as the first NIC');
      if (nic === "") f.add(`interfaces[${i}]`, 'must be "shared" or a switch ID');
    });
  }
  checkPlan(f, news.cpu, news.memoryGb, commitment);
  const packetFilterIds = checkPacketFilterIds(f, news.packetFilterIds, interfaces);
  const diskIds = news.diskIds ?? [];
  f.stringList("diskIds", diskIds);
  f.optionalString("cloudInitUserData", news.cloudInitUserData);
  let diskEdit: DiskEditInputs | undefined;
  if (news.diskEdit !== undefined) {
    diskEdit = checkDiskEdit(f, "diskEdit", news.diskEdit);
    if (Array.isArray(diskIds) && diskIds.length === 0) {
      f.add("diskEdit", "needs a disk to edit: give diskIds");
    }
    // Sakura's Terraform provider refuses the pair (user_data ConflictsWith disk_edit_parameter).
    if (news.cloudInitUserData !== undefined) {
      f.add(
        "diskEdit",
        "give either diskEdit or cloudInitUserData, not both: cloud-init images are set up by their user data, other images by the disk edit",
      );
    }
  }
  const inputs: ServerInputs = {
    zone: news.zone,
    name: news.name,
    description: news.description ?? "",
    tags: news.tags ?? [],
    cpu: news.cpu,
    memoryGb: news.memoryGb,
    commitment,
    interfaces,
    packetFilterIds,
    diskIds,
    powerOn: news.powerOn ?? true,
    diskEdit,
    cloudInitUserData: news.cloudInitUserData,
    deleteDisksOnDelete: news.deleteDisksOnDelete ?? false,
  };
  return { inputs, failures: f.list };
}

/**
 * One entry per NIC: a packet filter ID or null. Padded with nulls to the number of NICs, so
 * that the stored inputs compare equal to what a read reports.
 */
function checkPacketFilterIds(f: Failures, value: unknown, interfaces: unknown): (string | null)[] {
  const ids: unknown = value ?? [];
  if (isUnknown(ids)) return ids as (string | null)[]; // checked again once known
  if (!Array.isArray(ids)) {
    f.add("packetFilterIds", "must be a list of packet filter IDs or nulls, one per NIC");
    return [];
  }
  ids.forEach((id: unknown, i) => {
    if (id !== null && !isUnknown(id) && (typeof id !== "string" || id === "")) {
      f.add(`packetFilterIds[${i}]`, "must be a packet filter ID or null");
    }
  });
  if (!Array.isArray(interfaces)) return ids as (string | null)[];
  if (ids.length > interfaces.length) {
    f.add(
      "packetFilterIds",
      `has ${ids.length} entries but the server has ${interfaces.length} NIC(s)`,
    );
    return ids as (string | null)[];
  }
  const padding = new Array<null>(interfaces.length - ids.length).fill(null);
  return [...(ids as (string | null)[]), ...padding];
}

/** The CPU/memory pair must be a plan of the limits table (a plan that does not exist fails the create). */
function checkPlan(f: Failures, cpu: unknown, memoryGb: unknown, commitment: unknown): void {
  if ([cpu, memoryGb, commitment].some(isUnknown)) return;
  if (!Number.isInteger(cpu) || !Number.isInteger(memoryGb)) return; // reported above
  const found = serverPlans.some(
    (p) => p.cpu === cpu && p.memoryGb === memoryGb && p.commitment === commitment,
  );
  if (found) return;
  const known = serverPlans
    .filter((p) => p.commitment === commitment)
    .map((p) => `${p.cpu}/${p.memoryGb}`)
    .join(", ");
  f.add(
    "memoryGb",
    `no ${String(commitment)} Sakura Cloud server plan has ${String(cpu)} cores and ${String(memoryGb)} GiB; known plans (cores/GiB): ${known}`,
  );
}
