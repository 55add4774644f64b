import type * as pulumi from "@pulumi/pulumi";
import { findNewestPublicArchive, findPublicArchives, noArchiveMessage } from "../api/archives";
import type { SakuraClient } from "../api/client";
import {
  createDisk,
  type DiskPlanName,
  deleteDisk,
  diskPlanIds,
  readDisk,
  updateDisk,
  waitDiskAvailable,
} from "../api/disks";
import { isNotFound, messageOf } from "../api/errors";
import type { ApiDisk } from "../api/types";
import { retryWhileConflict } from "../api/wait";
import { isUnknown } from "./check";
import { canonical, changedKeys, diffResult } from "./diff";
import { checkDiskInputs } from "./disk-check";
import { failure, undo } from "./failure";
import { type SakuraProviderOptions, timings } from "./options";
import { type ConfiguredSettings, openClient, settingsFromConfig, zoneForRead } from "./settings";
import { wire } from "./wire";

const kind = "SakuraDisk";

/** Inputs as stored by Pulumi after check() filled in the defaults. */
export interface DiskInputs {
  zone: string;
  name: string;
  description: string;
  tags: string[];
  plan: DiskPlanName;
  sizeGb: number;
  sourceArchiveId?: string;
  sourceArchiveTags?: string[];
}

export interface DiskOutputs extends DiskInputs {
  /** The archive the disk was copied from (resolved from the tags when those were given). */
  archiveId: string | null;
  availability: string;
  /** The server the disk is connected to. */
  serverId: string | null;
  createdAt: string | null;
}

const inputKeys = [
  "zone",
  "name",
  "description",
  "tags",
  "plan",
  "sizeGb",
  "sourceArchiveId",
  "sourceArchiveTags",
] as const;
// A disk's contents come from its source, and the API cannot change plan or size of an
// existing disk: all of those make a new disk. Name, description, tags: in place.
const replaceKeys = ["zone", "plan", "sizeGb", "sourceArchiveId", "sourceArchiveTags"];

/** Dynamic provider for a Sakura Cloud disk copied from an archive. */
export class SakuraDiskProvider
  implements pulumi.dynamic.ResourceProvider<DiskInputs, DiskOutputs>
{
  private configured: ConfiguredSettings | undefined;

  constructor(private readonly options: SakuraProviderOptions = {}) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configured = settingsFromConfig(req.config);
  }

  async check(olds: DiskInputs, news: DiskInputs): Promise<pulumi.dynamic.CheckResult<DiskInputs>> {
    const { inputs, failures } = checkDiskInputs(news);
    if (failures.length === 0) failures.push(...(await this.archiveFailures(olds, inputs)));
    return { inputs: wire(inputs), failures };
  }

  /**
   * Asks the API whether the tags find an archive, so that a preview fails where the create
   * would. Only for a new disk or changed tags: an existing disk keeps the archive it was made
   * from, even once no archive carries its tags any more. Without credentials nothing is asked
   * (the create says what is missing).
   */
  private async archiveFailures(
    olds: Partial<DiskInputs> | undefined,
    inputs: DiskInputs,
  ): Promise<pulumi.dynamic.CheckFailure[]> {
    const tags = inputs.sourceArchiveTags;
    if (tags === undefined || isUnknown(tags) || tags.some(isUnknown) || isUnknown(inputs.zone)) {
      return [];
    }
    if (
      olds?.sourceArchiveTags !== undefined &&
      canonical(olds.sourceArchiveTags) === canonical(tags)
    ) {
      return [];
    }
    let client: SakuraClient;
    try {
      client = openClient(inputs.zone, this.configured, this.options);
    } catch {
      return [];
    }
    try {
      if ((await findPublicArchives(client, tags)).length > 0) return [];
      return [{ property: "sourceArchiveTags", reason: noArchiveMessage(inputs.zone, tags) }];
    } catch (e) {
      const reason = `could not look up the public archives: ${messageOf(e)}`;
      return [{ property: "sourceArchiveTags", reason }];
    }
  }

  async diff(_id: string, olds: DiskOutputs, news: DiskInputs): Promise<pulumi.dynamic.DiffResult> {
    return diffResult(changedKeys(olds, news, inputKeys), replaceKeys);
  }

  async create(inputs: DiskInputs): Promise<pulumi.dynamic.CreateResult<DiskOutputs>> {
    let step = "create";
    let client: SakuraClient;
    let created: ApiDisk;
    try {
      client = openClient(inputs.zone, this.configured, this.options);
      let archiveId = inputs.sourceArchiveId;
      if (archiveId === undefined && inputs.sourceArchiveTags !== undefined) {
        step = "finding the source archive";
        archiveId = (await findNewestPublicArchive(client, inputs.sourceArchiveTags)).ID;
      }
      step = "create";
      created = await createDisk(client, {
        Name: inputs.name,
        Description: inputs.description,
        Tags: inputs.tags,
        Plan: { ID: diskPlanIds[inputs.plan] },
        SizeMB: inputs.sizeGb * 1024,
        Connection: "virtio",
        ...(archiveId === undefined ? {} : { SourceArchive: { ID: archiveId } }),
      });
    } catch (e) {
      // Nothing exists yet: the POST either made the disk and answered, or it failed.
      throw failure(kind, inputs.name, step, e);
    }

    const id = created.ID;
    const t = timings(this.options);
    try {
      step = "waiting for the copied disk to become available";
      const disk = await waitDiskAvailable(client, id, t.diskPoll);
      return { id, outs: toOutputs(inputs, disk) };
    } catch (e) {
      // Half-made disk: remove it so that a failed create leaves nothing behind.
      const cleanup = await undo([
        {
          what: `deleted disk ${id}`,
          run: () => retryWhileConflict(client.sleep, t.diskPoll, () => deleteDisk(client, id)),
        },
      ]);
      throw failure(kind, inputs.name, step, e, cleanup);
    }
  }

  async read(id: string, props?: DiskOutputs): Promise<pulumi.dynamic.ReadResult<DiskOutputs>> {
    try {
      const zone = zoneForRead(props);
      const client = openClient(zone, this.configured, this.options);
      const disk = await readDisk(client, id);
      const known: DiskInputs = props ?? {
        zone,
        name: disk.Name,
        description: "",
        tags: [],
        plan: "ssd",
        sizeGb: 0,
      };
      return { id, props: toOutputs({ ...known, zone }, disk) };
    } catch (e) {
      if (isNotFound(e)) return {};
      throw failure(kind, props?.name ?? id, "read", e);
    }
  }

  async update(
    id: string,
    olds: DiskOutputs,
    news: DiskInputs,
  ): Promise<pulumi.dynamic.UpdateResult<DiskOutputs>> {
    try {
      const client = openClient(news.zone, this.configured, this.options);
      const updated = await updateDisk(client, id, {
        Name: news.name,
        Description: news.description,
        Tags: news.tags,
      });
      return { outs: toOutputs(news, updated) };
    } catch (e) {
      throw failure(kind, olds.name, "update", e);
    }
  }

  async delete(id: string, props: DiskOutputs): Promise<void> {
    try {
      await deleteDisk(openClient(props.zone, this.configured, this.options), id);
    } catch (e) {
      // Gone already, e.g. deleted together with its server (deleteDisksOnDelete).
      if (isNotFound(e)) return;
      throw failure(kind, props.name, "delete", e);
    }
  }
}

function planName(disk: ApiDisk, fallback: DiskPlanName): DiskPlanName {
  const id = Number(disk.Plan?.ID);
  if (id === diskPlanIds.ssd) return "ssd";
  if (id === diskPlanIds.hdd) return "hdd";
  return fallback;
}

/** Live values from the API over the stored inputs the API cannot report (the source tags). */
function toOutputs(inputs: DiskInputs, disk: ApiDisk): DiskOutputs {
  return wire({
    ...inputs,
    name: disk.Name,
    description: disk.Description ?? "",
    tags: disk.Tags ?? [],
    plan: planName(disk, inputs.plan),
    sizeGb: disk.SizeMB === undefined ? inputs.sizeGb : Math.round(disk.SizeMB / 1024),
    archiveId: disk.SourceArchive?.ID ?? null,
    availability: disk.Availability ?? "unknown",
    serverId: disk.Server?.ID ?? null,
    createdAt: disk.CreatedAt ?? null,
  });
}
