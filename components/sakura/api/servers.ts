import type { SakuraClient } from "./client";
import { isStillCreating } from "./errors";
import type {
  ApiServer,
  InstanceStatus,
  NamedFields,
  ServerBootRequest,
  ServerCreateRequest,
  ServerDeleteRequest,
  ServerResponse,
  ServerUpdateRequest,
  ShutdownRequest,
} from "./types";
import { type PollPolicy, pollUntil } from "./wait";

export async function createServer(
  client: SakuraClient,
  request: ServerCreateRequest["Server"],
): Promise<ApiServer> {
  const body: ServerCreateRequest = { Server: request };
  return (await client.post<ServerResponse>("server", body)).Server;
}

export async function readServer(client: SakuraClient, id: string): Promise<ApiServer> {
  return (await client.get<ServerResponse>(`server/${id}`)).Server;
}

export async function updateServer(
  client: SakuraClient,
  id: string,
  fields: NamedFields,
): Promise<ApiServer> {
  const body: ServerUpdateRequest = { Server: fields };
  return (await client.put<ServerResponse>(`server/${id}`, body)).Server;
}

/** Deletes the server; `withDisks` are deleted by the API in the same call. */
export async function deleteServer(
  client: SakuraClient,
  id: string,
  withDisks: string[] = [],
): Promise<void> {
  const body: ServerDeleteRequest | undefined =
    withDisks.length > 0 ? { WithDisk: withDisks } : undefined;
  await client.delete(`server/${id}`, body);
}

/**
 * Powers the server on. While its disks are still being copied the API answers
 * 409 `still_creating`; that answer is retried every `stillCreating.intervalMs`, up to
 * `stillCreating.maxAttempts` requests.
 */
export async function bootServer(
  client: SakuraClient,
  id: string,
  stillCreating: PollPolicy,
  cloudInitUserData?: string,
): Promise<void> {
  const body: ServerBootRequest | undefined =
    cloudInitUserData === undefined
      ? undefined
      : { UserBootVariables: { CloudInit: { UserData: cloudInitUserData } } };
  for (let attempt = 1; ; attempt++) {
    try {
      await client.put(`server/${id}/power`, body);
      return;
    } catch (e) {
      if (!isStillCreating(e) || attempt >= stillCreating.maxAttempts) throw e;
      await client.sleep(stillCreating.intervalMs);
    }
  }
}

export async function shutdownServer(
  client: SakuraClient,
  id: string,
  force: boolean,
): Promise<void> {
  const body: ShutdownRequest = { Force: force };
  await client.delete(`server/${id}/power`, body);
}

export function waitServerStatus(
  client: SakuraClient,
  id: string,
  target: InstanceStatus,
  policy: PollPolicy,
): Promise<ApiServer> {
  return pollUntil(client.sleep, policy, {
    what: `server ${id} waiting for power state "${target}"`,
    read: () => readServer(client, id),
    done: (s) => s.Instance?.Status === target,
    describe: (s) => `"${s.Instance?.Status ?? "unknown"}"`,
  });
}

/**
 * Stops the server and waits until it is down. With `graceful`, an ACPI shutdown comes first
 * and the power is cut only when the OS has not stopped within that bound; without it the
 * power is cut at once. Returns at once when the server is already down.
 */
export async function powerOff(
  client: SakuraClient,
  id: string,
  graceful: PollPolicy | undefined,
  poll: PollPolicy,
): Promise<void> {
  const current = await readServer(client, id);
  if (current.Instance?.Status === "down") return;
  if (graceful !== undefined) {
    await shutdownServer(client, id, false);
    try {
      await waitServerStatus(client, id, "down", graceful);
      return;
    } catch {
      // the OS ignored the ACPI request: cut the power below
    }
  }
  await shutdownServer(client, id, true);
  await waitServerStatus(client, id, "down", poll);
}
