import type { SakuraClient } from "./client";
import type {
  ApiPacketFilter,
  PacketFilterCreateRequest,
  PacketFilterFields,
  PacketFilterResponse,
  PacketFilterUpdateRequest,
} from "./types";

export async function createPacketFilter(
  client: SakuraClient,
  fields: PacketFilterFields,
): Promise<ApiPacketFilter> {
  const body: PacketFilterCreateRequest = { PacketFilter: fields };
  return (await client.post<PacketFilterResponse>("packetfilter", body)).PacketFilter;
}

export async function readPacketFilter(client: SakuraClient, id: string): Promise<ApiPacketFilter> {
  return (await client.get<PacketFilterResponse>(`packetfilter/${id}`)).PacketFilter;
}

/**
 * Replaces name, description and the whole rule list. The new rules apply at once to every NIC
 * the filter is attached to. (The API's optional `OriginalExpressionHash` guard is not sent: the
 * program's rules are the desired state, and rules edited by hand are meant to be overwritten.)
 */
export async function updatePacketFilter(
  client: SakuraClient,
  id: string,
  fields: PacketFilterFields,
): Promise<ApiPacketFilter> {
  const body: PacketFilterUpdateRequest = { PacketFilter: fields };
  return (await client.put<PacketFilterResponse>(`packetfilter/${id}`, body)).PacketFilter;
}

export async function deletePacketFilter(client: SakuraClient, id: string): Promise<void> {
  await client.delete(`packetfilter/${id}`);
}
