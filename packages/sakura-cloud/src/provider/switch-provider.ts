import type * as pulumi from "@pulumi/pulumi";
import { isNotFound } from "../api/errors";
import { createSwitch, deleteSwitch, readSwitch, updateSwitch } from "../api/switches";
import type { ApiSwitch } from "../api/types";
import { Failures, zoneHint, zonePattern } from "./check";
import { changedKeys, diffResult } from "./diff";
import { failure } from "./failure";
import type { SakuraProviderOptions } from "./options";
import { type ConfiguredSettings, openClient, settingsFromConfig, zoneForRead } from "./settings";
import { wire } from "./wire";

const kind = "SakuraSwitch";

/** Inputs as stored by Pulumi after check() filled in the defaults. */
export interface SwitchInputs {
  zone: string;
  name: string;
  description: string;
  tags: string[];
}

export interface SwitchOutputs extends SwitchInputs {
  createdAt: string | null;
  serverCount: number;
}

// Every input can be changed in place; a switch in another zone is another switch.
const replaceKeys = ["zone"] as const;
const inputKeys = ["zone", "name", "description", "tags"] as const;

/** Dynamic provider for a Sakura Cloud switch (a private L2 segment). */
export class SakuraSwitchProvider
  implements pulumi.dynamic.ResourceProvider<SwitchInputs, SwitchOutputs>
{
  private configured: ConfiguredSettings | undefined;

  constructor(private readonly options: SakuraProviderOptions = {}) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configured = settingsFromConfig(req.config);
  }

  async check(
    _olds: SwitchInputs,
    news: SwitchInputs,
  ): Promise<pulumi.dynamic.CheckResult<SwitchInputs>> {
    const f = new Failures();
    f.string("zone", news.zone, zonePattern, zoneHint);
    f.string("name", news.name);
    f.optionalString("description", news.description);
    f.stringList("tags", news.tags);
    const inputs: SwitchInputs = {
      zone: news.zone,
      name: news.name,
      description: news.description ?? "",
      tags: news.tags ?? [],
    };
    return { inputs: wire(inputs), failures: f.list };
  }

  async diff(
    _id: string,
    olds: SwitchOutputs,
    news: SwitchInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    return diffResult(changedKeys(olds, news, inputKeys), replaceKeys);
  }

  async create(inputs: SwitchInputs): Promise<pulumi.dynamic.CreateResult<SwitchOutputs>> {
    try {
      const client = openClient(inputs.zone, this.configured, this.options);
      const created = await createSwitch(client, fields(inputs));
      return { id: created.ID, outs: toOutputs(inputs.zone, created) };
    } catch (e) {
      // A single POST: when it fails, nothing was created.
      throw failure(kind, inputs.name, "create", e);
    }
  }

  async read(id: string, props?: SwitchOutputs): Promise<pulumi.dynamic.ReadResult<SwitchOutputs>> {
    const zone = zoneForRead(props);
    try {
      const client = openClient(zone, this.configured, this.options);
      return { id, props: toOutputs(zone, await readSwitch(client, id)) };
    } catch (e) {
      if (isNotFound(e)) return {};
      throw failure(kind, props?.name ?? id, "read", e);
    }
  }

  async update(
    id: string,
    olds: SwitchOutputs,
    news: SwitchInputs,
  ): Promise<pulumi.dynamic.UpdateResult<SwitchOutputs>> {
    try {
      const client = openClient(news.zone, this.configured, this.options);
      const updated = await updateSwitch(client, id, fields(news));
      return { outs: toOutputs(news.zone, updated) };
    } catch (e) {
      throw failure(kind, olds.name, "update", e);
    }
  }

  async delete(id: string, props: SwitchOutputs): Promise<void> {
    try {
      await deleteSwitch(openClient(props.zone, this.configured, this.options), id);
    } catch (e) {
      if (isNotFound(e)) return; // already gone
      throw failure(kind, props.name, "delete", e);
    }
  }
}

function fields(inputs: SwitchInputs): { Name: string; Description: string; Tags: string[] } {
  return { Name: inputs.name, Description: inputs.description, Tags: inputs.tags };
}

function toOutputs(zone: string, s: ApiSwitch): SwitchOutputs {
  return wire({
    zone,
    name: s.Name,
    description: s.Description ?? "",
    tags: s.Tags ?? [],
    createdAt: s.CreatedAt ?? null,
    serverCount: s.ServerCount ?? 0,
  });
}
