import type * as pulumi from "@pulumi/pulumi";
import { isTagPattern } from "../api/archives";
import { Failures, isUnknown, zoneHint, zonePattern } from "./check";
import type { DiskInputs } from "./disk-provider";
import { diskSizesGb } from "./limits";

/** Validates disk inputs and fills in defaults (plan ssd, 20 GiB). */
export function checkDiskInputs(news: DiskInputs & { edit?: unknown }): {
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
  if (Number.isInteger(sizeGb) && sizeGb > 0 && !diskSizesGb.includes(sizeGb)) {
    f.add("sizeGb", `must be a size Sakura Cloud offers: ${diskSizesGb.join(", ")} GiB`);
  }
  f.optionalString("sourceArchiveId", news.sourceArchiveId);
  f.stringList("sourceArchiveTags", news.sourceArchiveTags);
  if (news.sourceArchiveId !== undefined && news.sourceArchiveTags !== undefined) {
    f.add("sourceArchiveTags", "give either sourceArchiveId or sourceArchiveTags, not both");
  }
  checkTags(f, news.sourceArchiveTags);
  if (news.edit !== undefined) {
    // Sakura edits a disk only once it is connected to its server, so the edit moved there.
    f.add(
      "edit",
      "the disk edit is applied by the server that boots the disk: give SakuraServer's diskEdit",
    );
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
  };
  return { inputs, failures: f.list };
}

function checkTags(f: Failures, tags: unknown): void {
  if (!Array.isArray(tags)) return;
  if (tags.length === 0) {
    f.add("sourceArchiveTags", "must name at least one tag");
    return;
  }
  const known = tags.filter((t): t is string => typeof t === "string");
  for (const [i, tag] of known.entries()) {
    if (tag.slice(0, -1).includes("*") || tag === "*") {
      f.add(`sourceArchiveTags[${i}]`, 'only a trailing "*" is allowed, after a prefix');
    }
  }
  if (known.length === tags.length && known.every(isTagPattern)) {
    f.add(
      "sourceArchiveTags",
      "needs at least one whole tag (such as cloud-init or distro-ubuntu): the API searches by whole tags",
    );
  }
}
