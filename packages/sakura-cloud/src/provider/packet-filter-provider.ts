import type * as pulumi from "@pulumi/pulumi";
import { isNotFound } from "../api/errors";
import {
  createPacketFilter,
  deletePacketFilter,
  readPacketFilter,
  updatePacketFilter,
} from "../api/packet-filters";
import type {
  ApiPacketFilter,
  ApiPacketFilterExpression,
  PacketFilterAction,
  PacketFilterFields,
  PacketFilterProtocol,
} from "../api/types";
import { retryWhileConflict } from "../api/wait";
import { changedKeys, diffResult } from "./diff";
import { failure } from "./failure";
import { type SakuraProviderOptions, timings } from "./options";
import { checkPacketFilterInputs, type RawExpression } from "./packet-filter-check";
import { type ConfiguredSettings, openClient, settingsFromConfig, zoneForRead } from "./settings";
import { wire } from "./wire";

const kind = "SakuraPacketFilter";

/** One rule; a field left out matches anything (any source, any port). */
export interface PacketFilterExpressionInputs {
  protocol: PacketFilterProtocol;
  /** Source address or network, e.g. "198.51.100.0/24". */
  sourceNetwork?: string;
  /** Source port or range "from-to" (tcp/udp). */
  sourcePort?: string;
  /** Destination port or range "from-to" (tcp/udp). */
  destinationPort?: string;
  action: PacketFilterAction;
  description?: string;
}

/** Inputs as stored by Pulumi after check() filled in the defaults. */
export interface PacketFilterInputs {
  zone: string;
  name: string;
  description: string;
  /** Evaluated in order; the first match decides. */
  expressions: PacketFilterExpressionInputs[];
}

export interface PacketFilterOutputs extends PacketFilterInputs {
  /** The API's hash of the rule list; it changes whenever the rules do. */
  expressionHash: string | null;
  createdAt: string | null;
}

const inputKeys = ["zone", "name", "description", "expressions"] as const;
// Rules, name and description change in place (PUT packetfilter/:id) and apply at once to the
// attached NICs; a filter in another zone is another filter.
const replaceKeys = ["zone"] as const;

/** Dynamic provider for a Sakura Cloud packet filter (stateless rules for arriving packets). */
export class SakuraPacketFilterProvider
  implements pulumi.dynamic.ResourceProvider<PacketFilterInputs, PacketFilterOutputs>
{
  private configured: ConfiguredSettings | undefined;

  constructor(private readonly options: SakuraProviderOptions = {}) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configured = settingsFromConfig(req.config);
  }

  async check(
    _olds: PacketFilterInputs,
    news: PacketFilterInputs,
  ): Promise<pulumi.dynamic.CheckResult<PacketFilterInputs>> {
    const raw = news as Omit<PacketFilterInputs, "expressions"> & { expressions?: RawExpression[] };
    const { inputs, failures } = checkPacketFilterInputs(raw);
    return { inputs: wire(inputs), failures };
  }

  async diff(
    _id: string,
    olds: PacketFilterOutputs,
    news: PacketFilterInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    return diffResult(changedKeys(olds, news, inputKeys), replaceKeys);
  }

  async create(
    inputs: PacketFilterInputs,
  ): Promise<pulumi.dynamic.CreateResult<PacketFilterOutputs>> {
    try {
      const client = openClient(inputs.zone, this.configured, this.options);
      const created = await createPacketFilter(client, fields(inputs));
      return { id: created.ID, outs: toOutputs(inputs.zone, created) };
    } catch (e) {
      // A single POST: when it fails, nothing was created.
      throw failure(kind, inputs.name, "create", e);
    }
  }

  async read(
    id: string,
    props?: PacketFilterOutputs,
  ): Promise<pulumi.dynamic.ReadResult<PacketFilterOutputs>> {
    try {
      const zone = zoneForRead(props);
      const client = openClient(zone, this.configured, this.options);
      return { id, props: toOutputs(zone, await readPacketFilter(client, id)) };
    } catch (e) {
      if (isNotFound(e)) return {};
      throw failure(kind, props?.name ?? id, "read", e);
    }
  }

  async update(
    id: string,
    olds: PacketFilterOutputs,
    news: PacketFilterInputs,
  ): Promise<pulumi.dynamic.UpdateResult<PacketFilterOutputs>> {
    try {
      const client = openClient(news.zone, this.configured, this.options);
      const updated = await updatePacketFilter(client, id, fields(news));
      return { outs: toOutputs(news.zone, updated) };
    } catch (e) {
      throw failure(kind, olds.name, "update of the rules", e);
    }
  }

  async delete(id: string, props: PacketFilterOutputs): Promise<void> {
    try {
      const client = openClient(props.zone, this.configured, this.options);
      // The API refuses (409) while a NIC still uses the filter; servers detach theirs before
      // they are deleted, which may still be under way. Waits as long as a power change may take.
      await retryWhileConflict(client.sleep, timings(this.options).powerPoll, () =>
        deletePacketFilter(client, id),
      );
    } catch (e) {
      if (isNotFound(e)) return; // already gone
      throw failure(kind, props.name, "delete (is a NIC still using the filter?)", e);
    }
  }
}

/** The request body: every field present, "" for "any", as the API expects. */
function fields(inputs: PacketFilterInputs): PacketFilterFields {
  return {
    Name: inputs.name,
    Description: inputs.description,
    Expression: inputs.expressions.map(
      (rule): ApiPacketFilterExpression => ({
        Protocol: rule.protocol,
        SourceNetwork: rule.sourceNetwork ?? "",
        SourcePort: rule.sourcePort ?? "",
        DestinationPort: rule.destinationPort ?? "",
        Action: rule.action,
        Description: rule.description ?? "",
      }),
    ),
  };
}

/**
 * "Any" comes back from the API as `null` (or without the key: icmp, fragment and ip rules have
 * no ports), and was sent as "": all three are left out, as in the inputs, so that a read
 * compares equal to unchanged inputs.
 */
function fromApi(rule: ApiPacketFilterExpression): PacketFilterExpressionInputs {
  const present = (v: string | null | undefined): string | undefined =>
    v === undefined || v === null || v === "" ? undefined : v;
  return {
    protocol: rule.Protocol as PacketFilterProtocol,
    sourceNetwork: present(rule.SourceNetwork),
    sourcePort: present(rule.SourcePort),
    destinationPort: present(rule.DestinationPort),
    action: rule.Action as PacketFilterAction,
    description: present(rule.Description),
  };
}

function toOutputs(zone: string, pf: ApiPacketFilter): PacketFilterOutputs {
  return wire({
    zone,
    name: pf.Name,
    description: pf.Description ?? "",
    expressions: (pf.Expression ?? []).map(fromApi),
    expressionHash: pf.ExpressionHash ?? null,
    createdAt: pf.CreatedAt ?? null,
  });
}
