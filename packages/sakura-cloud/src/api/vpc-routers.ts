// VPC routers: appliances of class "vpcrouter" under `appliance/` (iaas-api-go
// internal/define/vpc_router.go: vpcRouterAPIPathName = "appliance", envelope "Appliance").
import type { SakuraClient } from "./client";
import { boot, type PowerTarget, type PowerTimings, powerOff } from "./power";
import type {
  ApiVpcRouter,
  VpcRouterCreateRequest,
  VpcRouterResponse,
  VpcRouterUpdateRequest,
} from "./types";
import { type PollPolicy, pollUntil } from "./wait";

/** POST appliance: the router is built in the background and reads `migrating` until ready. */
export async function createVpcRouter(
  client: SakuraClient,
  request: VpcRouterCreateRequest["Appliance"],
): Promise<ApiVpcRouter> {
  const body: VpcRouterCreateRequest = { Appliance: request };
  return (await client.post<VpcRouterResponse>("appliance", body)).Appliance;
}

export async function readVpcRouter(client: SakuraClient, id: string): Promise<ApiVpcRouter> {
  return (await client.get<VpcRouterResponse>(`appliance/${id}`)).Appliance;
}

/**
 * PUT appliance/:id with name, description, tags and the whole settings, and the SettingsHash
 * last read (iaas-service-go vpcrouter/builder/builder.go update). The router keeps running
 * what it ran before until applyVpcRouterConfig.
 */
export async function updateVpcRouter(
  client: SakuraClient,
  id: string,
  appliance: VpcRouterUpdateRequest["Appliance"],
): Promise<ApiVpcRouter> {
  const body: VpcRouterUpdateRequest = { Appliance: appliance };
  return (await client.put<VpcRouterResponse>(`appliance/${id}`, body)).Appliance;
}

/**
 * PUT appliance/:id/config: the router takes up the stored settings. Sakura's builder sends it
 * after every change of the settings, before the first boot as well (builder.go create and
 * update: UpdateSettings/Update, then Config).
 */
export async function applyVpcRouterConfig(client: SakuraClient, id: string): Promise<void> {
  await client.put(`appliance/${id}/config`);
}

/** PUT appliance/:id/interface/:index/to/switch/:switchId (NICs 1-7; the router must be down). */
export async function connectVpcRouterToSwitch(
  client: SakuraClient,
  id: string,
  index: number,
  switchId: string,
): Promise<void> {
  await client.put(`appliance/${id}/interface/${index}/to/switch/${switchId}`);
}

/** DELETE appliance/:id/interface/:index/to/switch (the router must be down). */
export async function disconnectVpcRouterFromSwitch(
  client: SakuraClient,
  id: string,
  index: number,
): Promise<void> {
  await client.delete(`appliance/${id}/interface/${index}/to/switch`);
}

export async function deleteVpcRouter(client: SakuraClient, id: string): Promise<void> {
  await client.delete(`appliance/${id}`);
}

/**
 * Waits while the router is being built (`migrating`) until it is `available`; Sakura's builder
 * waits the same way before it connects NICs or sends settings (iaas-service-go
 * setup.RetryableSetup IsWaitForCopy).
 */
export function waitVpcRouterAvailable(
  client: SakuraClient,
  id: string,
  policy: PollPolicy,
): Promise<ApiVpcRouter> {
  return pollUntil(client.sleep, policy, {
    what: `VPC router ${id}`,
    read: () => readVpcRouter(client, id),
    done: (r) => r.Availability === "available",
    failed: (r) =>
      r.Availability === "failed" ? "the API reports the router as failed" : undefined,
    describe: (r) => `${r.Availability ?? "without availability"}`,
  });
}

export function bootVpcRouter(
  client: SakuraClient,
  id: string,
  timings: PowerTimings,
): Promise<ApiVpcRouter> {
  return boot(vpcRouterPower(client, id), timings);
}

/** Stops the router (gracefully within `graceful`, else at once) and waits until it is down. */
export function stopVpcRouter(
  client: SakuraClient,
  id: string,
  graceful: PollPolicy | undefined,
  timings: PowerTimings,
): Promise<void> {
  return powerOff(vpcRouterPower(client, id), graceful, timings);
}

function vpcRouterPower(client: SakuraClient, id: string): PowerTarget<ApiVpcRouter> {
  return {
    client,
    what: `VPC router ${id}`,
    path: `appliance/${id}`,
    read: () => readVpcRouter(client, id),
  };
}
