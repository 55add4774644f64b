import type * as pulumi from "@pulumi/pulumi";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
import type { DiskEditInputs, DiskInputs } from "./disk-provider";

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Validates disk inputs and fills in defaults (plan ssd, 20 GiB, password login off). */
export function checkDiskInputs(news: DiskInputs): {
  inputs: DiskInputs;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const f = new Failures();
  f.string("zone", news.zone, zonePattern, zoneHint);
  f.string("name", news.name);
  f.optionalString("description", news.description);
  f.stringList("tags", news.tags);
  const plan = news.plan ?? "ssd";
  if (!isUnknown(plan) && plan !== "ssd" && plan !== "hdd") f.add("plan", 'must be "ssd" or "hdd"');
  const sizeGb = news.sizeGb ?? 20;
  f.positiveInteger("sizeGb", sizeGb);
  f.optionalString("sourceArchiveId", news.sourceArchiveId);
  f.stringList("sourceArchiveTags", news.sourceArchiveTags);
  if (news.sourceArchiveId !== undefined && news.sourceArchiveTags !== undefined) {
    f.add("sourceArchiveTags", "give either sourceArchiveId or sourceArchiveTags, not both");
  }
  if (Array.isArray(news.sourceArchiveTags) && news.sourceArchiveTags.length === 0) {
    f.add("sourceArchiveTags", "must name at least one tag");
  }
  let edit: DiskEditInputs | undefined;
  if (news.edit !== undefined) {
    if (news.sourceArchiveId === undefined && news.sourceArchiveTags === undefined) {
      f.add("edit", "disk edit needs an OS image: give sourceArchiveId or sourceArchiveTags");
    }
    edit = checkEdit(f, news.edit);
  }
  const inputs: DiskInputs = {
    zone: news.zone,
    name: news.name,
    description: news.description ?? "",
    tags: news.tags ?? [],
    plan,
    sizeGb,
    sourceArchiveId: news.sourceArchiveId,
    sourceArchiveTags: news.sourceArchiveTags,
    edit,
  };
  return { inputs, failures: f.list };
}

function checkEdit(f: Failures, edit: Partial<DiskEditInputs>): DiskEditInputs {
  f.optionalString("edit.hostName", edit.hostName);
  f.stringList("edit.sshPublicKeys", edit.sshPublicKeys);
  for (const field of ["ipAddress", "defaultRoute"] as const) {
    const value = edit[field];
    if (value !== undefined && !isUnknown(value) && !ipv4.test(value)) {
      f.add(`edit.${field}`, "must be an IPv4 address");
    }
  }
  if (edit.ipAddress !== undefined && edit.networkMaskLen === undefined) {
    f.add("edit.networkMaskLen", "is required with edit.ipAddress");
  }
  const mask = edit.networkMaskLen;
  if (
    mask !== undefined &&
    !isUnknown(mask) &&
    !(Number.isInteger(mask) && mask >= 8 && mask <= 30)
  ) {
    f.add("edit.networkMaskLen", "must be an integer from 8 to 30");
  }
  for (const [i, script] of (edit.startupScripts ?? []).entries()) {
    f.string(`edit.startupScripts[${i}].noteId`, script?.noteId);
  }
  return { ...edit, disablePasswordAuth: edit.disablePasswordAuth ?? true };
}
