import type { SakuraClient } from "./client";
import type { ApiArchive, ArchiveListResponse, FindRequest } from "./types";

/**
 * The newest available public archive carrying every one of `tags`, e.g.
 * `["ubuntu-24.04-latest"]`. Public archives have Scope "shared"; a nested array under
 * `Tags.Name` asks the API for archives that have all the tags (AND).
 */
export async function findNewestPublicArchive(
  client: SakuraClient,
  tags: string[],
): Promise<ApiArchive> {
  const query: FindRequest = {
    Count: 100,
    Sort: ["-CreatedAt"],
    Filter: { "Tags.Name": [tags], Scope: ["shared"] },
  };
  const found = await client.get<ArchiveListResponse>("archive", query);
  // Filter again locally: the choice must not depend on the API honouring every condition.
  const candidates = (found.Archives ?? [])
    .filter((a) => a.Scope === "shared" && a.Availability === "available")
    .filter((a) => tags.every((t) => a.Tags?.includes(t)))
    .sort((a, b) => createdAtMs(b) - createdAtMs(a));
  const newest = candidates[0];
  if (newest === undefined) {
    throw new Error(
      `no available public archive in zone ${client.zone} has all tags [${tags.join(", ")}]`,
    );
  }
  return newest;
}

function createdAtMs(a: ApiArchive): number {
  const t = a.CreatedAt === undefined ? Number.NaN : Date.parse(a.CreatedAt);
  return Number.isNaN(t) ? 0 : t;
}
