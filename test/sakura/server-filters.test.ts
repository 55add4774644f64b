// Packet filters on a server's NICs: attached before the first boot, changed in place, detached
// after power-off at delete, and the error paths of each.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  type PacketFilterOutputs,
  SakuraPacketFilterProvider,
  SakuraServerProvider,
  SakuraSwitchProvider,
  type ServerInputs,
  type ServerOutputs,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { configure, recordingSleep, startFake, testOptions, zone } from "./harness";

describe("SakuraServer packet filters", () => {
  let api: FakeSakuraApi;
  let root: string;
  let servers: SakuraServerProvider;
  let filters: SakuraPacketFilterProvider;
  let switches: SakuraSwitchProvider;
  let privateSwitch: string;

  async function checked(raw: Partial<ServerInputs>): Promise<ServerInputs> {
    const base = {
      zone,
      name: "web-1",
      cpu: 2,
      memoryGb: 4,
      interfaces: ["shared", privateSwitch],
    };
    const result = await servers.check({} as ServerInputs, { ...base, ...raw } as ServerInputs);
    assert.deepEqual(result.failures, []);
    assert.ok(result.inputs);
    return result.inputs;
  }

  async function newFilter(name: string): Promise<{ id: string; outs: PacketFilterOutputs }> {
    const created = await filters.create({
      zone,
      name,
      description: "",
      expressions: [{ protocol: "ip", action: "deny" }],
    });
    return { id: created.id, outs: created.outs as PacketFilterOutputs };
  }

  /** Requests with 12-digit IDs replaced, for comparing order. */
  function paths(): string[] {
    return api.requests.map((r) => `${r.method} ${r.path.replace(/\d{12}/g, ":id")}`);
  }

  function liveFilters(serverId: string): (string | null)[] {
    return (api.servers.get(serverId)?.Interfaces ?? []).map((n) => n.PacketFilter?.ID ?? null);
  }

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(async () => {
    const { sleep } = recordingSleep();
    servers = new SakuraServerProvider(testOptions(sleep));
    filters = new SakuraPacketFilterProvider(testOptions(sleep));
    switches = new SakuraSwitchProvider(testOptions(sleep));
    for (const p of [servers, filters, switches]) await configure(p, root);
    api.reset();
    api.stillCreatingBoots = 0;
    privateSwitch = (await switches.create({ zone, name: "jp-private", description: "", tags: [] }))
      .id;
  });

  it("check pads the list to one entry per NIC and refuses more entries than NICs", async () => {
    assert.deepEqual((await checked({})).packetFilterIds, [null, null]);
    assert.deepEqual((await checked({ packetFilterIds: ["113000000777"] })).packetFilterIds, [
      "113000000777",
      null,
    ]);
    const bad = await servers.check(
      {} as ServerInputs,
      {
        zone,
        name: "x",
        cpu: 2,
        memoryGb: 4,
        interfaces: ["shared"],
        packetFilterIds: ["", null],
      } as unknown as ServerInputs,
    );
    assert.deepEqual(
      bad.failures?.map((f) => [f.property, f.reason]),
      [
        ["packetFilterIds[0]", "must be a packet filter ID or null"],
        ["packetFilterIds", "has 2 entries but the server has 1 NIC(s)"],
      ],
    );
  });

  it("attaches the shared NIC's filter before the first power-on", async () => {
    const front = await newFilter("jp-front");
    api.requests.length = 0;
    const created = await servers.create(await checked({ packetFilterIds: [front.id, null] }));
    assert.deepEqual(paths(), [
      "POST server",
      "PUT interface/:id/to/packetfilter/:id",
      "PUT server/:id/power",
      "GET server/:id", // booting
      "GET server/:id", // up
      "GET server/:id",
    ]);
    const sharedNic = api.servers.get(created.id)?.Interfaces?.[0]?.ID;
    assert.equal(
      api.calls("PUT", /to\/packetfilter/)[0]?.path,
      `interface/${sharedNic}/to/packetfilter/${front.id}`,
    );
    assert.deepEqual(liveFilters(created.id), [front.id, null]);
    assert.deepEqual(created.outs?.packetFilterIds, [front.id, null]);
  });

  it("changes a NIC's filter in place: detach the old one, attach the new one", async () => {
    const front = await newFilter("jp-front");
    const hosts = await newFilter("jp-hosts");
    const created = await servers.create(await checked({ packetFilterIds: [front.id] }));
    const outs = created.outs as ServerOutputs;

    const swapped = await checked({ packetFilterIds: [hosts.id] });
    assert.deepEqual(await servers.diff(created.id, outs, swapped), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    api.requests.length = 0;
    const u1 = await servers.update(created.id, outs, swapped);
    assert.deepEqual(
      paths().filter((p) => p.includes("packetfilter")),
      ["DELETE interface/:id/to/packetfilter", "PUT interface/:id/to/packetfilter/:id"],
    );
    assert.equal(api.calls("DELETE", /power$/).length, 0, "the server keeps running");
    assert.deepEqual(liveFilters(created.id), [hosts.id, null]);
    assert.deepEqual(u1.outs?.packetFilterIds, [hosts.id, null]);

    api.requests.length = 0;
    const u2 = await servers.update(created.id, u1.outs as ServerOutputs, await checked({}));
    assert.deepEqual(
      paths().filter((p) => p.includes("packetfilter")),
      ["DELETE interface/:id/to/packetfilter"],
    );
    assert.deepEqual(u2.outs?.packetFilterIds, [null, null]);

    api.requests.length = 0;
    await servers.update(created.id, u2.outs as ServerOutputs, {
      ...(await checked({})),
      name: "web-01",
    });
    assert.equal(api.calls("GET", /^server/).length, 1, "no NIC work without a filter change");
    assert.equal(paths().filter((p) => p.includes("interface")).length, 0);
  });

  it("a filter removed by hand is seen on read and put back", async () => {
    const front = await newFilter("jp-front");
    const inputs = await checked({ packetFilterIds: [front.id] });
    const created = await servers.create(inputs);
    const nic = api.servers.get(created.id)?.Interfaces?.[0];
    assert.ok(nic);
    nic.PacketFilter = null;
    const read = await servers.read(created.id, created.outs as ServerOutputs);
    assert.deepEqual(read.props?.packetFilterIds, [null, null]);
    const diff = await servers.diff(created.id, read.props as ServerOutputs, inputs);
    assert.deepEqual(diff.replaces, []);
    assert.equal(diff.changes, true);
    await servers.update(created.id, read.props as ServerOutputs, inputs);
    assert.deepEqual(liveFilters(created.id), [front.id, null]);
  });

  it("detaches after power-off and before delete, so the filter can go right after", async () => {
    const front = await newFilter("jp-front");
    const created = await servers.create(await checked({ packetFilterIds: [front.id] }));
    api.requests.length = 0;
    await servers.delete(created.id, created.outs as ServerOutputs);
    assert.deepEqual(
      paths().filter((p) => !p.startsWith("GET")),
      ["DELETE server/:id/power", "DELETE interface/:id/to/packetfilter", "DELETE server/:id"],
    );
    await filters.delete(front.id, front.outs);
    assert.equal(api.calls("DELETE", /^packetfilter\//).length, 1, "not in use: deleted at once");
    assert.equal(api.servers.size + api.packetFilters.size, 0);
  });

  it("a filter that does not exist fails the create before boot and leaves nothing", async () => {
    const error = await servers
      .create(await checked({ packetFilterIds: ["113099999999"] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /^SakuraServer "web-1": attaching packet filters failed: NIC #0 \(\d{12}\): attaching packet filter 113099999999 failed, the NIC has no filter now: .*HTTP 404 not_found: packet filter 113099999999 not found.*; cleaned up: deleted server \d{12}$/,
    );
    assert.equal(api.calls("PUT", /power$/).length, 0, "never booted");
    assert.equal(api.servers.size, 0);
  });

  it("an attach that keeps failing on update says the NIC is unfiltered", async () => {
    const front = await newFilter("jp-front");
    const hosts = await newFilter("jp-hosts");
    const created = await servers.create(await checked({ packetFilterIds: [front.id] }));
    api.inject({
      method: "PUT",
      path: /^interface\/\d+\/to\/packetfilter\//,
      status: 500,
      errorCode: "internal_error",
      errorMsg: "interface locked",
      times: 100,
    });
    await assert.rejects(
      servers.update(
        created.id,
        created.outs as ServerOutputs,
        await checked({ packetFilterIds: [hosts.id] }),
      ),
      new RegExp(
        `^Error: SakuraServer "web-1": changing packet filters failed: NIC #0 \\(\\d{12}\\): attaching packet filter ${hosts.id} failed, the NIC has no filter now: .*HTTP 500 internal_error: interface locked .*gave up after 4 attempts`,
      ),
    );
    assert.deepEqual(liveFilters(created.id), [null, null]);
  });
});
