import type { SakuraClient } from "./client";
import type {
  ApiDisk,
  DiskCreateRequest,
  DiskEditRequest,
  DiskResponse,
  DiskUpdateRequest,
  NamedFields,
} from "./types";
import { type PollPolicy, pollUntil } from "./wait";

/** Disk plan IDs of the API. */
export const diskPlanIds = { ssd: 4, hdd: 2 } as const;
export type DiskPlanName = keyof typeof diskPlanIds;

export async function createDisk(
  client: SakuraClient,
  request: DiskCreateRequest["Disk"],
): Promise<ApiDisk> {
  const body: DiskCreateRequest = { Disk: request };
  return (await client.post<DiskResponse>("disk", body)).Disk;
}

export async function readDisk(client: SakuraClient, id: string): Promise<ApiDisk> {
  return (await client.get<DiskResponse>(`disk/${id}`)).Disk;
}

export async function updateDisk(
  client: SakuraClient,
  id: string,
  fields: NamedFields,
): Promise<ApiDisk> {
  const body: DiskUpdateRequest = { Disk: fields };
  return (await client.put<DiskResponse>(`disk/${id}`, body)).Disk;
}

/** "Disk edit": writes host name, keys, network and startup scripts into the disk's OS. */
export async function editDisk(
  client: SakuraClient,
  id: string,
  edit: DiskEditRequest,
): Promise<void> {
  await client.put(`disk/${id}/config`, edit);
}

export async function deleteDisk(client: SakuraClient, id: string): Promise<void> {
  await client.delete(`disk/${id}`);
}

export async function connectDiskToServer(
  client: SakuraClient,
  diskId: string,
  serverId: string,
): Promise<void> {
  await client.put(`disk/${diskId}/to/server/${serverId}`);
}

export async function disconnectDisk(client: SakuraClient, diskId: string): Promise<void> {
  await client.delete(`disk/${diskId}/to/server`);
}

/** Waits while the disk is being copied (`migrating`) until it is `available`. */
export function waitDiskAvailable(
  client: SakuraClient,
  id: string,
  policy: PollPolicy,
): Promise<ApiDisk> {
  return pollUntil(client.sleep, policy, {
    what: `disk ${id}`,
    read: () => readDisk(client, id),
    done: (d) => d.Availability === "available",
    failed: (d) => (d.Availability === "failed" ? "the API reports the disk as failed" : undefined),
    describe: (d) => `${d.Availability ?? "without availability"}`,
  });
}
