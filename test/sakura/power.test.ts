// Power changes against the fake API that behaves like Sakura's: a boot the API took can come to
// nothing, a request sent again while one is under way answers 409 `conflict`, the OS can ignore
// a shutdown, and power requests go out one at a time per process.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  SakuraServerProvider,
  type ServerInputs,
  type ServerOutputs,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { configure, recordingSleep, startFake, testOptions, zone } from "./harness";

describe("SakuraServer power", () => {
  let api: FakeSakuraApi;
  let root: string;
  let servers: SakuraServerProvider;

  async function checked(raw: Partial<ServerInputs> = {}): Promise<ServerInputs> {
    const base = { zone, name: "web-1", cpu: 2, memoryGb: 4, interfaces: ["shared"] };
    const result = await servers.check({} as ServerInputs, { ...base, ...raw } as ServerInputs);
    assert.deepEqual(result.failures, []);
    assert.ok(result.inputs);
    return result.inputs;
  }

  const bodies = (method: string) => api.calls(method, /power$/).map((r) => r.body ?? null);

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(async () => {
    servers = new SakuraServerProvider({
      ...testOptions(recordingSleep().sleep),
      requestTimeoutMs: 2_000,
      gracefulShutdown: { intervalMs: 50, maxAttempts: 6 },
    });
    await configure(servers, root);
    api.reset();
    api.bootReads = 0;
    api.lostBoots = 0;
    api.ignoredShutdowns = 0;
    api.gracefulShutdownReads = 1;
  });

  it("sends the boot again while the server stays down after the API took it", async () => {
    api.lostBoots = 1;
    const created = await servers.create(await checked());
    assert.equal(created.outs?.instanceStatus, "up");
    assert.equal(bodies("PUT").length, 2, "the first boot came to nothing, the second one took");
  });

  it("stops sending the boot once the API answers 409 conflict: one is under way", async () => {
    api.bootReads = 6;
    const created = await servers.create(await checked());
    assert.equal(created.outs?.instanceStatus, "up");
    assert.equal(bodies("PUT").length, 2, "the second boot met 409 conflict, no third was sent");
  });

  it("takes a 409 conflict to a boot whose first answer was lost as the boot under way", async () => {
    api.hold({ method: "PUT", path: /power$/, ms: 5_000, answer: true });
    const created = await servers.create(await checked());
    assert.equal(created.outs?.instanceStatus, "up");
    assert.equal(
      bodies("PUT").length,
      2,
      "the client sent it again after the timeout; the API said conflict",
    );
  });

  it("sends the ACPI shutdown again when the OS ignored it, without cutting the power", async () => {
    api.ignoredShutdowns = 1;
    const created = await servers.create(await checked());
    const outs = created.outs as ServerOutputs;
    const off = await servers.update(created.id, outs, { ...outs, powerOn: false });
    assert.equal(off.outs?.instanceStatus, "down");
    assert.deepEqual(bodies("DELETE"), [{ Force: false }, { Force: false }]);
  });

  it("sends one power request at a time, across servers created together", async () => {
    api.hold({ method: "PUT", path: /power$/, ms: 40, times: 3 });
    const created = await Promise.all(
      ["a", "b", "c"].map(async (name) => servers.create(await checked({ name }))),
    );
    assert.deepEqual(
      created.map((c) => c.outs?.instanceStatus),
      ["up", "up", "up"],
    );
    assert.equal(bodies("PUT").length, 3);
    assert.equal(api.maxConcurrentPower, 1, "no two power requests were in flight together");
  });
});
