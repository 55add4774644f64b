import type { SakuraClient } from "./client";
import type {
  ApiSwitch,
  NamedFields,
  SwitchCreateRequest,
  SwitchResponse,
  SwitchUpdateRequest,
} from "./types";

export async function createSwitch(client: SakuraClient, fields: NamedFields): Promise<ApiSwitch> {
  const body: SwitchCreateRequest = { Switch: fields };
  return (await client.post<SwitchResponse>("switch", body)).Switch;
}

export async function readSwitch(client: SakuraClient, id: string): Promise<ApiSwitch> {
  return (await client.get<SwitchResponse>(`switch/${id}`)).Switch;
}

export async function updateSwitch(
  client: SakuraClient,
  id: string,
  fields: NamedFields,
): Promise<ApiSwitch> {
  const body: SwitchUpdateRequest = { Switch: fields };
  return (await client.put<SwitchResponse>(`switch/${id}`, body)).Switch;
}

export async function deleteSwitch(client: SakuraClient, id: string): Promise<void> {
  await client.delete(`switch/${id}`);
}
