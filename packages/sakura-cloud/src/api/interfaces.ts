import type { SakuraClient } from "./client";
import { messageOf } from "./errors";
import type { ApiServer } from "./types";

/** Applies a packet filter to the packets arriving on a NIC; the NIC must have none yet. */
export async function connectPacketFilter(
  client: SakuraClient,
  interfaceId: string,
  packetFilterId: string,
): Promise<void> {
  await client.put(`interface/${interfaceId}/to/packetfilter/${packetFilterId}`);
}

/** Removes the NIC's packet filter: from then on every packet reaches the server. */
export async function disconnectPacketFilter(
  client: SakuraClient,
  interfaceId: string,
): Promise<void> {
  await client.delete(`interface/${interfaceId}/to/packetfilter`);
}

/**
 * Brings each NIC of `server` (as last read) to the wanted packet filter: `wanted[i]` for the
 * i-th NIC, null or absent for none. A NIC holds one filter and the API will not swap it in one
 * call, so a change is a detach followed by an attach; the NIC is unfiltered in between, and
 * stays so if the attach fails, which the error says.
 */
export async function reconcilePacketFilters(
  client: SakuraClient,
  server: ApiServer,
  wanted: readonly (string | null)[],
): Promise<void> {
  const nics = server.Interfaces ?? [];
  if (wanted.length > nics.length) {
    throw new Error(
      `server ${server.ID} has ${nics.length} NIC(s) but packet filters for ${wanted.length} were given`,
    );
  }
  for (const [index, nic] of nics.entries()) {
    const current = nic.PacketFilter?.ID ?? null;
    const target = wanted[index] ?? null;
    if (current === target) continue;
    if (current !== null) {
      try {
        await disconnectPacketFilter(client, nic.ID);
      } catch (e) {
        throw nicError(index, nic.ID, `detaching packet filter ${current}`, e, "keeps it");
      }
    }
    if (target !== null) {
      try {
        await connectPacketFilter(client, nic.ID, target);
      } catch (e) {
        throw nicError(index, nic.ID, `attaching packet filter ${target}`, e, "has no filter now");
      }
    }
  }
}

function nicError(index: number, id: string, what: string, cause: unknown, state: string): Error {
  return new Error(`NIC #${index} (${id}): ${what} failed, the NIC ${state}: ${messageOf(cause)}`, {
    cause,
  });
}
