import type { SakuraClient } from "./client";
import { hasErrorCode, isConflict, isStillCreating } from "./errors";
import { withPowerLock } from "./power-lock";
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
 * How a power change is driven, after Sakura's own helper (iaas-api-go helper/power/power.go):
 * the first request is repeated while the API answers 409 `still_creating` (the disks are still
 * being copied); then the state is read until it is reached, and while the server still reads
 * the old state the request is sent again every `resendAfterMs` (20 s there,
 * defaults.DefaultPowerHelperBootRetrySpan); a 409 to a request means one is already under way
 * (libsacloud issue #742: booting a running or booting server answers 409 `conflict`).
 */
export interface PowerTimings {
  stillCreating: PollPolicy;
  /** Reads of the power state; the bound of the whole wait. */
  poll: PollPolicy;
  resendAfterMs: number;
}

/** Powers the server on and waits until it is up; cloud-init user data rides on each request. */
export function bootServer(
  client: SakuraClient,
  id: string,
  timings: PowerTimings,
  cloudInitUserData?: string,
): Promise<ApiServer> {
  const body: ServerBootRequest | undefined =
    cloudInitUserData === undefined
      ? undefined
      : { UserBootVariables: { CloudInit: { UserData: cloudInitUserData } } };
  return changePower(client, id, "up", timings, () => client.put(`server/${id}/power`, body));
}

/** Shuts the server down (ACPI, or cut with `force`) and waits until it is down. */
export function shutdownServer(
  client: SakuraClient,
  id: string,
  force: boolean,
  timings: PowerTimings,
): Promise<ApiServer> {
  const body: ShutdownRequest = { Force: force };
  return changePower(client, id, "down", timings, () => client.delete(`server/${id}/power`, body));
}

async function changePower(
  client: SakuraClient,
  id: string,
  target: InstanceStatus,
  timings: PowerTimings,
  send: () => Promise<unknown>,
): Promise<ApiServer> {
  let underWay = (await firstRequest(client, timings.stillCreating, send)) === "under way";
  let readsSinceSent = 0;
  const resendReads = Math.max(1, Math.ceil(timings.resendAfterMs / timings.poll.intervalMs));
  const opposite: InstanceStatus = target === "up" ? "down" : "up";
  return pollUntil(client.sleep, timings.poll, {
    what: `server ${id} waiting for power state "${target}"`,
    read: async () => {
      const server = await readServer(client, id);
      const status = server.Instance?.Status;
      if (status !== target && status === opposite && !underWay && readsSinceSent >= resendReads) {
        readsSinceSent = 0;
        try {
          await withPowerLock(send);
        } catch (e) {
          if (!isConflict(e)) throw e;
          underWay = true; // the API took an earlier request: stop repeating it
        }
      }
      readsSinceSent++;
      return server;
    },
    done: (s) => s.Instance?.Status === target,
    describe: (s) => `"${s.Instance?.Status ?? "unknown"}"`,
  });
}

/**
 * The first power request, repeated while the API says the server cannot take it yet (409
 * `still_creating`; 409 `server_is_cleaning` right after a stop). A 409 `conflict` means a
 * request is already under way, e.g. this one sent again after its answer was lost.
 */
async function firstRequest(
  client: SakuraClient,
  policy: PollPolicy,
  send: () => Promise<unknown>,
): Promise<"sent" | "under way"> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withPowerLock(send);
      return "sent";
    } catch (e) {
      if (hasErrorCode(e, 409, "conflict")) return "under way";
      const notYet = isStillCreating(e) || hasErrorCode(e, 409, "server_is_cleaning");
      if (!notYet || attempt >= policy.maxAttempts) throw e;
      await client.sleep(policy.intervalMs);
    }
  }
}

/** Reads until the server reports `target`, without sending anything. */
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
 * (sent again while the OS is still up, which ignores a request that comes while it boots) and
 * the power is cut only when the OS has not stopped within that bound; without it the power is
 * cut at once. Returns at once when the server is already down; waits out `cleaning`.
 */
export async function powerOff(
  client: SakuraClient,
  id: string,
  graceful: PollPolicy | undefined,
  timings: PowerTimings,
): Promise<void> {
  const current = await readServer(client, id);
  const status = current.Instance?.Status;
  if (status === "down") return;
  if (status === "cleaning") {
    await waitServerStatus(client, id, "down", timings.poll);
    return;
  }
  if (graceful !== undefined) {
    try {
      await shutdownServer(client, id, false, { ...timings, poll: graceful });
      return;
    } catch {
      // the OS ignored the ACPI requests (or the request failed): cut the power below
    }
  }
  await shutdownServer(client, id, true, timings);
}
