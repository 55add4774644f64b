import type * as pulumi from "@pulumi/pulumi";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
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
  const diskIds = news.diskIds ?? [];
  f.stringList("diskIds", diskIds);
  f.optionalString("cloudInitUserData", news.cloudInitUserData);
  const inputs: ServerInputs = {
    zone: news.zone,
    name: news.name,
    description: news.description ?? "",
    tags: news.tags ?? [],
    cpu: news.cpu,
    memoryGb: news.memoryGb,
    commitment,
    interfaces,
    diskIds,
    powerOn: news.powerOn ?? true,
    cloudInitUserData: news.cloudInitUserData,
    deleteDisksOnDelete: news.deleteDisksOnDelete ?? false,
  };
  return { inputs, failures: f.list };
}
