// Dynamic provider for a Sakura Cloud VPC router, following Sakura's own builder
// (iaas-service-go vpcrouter/builder/builder.go) and Terraform resource
// (terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_vpc_router.go):
// create = POST, wait until built, connect the private NICs, send the whole settings, apply
// them (config), boot; update = the same settings and config, with the router stopped around a
// change of the NICs' switches; delete = stop at once, then delete.
import type * as pulumi from "@pulumi/pulumi";
import type { SakuraClient } from "../api/client";
import { isNotFound } from "../api/errors";
import type { ApiVpcRouter } from "../api/types";
import {
  applyVpcRouterConfig,
  bootVpcRouter,
  connectVpcRouterToSwitch,
  createVpcRouter,
  deleteVpcRouter,
  disconnectVpcRouterFromSwitch,
  readVpcRouter,
  stopVpcRouter,
  updateVpcRouter,
  waitVpcRouterAvailable,
} from "../api/vpc-routers";
import { retryWhileConflict } from "../api/wait";
import { isUnknown } from "./check";
import { canonical, changedKeys } from "./diff";
import { failure, undo } from "./failure";
import { type SakuraProviderOptions, timings } from "./options";
import { type ConfiguredSettings, openClient, settingsFromConfig, zoneForRead } from "./settings";
import { checkVpcRouterInputs } from "./vpc-router-check";
import type { VpcRouterInputs, VpcRouterOutputs } from "./vpc-router-inputs";
import { createRequest, outputsFromApi, routerSettings } from "./vpc-router-settings";
import { wire } from "./wire";

const kind = "SakuraVpcRouter";

const inputKeys: (keyof VpcRouterInputs)[] = [
  "zone",
  "name",
  "description",
  "tags",
  "plan",
  "version",
  "publicInterface",
  "internetConnection",
  "privateInterfaces",
  "staticRoutes",
  "siteToSiteVpn",
  "siteToSiteVpnParameters",
  "firewall",
];

// A router in another zone is another router. The plan cannot change (builder.go
// collectUpdateInfo: "VPCRouter is not allowd changing Plan"), nor can the version or the public
// NIC's switch, addresses and VRRP group (Terraform: ForceNew); the IP aliases can.
const replaceKeys = ["zone", "plan", "version"];

export class SakuraVpcRouterProvider
  implements pulumi.dynamic.ResourceProvider<VpcRouterInputs, VpcRouterOutputs>
{
  private configured: ConfiguredSettings | undefined;

  constructor(private readonly options: SakuraProviderOptions = {}) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configured = settingsFromConfig(req.config);
  }

  async check(
    _olds: VpcRouterInputs,
    news: VpcRouterInputs,
  ): Promise<pulumi.dynamic.CheckResult<VpcRouterInputs>> {
    const { inputs, failures } = checkVpcRouterInputs(news as unknown as Record<string, unknown>);
    return { inputs: wire(inputs), failures };
  }

  async diff(
    _id: string,
    olds: VpcRouterOutputs,
    news: VpcRouterInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const changed = changedKeys(olds, news, inputKeys);
    const replaces = changed.filter((k) => replaceKeys.includes(k));
    if (changed.includes("publicInterface") && publicNicReplaced(olds, news)) {
      replaces.push("publicInterface");
    }
    return {
      changes: changed.length > 0,
      replaces,
      // Both routers would hold the same addresses on the same switches for a while.
      deleteBeforeReplace: replaces.length > 0 && sharesAnAddress(olds, news),
    };
  }

  async create(inputs: VpcRouterInputs): Promise<pulumi.dynamic.CreateResult<VpcRouterOutputs>> {
    let client: SakuraClient;
    let created: ApiVpcRouter;
    try {
      client = openClient(inputs.zone, this.configured, this.options);
      created = await createVpcRouter(client, createRequest(inputs));
    } catch (e) {
      // A single POST: when it fails, nothing was created.
      throw failure(kind, inputs.name, "create", e);
    }
    const id = created.ID;
    const t = timings(this.options);
    let step = "waiting for the router to be built";
    let powerRequested = false;
    try {
      await waitVpcRouterAvailable(client, id, t.vpcRouterPoll);
      for (const nic of inputs.privateInterfaces) {
        step = `connecting NIC eth${nic.index} to switch ${nic.switchId}`;
        await connectVpcRouterToSwitch(client, id, nic.index, nic.switchId);
      }
      step = "sending the settings";
      await updateVpcRouter(client, id, {
        Name: inputs.name,
        Description: inputs.description,
        Tags: inputs.tags,
        Settings: { Router: routerSettings(inputs) },
        SettingsHash: (await readVpcRouter(client, id)).SettingsHash,
      });
      step = "applying the settings (PUT appliance/:id/config)";
      await applyVpcRouterConfig(client, id);
      step = "power on";
      powerRequested = true;
      await bootVpcRouter(client, id, t.power);
      step = "reading the new router";
      return { id, outs: outputsFromApi(inputs.zone, await readVpcRouter(client, id), inputs) };
    } catch (e) {
      const steps = [];
      if (powerRequested) {
        steps.push({
          what: `made sure VPC router ${id} is off`,
          run: () => stopVpcRouter(client, id, undefined, t.power),
        });
      }
      steps.push({
        what: `deleted VPC router ${id}`,
        run: () => retryWhileConflict(client.sleep, t.powerPoll, () => deleteVpcRouter(client, id)),
      });
      throw failure(kind, inputs.name, step, e, await undo(steps));
    }
  }

  async read(
    id: string,
    props?: VpcRouterOutputs,
  ): Promise<pulumi.dynamic.ReadResult<VpcRouterOutputs>> {
    try {
      const zone = zoneForRead(props);
      const client = openClient(zone, this.configured, this.options);
      return { id, props: outputsFromApi(zone, await readVpcRouter(client, id), props) };
    } catch (e) {
      if (isNotFound(e)) return {};
      throw failure(kind, props?.name ?? id, "read", e);
    }
  }

  /**
   * builder.go update: a change of a private NIC's switch (or a NIC added or removed) needs the
   * router stopped (collectUpdateInfo "スイッチの変更/削除は再起動が必要"); then the NICs, the
   * whole settings with the SettingsHash just read, config, and a boot if it was stopped here.
   */
  async update(
    id: string,
    olds: VpcRouterOutputs,
    news: VpcRouterInputs,
  ): Promise<pulumi.dynamic.UpdateResult<VpcRouterOutputs>> {
    let step = "reading the router";
    try {
      const client = openClient(news.zone, this.configured, this.options);
      const t = timings(this.options);
      const current = await readVpcRouter(client, id);
      const rewire = nicChanges(current, news);
      const restart = rewire.length > 0 && current.Instance?.Status === "up";
      if (restart) {
        step = "stopping the router to change its NICs' switches";
        await stopVpcRouter(client, id, t.gracefulShutdown, t.power);
      }
      for (const change of rewire) {
        step = `${change.switchId === undefined ? "disconnecting" : "connecting"} NIC eth${change.index}`;
        if (change.connected) await disconnectVpcRouterFromSwitch(client, id, change.index);
        if (change.switchId !== undefined) {
          await connectVpcRouterToSwitch(client, id, change.index, change.switchId);
        }
      }
      step = "sending the settings";
      await updateVpcRouter(client, id, {
        Name: news.name,
        Description: news.description,
        Tags: news.tags,
        Settings: { Router: routerSettings(news) },
        SettingsHash: (await readVpcRouter(client, id)).SettingsHash,
      });
      step = "applying the settings (PUT appliance/:id/config)";
      await applyVpcRouterConfig(client, id);
      if (restart) {
        step = "power on after the NIC change";
        await bootVpcRouter(client, id, t.power);
      }
      step = "reading the router";
      return { outs: outputsFromApi(news.zone, await readVpcRouter(client, id), news) };
    } catch (e) {
      throw failure(kind, olds.name, step, e);
    }
  }

  /** resource_sakuracloud_vpc_router.go delete: a running router is stopped at once (forced). */
  async delete(id: string, props: VpcRouterOutputs): Promise<void> {
    try {
      const client = openClient(props.zone, this.configured, this.options);
      const t = timings(this.options);
      await stopVpcRouter(client, id, undefined, t.power);
      await retryWhileConflict(client.sleep, t.powerPoll, () => deleteVpcRouter(client, id));
    } catch (e) {
      if (isNotFound(e)) return; // already gone
      throw failure(kind, props.name, "delete", e);
    }
  }
}

/** A change of the public NIC other than its IP aliases. */
function publicNicReplaced(olds: VpcRouterOutputs, news: VpcRouterInputs): boolean {
  const fixed = (nic: VpcRouterInputs["publicInterface"]) =>
    nic === null || isUnknown(nic) ? nic : { ...nic, ipAliases: [] };
  return canonical(fixed(olds.publicInterface)) !== canonical(fixed(news.publicInterface));
}

function sharesAnAddress(olds: VpcRouterOutputs, news: VpcRouterInputs): boolean {
  const pairs = (r: VpcRouterInputs) => {
    const nics = Array.isArray(r.privateInterfaces) ? r.privateInterfaces : [];
    const list = nics.flatMap((n) =>
      [...(Array.isArray(n.ipAddresses) ? n.ipAddresses : []), n.virtualIpAddress].map(
        (a) => `${n.switchId}/${a}`,
      ),
    );
    const pub = r.publicInterface;
    if (pub && !isUnknown(pub)) {
      list.push(...[...pub.ipAddresses, pub.virtualIpAddress].map((a) => `${pub.switchId}/${a}`));
    }
    return list.filter((p) => !p.endsWith("/undefined"));
  };
  const before = new Set(pairs(olds));
  return pairs(news).some((p) => before.has(p));
}

interface NicChange {
  index: number;
  /** The NIC is on a switch now and must be disconnected first. */
  connected: boolean;
  /** The switch to connect, or undefined to leave the NIC off. */
  switchId: string | undefined;
}

/** The private NICs whose switch differs from the wanted one (builder.go update). */
function nicChanges(current: ApiVpcRouter, news: VpcRouterInputs): NicChange[] {
  const wanted = new Map(news.privateInterfaces.map((n) => [n.index, n.switchId]));
  const now = new Map<number, string>();
  for (const [index, nic] of (current.Interfaces ?? []).entries()) {
    if (index > 0 && nic?.Switch?.ID) now.set(index, nic.Switch.ID);
  }
  const indexes = [...new Set([...now.keys(), ...wanted.keys()])].sort((a, b) => a - b);
  return indexes
    .filter((index) => now.get(index) !== wanted.get(index))
    .map((index) => ({ index, connected: now.has(index), switchId: wanted.get(index) }));
}
