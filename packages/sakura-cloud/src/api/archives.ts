import type { SakuraClient } from "./client";
import type { ApiArchive, ApiDisk, ArchiveListResponse, FindRequest } from "./types";

/** Public archives made for cloud-init carry this tag (Sakura calls them "cloudimg" archives). */
export const cloudInitTag = "cloud-init";

/** A tag ending in `*` matches every tag that starts with the text before it. */
export function isTagPattern(tag: string): boolean {
  return tag.endsWith("*");
}

function tagMatches(wanted: string, tag: string): boolean {
  return isTagPattern(wanted) ? tag.startsWith(wanted.slice(0, -1)) : tag === wanted;
}

/** Whether an archive carries every wanted tag (exact tags, or prefixes ending in `*`). */
export function archiveHasTags(archive: ApiArchive, wanted: readonly string[]): boolean {
  return wanted.every((w) => (archive.Tags ?? []).some((t) => tagMatches(w, t)));
}

/**
 * The newest available public archive carrying every one of `tags`. Sakura's own libraries pick
 * "the latest Ubuntu 24.04" by the moving tag `ubuntu-24.04-latest` in Scope "shared"
 * (iaas-api-go ostype/filter_criteria.go, helper/query/archive_find_by_ostype.go); the
 * cloud-init images are tagged by release instead (`cloud-init`, `distro-ubuntu`,
 * `distro-ver-24.04.2`), so a version is asked for with a prefix such as `distro-ver-24.04*`.
 * The API matches whole tags only (a nested array under `Tags.Name` is an AND), so the exact
 * tags go to the API and the prefixes are matched here.
 */
export async function findNewestPublicArchive(
  client: SakuraClient,
  tags: string[],
): Promise<ApiArchive> {
  const newest = (await findPublicArchives(client, tags))[0];
  if (newest === undefined) throw new Error(noArchiveMessage(client.zone, tags));
  return newest;
}

/** Every available public archive with all `tags`, newest first. */
export async function findPublicArchives(
  client: SakuraClient,
  tags: readonly string[],
): Promise<ApiArchive[]> {
  const exact = tags.filter((t) => !isTagPattern(t));
  const query: FindRequest = {
    Count: 100,
    Sort: ["-CreatedAt"],
    Filter: { ...(exact.length > 0 ? { "Tags.Name": [exact] } : {}), Scope: ["shared"] },
  };
  const found = await client.get<ArchiveListResponse>("archive", query);
  // Filter again locally: the choice must not depend on the API honouring every condition.
  return (found.Archives ?? [])
    .filter((a) => a.Scope === "shared" && a.Availability === "available")
    .filter((a) => archiveHasTags(a, tags))
    .sort((a, b) => createdAtMs(b) - createdAtMs(a));
}

export function noArchiveMessage(zone: string, tags: readonly string[]): string {
  return `no available public archive in zone ${zone} has all tags [${tags.join(", ")}]`;
}

export async function readArchive(client: SakuraClient, id: string): Promise<ApiArchive> {
  return (await client.get<{ Archive: ApiArchive }>(`archive/${id}`)).Archive;
}

/**
 * The public archive a disk descends from, following private copies back to it like Sakura's
 * own helper does (iaas-api-go helper/query/public_archive_info.go); undefined for a blank disk
 * or a chain that never reaches a public archive.
 */
export async function publicArchiveOfDisk(
  client: SakuraClient,
  disk: ApiDisk,
): Promise<ApiArchive | undefined> {
  let next: { ID: string } | null | undefined = disk.SourceArchive;
  for (let depth = 0; next && depth < 10; depth++) {
    const archive = await readArchive(client, next.ID);
    if (archive.Scope === "shared") return archive;
    next = archive.SourceArchive;
  }
  return undefined;
}

function createdAtMs(a: ApiArchive): number {
  const t = a.CreatedAt === undefined ? Number.NaN : Date.parse(a.CreatedAt);
  return Number.isNaN(t) ? 0 : t;
}
