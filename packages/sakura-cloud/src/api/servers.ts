import type { SakuraClient } from "./client";
import {
  changePower,
  type PowerTarget,
  type PowerTimings,
  powerOff as powerOffTarget,
  shutdown,
  waitPowerStatus,
} from "./power";
import type {
  ApiServer,
  InstanceStatus,
  NamedFields,
  ServerBootRequest,
  ServerCreateRequest,
  ServerDeleteRequest,
  ServerResponse,
  ServerUpdateRequest,
} from "./types";
import type { PollPolicy } from "./wait";

export type { PowerTimings } from "./power";

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
  return changePower(serverPower(client, id), "up", timings, () =>
    client.put(`server/${id}/power`, body),
  );
}

/** Shuts the server down (ACPI, or cut with `force`) and waits until it is down. */
export function shutdownServer(
  client: SakuraClient,
  id: string,
  force: boolean,
  timings: PowerTimings,
): Promise<ApiServer> {
  return shutdown(serverPower(client, id), force, timings);
}

/** Reads until the server reports `target`, without sending anything. */
export function waitServerStatus(
  client: SakuraClient,
  id: string,
  target: InstanceStatus,
  policy: PollPolicy,
): Promise<ApiServer> {
  return waitPowerStatus(serverPower(client, id), target, policy);
}

/**
 * Stops the server and waits until it is down: an ACPI shutdown first with `graceful` (see
 * power.ts powerOff), else the power is cut at once. Returns at once when it is already down.
 */
export function powerOff(
  client: SakuraClient,
  id: string,
  graceful: PollPolicy | undefined,
  timings: PowerTimings,
): Promise<void> {
  return powerOffTarget(serverPower(client, id), graceful, timings);
}

function serverPower(client: SakuraClient, id: string): PowerTarget<ApiServer> {
  return { client, what: `server ${id}`, path: `server/${id}`, read: () => readServer(client, id) };
}
