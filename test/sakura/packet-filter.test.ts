import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Sleep } from "@multicloud/sakura-cloud";
import {
  type PacketFilterInputs,
  type PacketFilterOutputs,
  SakuraPacketFilterProvider,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { assertWireSafe, configure, recordingSleep, startFake, testOptions, zone } from "./harness";

const inputs: PacketFilterInputs = {
  zone,
  name: "jp-front",
  description: "front hosts",
  expressions: [
    { protocol: "tcp", destinationPort: "80", action: "allow" },
    { protocol: "tcp", sourceNetwork: "198.51.100.0/24", destinationPort: "22", action: "allow" },
    { protocol: "udp", sourceNetwork: "210.188.224.10", sourcePort: "53", action: "allow" },
    { protocol: "icmp", action: "allow", description: "ping, path MTU" },
    { protocol: "ip", action: "deny" },
  ],
};

describe("SakuraPacketFilter provider", () => {
  let api: FakeSakuraApi;
  let root: string;
  let provider: SakuraPacketFilterProvider;
  let delays: number[];

  async function withSleep(sleep: Sleep): Promise<SakuraPacketFilterProvider> {
    const p = new SakuraPacketFilterProvider(testOptions(sleep));
    await configure(p, root);
    return p;
  }

  /** Puts the filter on a NIC of a server in the fake, as an attachment would. */
  function attachInFake(filterId: string): { nicId: string } {
    const nicId = "113000009001";
    api.addServer({
      ID: "113000009000",
      Name: "by-hand",
      Instance: { Status: "up" },
      Interfaces: [{ ID: nicId, PacketFilter: { ID: filterId } }],
    });
    return { nicId };
  }

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(async () => {
    const rec = recordingSleep();
    delays = rec.delays;
    provider = await withSleep(rec.sleep);
    api.reset();
  });

  it("check turns port numbers into the API's strings and fills defaults", async () => {
    const raw = {
      zone,
      name: "pf",
      expressions: [
        { protocol: "tcp", destinationPort: 443, action: "allow" },
        { protocol: "udp", sourcePort: "123", destinationPort: "32768-61000", action: "allow" },
      ],
    } as unknown as PacketFilterInputs;
    const ok = await provider.check(inputs, raw);
    assert.deepEqual(ok.failures, []);
    assert.deepEqual(ok.inputs, {
      zone,
      name: "pf",
      description: "",
      expressions: [
        { protocol: "tcp", destinationPort: "443", action: "allow" },
        { protocol: "udp", sourcePort: "123", destinationPort: "32768-61000", action: "allow" },
      ],
    });
  });

  it("check refuses what the API would refuse, naming each rule and field", async () => {
    const bad = {
      zone: "tokyo",
      name: "pf",
      expressions: [
        { protocol: "gre", action: "allow" },
        { protocol: "tcp", action: "permit" },
        { protocol: "icmp", destinationPort: "8", action: "allow" },
        { protocol: "tcp", sourceNetwork: "0.0.0.0/0", action: "allow" },
        { protocol: "tcp", sourceNetwork: "203.0.113.5/32", action: "allow" },
        { protocol: "tcp", sourceNetwork: "203.0.113.0/33", action: "allow" },
        { protocol: "tcp", sourceNetwork: "example.jp", action: "allow" },
        { protocol: "tcp", destinationPort: "61000-32768", action: "allow" },
        { protocol: "udp", sourcePort: 70000, action: "allow" },
        "deny everything",
      ],
    } as unknown as PacketFilterInputs;
    const result = await provider.check(inputs, bad);
    assertWireSafe(result.inputs);
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      [
        "zone",
        "expressions[0].protocol",
        "expressions[1].action",
        "expressions[2].destinationPort",
        "expressions[3].sourceNetwork",
        "expressions[4].sourceNetwork",
        "expressions[5].sourceNetwork",
        "expressions[6].sourceNetwork",
        "expressions[7].destinationPort",
        "expressions[8].sourcePort",
        "expressions[9]",
      ],
    );
    const reasons = result.failures?.map((f) => f.reason) ?? [];
    assert.match(reasons[4] ?? "", /leave sourceNetwork out to match any source/);
    assert.match(reasons[5] ?? "", /plain address \("203\.0\.113\.5"\)/);
    assert.match(reasons[3] ?? "", /ports apply to "tcp" and "udp" rules only/);
  });

  it("creates with every field the API expects, reads, updates the rules in place, deletes", async () => {
    const created = await provider.create(inputs);
    assert.match(created.id, /^\d{12}$/);
    const post = api.calls("POST", /^packetfilter$/)[0]?.body as {
      PacketFilter: { Name: string; Expression: unknown[] };
    };
    assert.equal(post.PacketFilter.Name, "jp-front");
    assert.deepEqual(post.PacketFilter.Expression[0], {
      Protocol: "tcp",
      SourceNetwork: "",
      SourcePort: "",
      DestinationPort: "80",
      Action: "allow",
      Description: "",
    });
    assert.deepEqual(post.PacketFilter.Expression[4], {
      Protocol: "ip",
      SourceNetwork: "",
      SourcePort: "",
      DestinationPort: "",
      Action: "deny",
      Description: "",
    });
    // The API answers "any" as null, and no port keys at all on icmp and ip rules.
    assert.deepEqual(api.echoedRules(created.id)?.[0], {
      Protocol: "tcp",
      SourceNetwork: null,
      SourcePort: null,
      DestinationPort: "80",
      Action: "allow",
      Description: null,
    });
    assert.deepEqual(api.echoedRules(created.id)?.[4], {
      Protocol: "ip",
      SourceNetwork: null,
      Action: "deny",
      Description: null,
    });
    assertWireSafe(created.outs);
    const outs = created.outs as PacketFilterOutputs;
    assert.deepEqual(
      outs.expressions,
      inputs.expressions,
      "null and missing API fields read back as left out",
    );
    assert.deepEqual(await provider.diff(created.id, outs, inputs), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });

    // A rule changed by hand shows up on read and is put back by an in-place update.
    const live = api.packetFilters.get(created.id);
    assert.ok(live?.rules[1]);
    live.rules[1].SourceNetwork = "";
    const read = await provider.read(created.id, outs);
    assert.equal(read.props?.expressions[1]?.sourceNetwork, undefined);
    const drift = await provider.diff(created.id, read.props as PacketFilterOutputs, inputs);
    assert.deepEqual(drift, { changes: true, replaces: [], deleteBeforeReplace: false });

    const tightened: PacketFilterInputs = {
      ...inputs,
      expressions: [
        { protocol: "tcp", destinationPort: "443", action: "allow" },
        ...inputs.expressions,
      ],
    };
    const updated = await provider.update(created.id, read.props as PacketFilterOutputs, tightened);
    const put = api.calls("PUT", /^packetfilter\/\d+$/)[0]?.body as {
      PacketFilter: { Name: string; Description: string; Expression: unknown[] };
    };
    assert.equal(put.PacketFilter.Expression.length, 6, "the whole list is sent");
    assert.deepEqual(updated.outs?.expressions, tightened.expressions);
    assert.notEqual(updated.outs?.expressionHash, outs.expressionHash);
    assert.equal(api.packetFilters.get(created.id)?.rules[1]?.SourceNetwork, "");

    await provider.delete(created.id, updated.outs as PacketFilterOutputs);
    assert.equal(api.packetFilters.size, 0);
    await provider.delete(created.id, updated.outs as PacketFilterOutputs); // gone: fine
    assert.deepEqual(await provider.read(created.id, outs), {});
  });

  it("diff: a zone change replaces, everything else is in place", async () => {
    const outs: PacketFilterOutputs = { ...inputs, expressionHash: null, createdAt: null };
    assert.deepEqual((await provider.diff("1", outs, { ...inputs, zone: "is1b" })).replaces, [
      "zone",
    ]);
    const renamed = await provider.diff("1", outs, {
      ...inputs,
      name: "jp-edge",
      expressions: inputs.expressions.slice(1),
    });
    assert.deepEqual(renamed, { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("names the filter and the API's message when the API refuses a rule", async () => {
    const bypassingCheck = {
      ...inputs,
      expressions: [{ protocol: "gre", action: "allow" }],
    } as unknown as PacketFilterInputs;
    await assert.rejects(
      provider.create(bypassingCheck),
      /^Error: SakuraPacketFilter "jp-front": create failed: Sakura Cloud API POST packetfilter -> HTTP 400 bad_request: Expression\[0\]\.Protocol "gre" is invalid/,
    );
    assert.equal(api.packetFilters.size, 0);
  });

  it("retries a busy API on update and gives up with the attempts counted", async () => {
    const created = await provider.create(inputs);
    const outs = created.outs as PacketFilterOutputs;
    api.inject({ method: "PUT", path: /^packetfilter\//, status: 503, times: 2 });
    await provider.update(created.id, outs, { ...inputs, description: "busy" });
    assert.deepEqual(delays, [100, 200], "exponential backoff");
    assert.equal(api.packetFilters.get(created.id)?.Description, "busy");

    api.inject({
      method: "PUT",
      path: /^packetfilter\//,
      status: 500,
      errorCode: "internal_error",
      errorMsg: "storage busy",
      times: 100,
    });
    await assert.rejects(
      provider.update(created.id, outs, { ...inputs, description: "never" }),
      /SakuraPacketFilter "jp-front": update of the rules failed: .*HTTP 500 internal_error: storage busy .*gave up after 4 attempts/,
    );
  });

  it("delete waits while a NIC still uses the filter, then deletes it", async () => {
    const created = await provider.create(inputs);
    const { nicId } = attachInFake(created.id);
    let sleeps = 0;
    const waiting = await withSleep(async () => {
      sleeps++;
      // The server's own delete detaches the filter meanwhile.
      const nic = api.nic(nicId);
      if (sleeps === 2 && nic) nic.PacketFilter = null;
    });
    await waiting.delete(created.id, created.outs as PacketFilterOutputs);
    assert.equal(api.calls("DELETE", /^packetfilter\//).length, 3);
    assert.equal(api.packetFilters.size, 0);
  });

  it("delete gives up on a filter that stays in use and says so", async () => {
    const created = await provider.create(inputs);
    attachInFake(created.id);
    await assert.rejects(
      provider.delete(created.id, created.outs as PacketFilterOutputs),
      /SakuraPacketFilter "jp-front": delete \(is a NIC still using the filter\?\) failed: .*HTTP 409 disconnect_b4_delete: the packet filter is applied to interface\(s\) 113000009001/,
    );
    assert.equal(api.calls("DELETE", /^packetfilter\//).length, 10, "bounded by the poll policy");
    assert.ok(api.packetFilters.has(created.id));
  });
});
