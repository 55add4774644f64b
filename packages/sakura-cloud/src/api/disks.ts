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

/**
 * "Disk edit": writes host name, keys, network and startup scripts into the OS of a disk that is
 * connected to its server (the edit learns the server's address from the connection; Sakura's
 * builder connects first, iaas-service-go disk/builder/builder.go ConnectedDiskBuilder.Build).
 * Sent with `Background`, so the API answers at once and runs the edit as a job; follow it with
 * waitDiskEdited. Never sent twice on its own: a repeat while the job runs is refused with 409,
 * so an edit whose answer was lost or that met a 5xx fails here, with its outcome unknown.
 */
export async function editDisk(
  client: SakuraClient,
  id: string,
  edit: DiskEditRequest,
): Promise<void> {
  const body: DiskEditRequest = { ...edit, Background: true };
  await client.put(`disk/${id}/config`, body, "only-if-refused");
}

/**
 * Waits for a background disk edit to end: the disk turns `available` again, and a failed edit
 * leaves its reason in `JobStatus.ConfigError` (iaas-api-go naked/disk.go).
 */
export async function waitDiskEdited(
  client: SakuraClient,
  id: string,
  policy: PollPolicy,
): Promise<ApiDisk> {
  const disk = await pollUntil(client.sleep, policy, {
    what: `disk ${id}`,
    read: () => readDisk(client, id),
    done: (d) => d.Availability === "available",
    failed: (d) =>
      d.Availability === "failed"
        ? (editFailure(d) ?? "the API reports the disk as failed")
        : undefined,
    describe: (d) => `${d.Availability ?? "without availability"}`,
  });
  const failure = editFailure(disk);
  if (failure !== undefined) throw new Error(`disk ${id}: ${failure}`);
  return disk;
}

function editFailure(disk: ApiDisk): string | undefined {
  const error = disk.JobStatus?.ConfigError;
  if (!error) return undefined;
  return `the disk edit failed: ${error.ErrorCode ?? "unknown_error"}: ${error.ErrorMsg ?? "no message"}`;
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
