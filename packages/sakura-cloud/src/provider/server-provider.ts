import type * as pulumi from "@pulumi/pulumi";
import { cloudInitTag, publicArchiveOfDisk } from "../api/archives";
import type { SakuraClient } from "../api/client";
import {
  connectDiskToServer,
  editDisk,
  readDisk,
  waitDiskAvailable,
  waitDiskEdited,
} from "../api/disks";
import { isNotFound, messageOf } from "../api/errors";
import { reconcilePacketFilters } from "../api/interfaces";
import {
  bootServer,
  createServer,
  deleteServer,
  powerOff,
  readServer,
  updateServer,
} from "../api/servers";
import type { ApiServer, ConnectedSwitch } from "../api/types";
import { retryWhileConflict } from "../api/wait";
import { isUnknown } from "./check";
import { changedKeys, diffResult } from "./diff";
import { type DiskEditInputs, toEditRequest } from "./disk-edit";
import { failure, undo } from "./failure";
import { type SakuraProviderOptions, timings } from "./options";
import { checkServerInputs } from "./server-check";
import { type ConfiguredSettings, openClient, settingsFromConfig, zoneForRead } from "./settings";
import { wire } from "./wire";

const kind = "SakuraServer";

/** Inputs as stored by Pulumi after check() filled in the defaults. */
export interface ServerInputs {
  zone: string;
  name: string;
  description: string;
  tags: string[];
  cpu: number;
  memoryGb: number;
  commitment: "standard" | "dedicatedcpu";
  /** Per NIC in order: "shared" (shared segment, first NIC only) or a switch ID. */
  interfaces: string[];
  /** Per NIC in order: the packet filter ID, or null; as long as `interfaces`. */
  packetFilterIds: (string | null)[];
  /** Disks to connect in order; the first one boots. */
  diskIds: string[];
  powerOn: boolean;
  /** Disk edit of the first disk, after it is connected and before the first boot. */
  diskEdit?: DiskEditInputs;
  cloudInitUserData?: string;
  deleteDisksOnDelete: boolean;
}

export interface ServerOutputs extends ServerInputs {
  instanceStatus: string;
  /** Address on the shared segment, when the first NIC is there. */
  ipAddress: string | null;
  macAddresses: string[];
  createdAt: string | null;
}

const inputKeys = [
  "zone",
  "name",
  "description",
  "tags",
  "cpu",
  "memoryGb",
  "commitment",
  "interfaces",
  "packetFilterIds",
  "diskIds",
  "powerOn",
  "diskEdit",
  "cloudInitUserData",
  "deleteDisksOnDelete",
] as const;

// Replacements:
// - cpu / memoryGb / commitment: the API can change a plan (PUT server/:id/plan) only while
//   the server is off, and answers with the server under a NEW ID. A Pulumi update cannot
//   change a resource's ID, so a plan change is a replacement; the disks are separate
//   resources and move to the new server.
// - interfaces and diskIds: rewiring NICs and disks also needs the server off; a new server
//   gets the same result with less state to track.
// - cloudInitUserData: delivered only with the first power-on; a new server (new instance
//   ID for cloud-init) is what makes a changed document run. diskEdit likewise: it is written
//   before the first boot, and a new server edits its disk again.
// In place: name, description, tags (PUT server/:id), powerOn (power on/off), packetFilterIds
// (detach and attach per NIC, on a running server too), deleteDisksOnDelete (read only at
// delete).
const replaceKeys = [
  "zone",
  "cpu",
  "memoryGb",
  "commitment",
  "interfaces",
  "diskIds",
  "diskEdit",
  "cloudInitUserData",
];

/** Dynamic provider for a Sakura Cloud server: plan, NICs, connected disks, power. */
export class SakuraServerProvider
  implements pulumi.dynamic.ResourceProvider<ServerInputs, ServerOutputs>
{
  private configured: ConfiguredSettings | undefined;

  constructor(private readonly options: SakuraProviderOptions = {}) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configured = settingsFromConfig(req.config);
  }

  async check(
    _olds: ServerInputs,
    news: ServerInputs,
  ): Promise<pulumi.dynamic.CheckResult<ServerInputs>> {
    const { inputs, failures } = checkServerInputs(news);
    if (failures.length === 0) failures.push(...(await this.userDataFailures(inputs)));
    return { inputs: wire(inputs), failures };
  }

  /**
   * cloud-init user data needs a boot disk made from a cloud-init archive. Checked against the
   * API once the disk exists (on a first preview its ID is not known yet; create checks again
   * before it boots). Without credentials nothing is asked.
   */
  private async userDataFailures(inputs: ServerInputs): Promise<pulumi.dynamic.CheckFailure[]> {
    const boot = Array.isArray(inputs.diskIds) ? inputs.diskIds[0] : undefined;
    if (inputs.cloudInitUserData === undefined || boot === undefined || isUnknown(boot)) return [];
    if (isUnknown(inputs.zone)) return [];
    let client: SakuraClient;
    try {
      client = openClient(inputs.zone, this.configured, this.options);
    } catch {
      return [];
    }
    try {
      const problem = await cloudInitProblem(client, boot);
      return problem === undefined ? [] : [{ property: "cloudInitUserData", reason: problem }];
    } catch (e) {
      if (isNotFound(e)) return []; // not there (yet): create reports it
      return [
        {
          property: "cloudInitUserData",
          reason: `could not look up disk ${boot}: ${messageOf(e)}`,
        },
      ];
    }
  }

  async diff(
    _id: string,
    olds: ServerOutputs,
    news: ServerInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const changed = changedKeys(olds, news, inputKeys);
    const replacing = changed.filter((k) => replaceKeys.includes(k));
    // During preview the whole list may still be unknown (a marker string, not an array).
    const newDisks = Array.isArray(news.diskIds) ? news.diskIds : [];
    const kept = replacing.length === 0 ? [] : olds.diskIds.filter((d) => newDisks.includes(d));
    if (kept.length > 0 && olds.deleteDisksOnDelete) {
      // Deleting the old server would take the disks the new one is about to use.
      throw new Error(
        `${kind} "${olds.name}": changing ${replacing.join(", ")} needs a new server, but ` +
          `deleteDisksOnDelete=true would delete disk(s) ${kept.join(", ")} that the new ` +
          "server keeps. Set deleteDisksOnDelete to false and apply that first.",
      );
    }
    // A disk can hang on one server only: the old server must go before the new one takes it.
    return diffResult(changed, replaceKeys, kept.length > 0);
  }

  async create(inputs: ServerInputs): Promise<pulumi.dynamic.CreateResult<ServerOutputs>> {
    let client: SakuraClient;
    let created: ApiServer;
    try {
      client = openClient(inputs.zone, this.configured, this.options);
      created = await createServer(client, {
        Name: inputs.name,
        Description: inputs.description,
        Tags: inputs.tags,
        ServerPlan: {
          CPU: inputs.cpu,
          MemoryMB: inputs.memoryGb * 1024,
          Commitment: inputs.commitment,
        },
        ConnectedSwitches: inputs.interfaces.map(
          (nic): ConnectedSwitch => (nic === "shared" ? { Scope: "shared" } : { ID: nic }),
        ),
        InterfaceDriver: "virtio",
      });
    } catch (e) {
      throw failure(kind, inputs.name, "create", e);
    }

    const id = created.ID;
    const t = timings(this.options);
    let step = "create";
    let powerRequested = false;
    try {
      for (const diskId of inputs.diskIds) {
        step = `waiting for disk ${diskId} to become available`;
        await waitDiskAvailable(client, diskId, t.diskPoll);
        step = `connecting disk ${diskId}`;
        await connectDiskToServer(client, diskId, id);
      }
      const boot = inputs.diskIds[0];
      if (inputs.diskEdit !== undefined && boot !== undefined) {
        // Connected first: the edit writes the server's address, which an unconnected disk
        // cannot know (iaas-service-go disk/builder/builder.go ConnectedDiskBuilder.Build).
        step = `disk edit of disk ${boot} (PUT disk/:id/config, sent once)`;
        await editDisk(client, boot, toEditRequest(inputs.diskEdit));
        step = `waiting for the disk edit of disk ${boot}`;
        await waitDiskEdited(client, boot, t.diskPoll);
      }
      if (inputs.cloudInitUserData !== undefined && inputs.powerOn) {
        step = "checking that the boot disk runs cloud-init";
        const problem =
          boot === undefined ? "there is no disk to boot" : await cloudInitProblem(client, boot);
        if (problem !== undefined) throw new Error(problem);
      }
      if (inputs.packetFilterIds.some((pf) => pf !== null)) {
        // Before the first boot: the server is never up without its filters.
        step = "attaching packet filters";
        await reconcilePacketFilters(client, created, inputs.packetFilterIds);
      }
      if (inputs.powerOn) {
        step = "power on";
        powerRequested = true;
        await bootServer(client, id, t.power, inputs.cloudInitUserData);
      }
      step = "reading the new server";
      return { id, outs: toOutputs(inputs, await readServer(client, id)) };
    } catch (e) {
      // Undo the server; its disks belong to their own resources and are only detached.
      const steps = [];
      if (powerRequested) {
        steps.push({
          what: `made sure server ${id} is off`,
          run: () => powerOff(client, id, undefined, t.power),
        });
      }
      steps.push({
        what: `deleted server ${id}`,
        run: () => retryWhileConflict(client.sleep, t.powerPoll, () => deleteServer(client, id)),
      });
      throw failure(kind, inputs.name, step, e, await undo(steps));
    }
  }

  async read(id: string, props?: ServerOutputs): Promise<pulumi.dynamic.ReadResult<ServerOutputs>> {
    try {
      const zone = zoneForRead(props);
      const client = openClient(zone, this.configured, this.options);
      const server = await readServer(client, id);
      const known: ServerInputs = props ?? {
        zone,
        name: server.Name,
        description: "",
        tags: [],
        cpu: 0,
        memoryGb: 0,
        commitment: "standard",
        interfaces: [],
        packetFilterIds: [],
        diskIds: [],
        powerOn: true,
        deleteDisksOnDelete: false,
      };
      return { id, props: toOutputs({ ...known, zone }, server) };
    } catch (e) {
      if (isNotFound(e)) return {};
      throw failure(kind, props?.name ?? id, "read", e);
    }
  }

  async update(
    id: string,
    olds: ServerOutputs,
    news: ServerInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ServerOutputs>> {
    let step = "update";
    try {
      const client = openClient(news.zone, this.configured, this.options);
      const t = timings(this.options);
      if (changedKeys(olds, news, ["name", "description", "tags"]).length > 0) {
        step = "update of name, description and tags";
        await updateServer(client, id, {
          Name: news.name,
          Description: news.description,
          Tags: news.tags,
        });
      }
      if (changedKeys(olds, news, ["packetFilterIds"]).length > 0) {
        step = "changing packet filters";
        await reconcilePacketFilters(client, await readServer(client, id), news.packetFilterIds);
      }
      if (news.powerOn !== olds.powerOn) {
        if (news.powerOn) {
          step = "power on";
          await bootServer(client, id, t.power);
        } else {
          step = "power off";
          await powerOff(client, id, t.gracefulShutdown, t.power);
        }
      }
      step = "reading the server";
      return { outs: toOutputs(news, await readServer(client, id)) };
    } catch (e) {
      throw failure(kind, olds.name, step, e);
    }
  }

  async delete(id: string, props: ServerOutputs): Promise<void> {
    let step = "power off before delete";
    try {
      const client = openClient(props.zone, this.configured, this.options);
      const t = timings(this.options);
      await powerOff(client, id, t.gracefulShutdown, t.power);
      // Off first, so the server never runs unfiltered; then the filters are free to go.
      step = "detaching packet filters before delete";
      await reconcilePacketFilters(client, await readServer(client, id), []);
      step = "delete";
      const withDisks = props.deleteDisksOnDelete ? props.diskIds : [];
      await retryWhileConflict(client.sleep, t.powerPoll, () =>
        deleteServer(client, id, withDisks),
      );
    } catch (e) {
      if (isNotFound(e)) return; // already gone
      throw failure(kind, props.name, step, e);
    }
  }
}

/**
 * Why cloud-init user data would be ignored on this disk, if it would: Sakura runs it only on
 * servers made from its "cloudimg" public archives (manual.sakura.ad.jp cloud/server/cloud-init),
 * which carry the tag `cloud-init`.
 */
async function cloudInitProblem(client: SakuraClient, diskId: string): Promise<string | undefined> {
  const archive = await publicArchiveOfDisk(client, await readDisk(client, diskId));
  if (archive === undefined) {
    return `disk ${diskId} does not come from a public archive, so cloud-init would not run the user data`;
  }
  if ((archive.Tags ?? []).includes(cloudInitTag)) return undefined;
  return (
    `disk ${diskId} is a copy of archive ${archive.ID} (${archive.Name}), which is not a ` +
    `cloud-init image (no "${cloudInitTag}" tag): Sakura would ignore the user data. Pick a ` +
    `cloud-init archive, or set the server up with diskEdit instead`
  );
}

/** Live values from the API over the stored inputs the API cannot report. */
function toOutputs(inputs: ServerInputs, server: ApiServer): ServerOutputs {
  const status = server.Instance?.Status;
  const nics = server.Interfaces ?? [];
  const shared = nics.find((n) => n.Switch?.Scope === "shared");
  return wire({
    ...inputs,
    name: server.Name,
    description: server.Description ?? "",
    tags: server.Tags ?? [],
    cpu: server.ServerPlan?.CPU ?? inputs.cpu,
    memoryGb:
      server.ServerPlan?.MemoryMB === undefined
        ? inputs.memoryGb
        : server.ServerPlan.MemoryMB / 1024,
    commitment: server.ServerPlan?.Commitment ?? inputs.commitment,
    interfaces: nics.map((n) =>
      n.Switch?.Scope === "shared" ? "shared" : (n.Switch?.ID ?? "none"),
    ),
    packetFilterIds: nics.map((n) => n.PacketFilter?.ID ?? null),
    diskIds: (server.Disks ?? []).map((d) => d.ID),
    // Only settled states count; "cleaning" keeps what was asked for.
    powerOn: status === "up" ? true : status === "down" ? false : inputs.powerOn,
    instanceStatus: status ?? "unknown",
    ipAddress: shared?.IPAddress ?? null,
    macAddresses: nics.map((n) => n.MACAddress ?? ""),
    createdAt: server.CreatedAt ?? null,
  });
}
