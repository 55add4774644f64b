import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { SakuraSwitchProvider, type SwitchInputs } from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import {
  assertWireSafe,
  configure,
  expectedAuthorization,
  recordingSleep,
  secret,
  startFake,
  testOptions,
  token,
  zone,
} from "./harness";

describe("SakuraSwitch provider", () => {
  let api: FakeSakuraApi;
  let root: string;
  let provider: SakuraSwitchProvider;
  const inputs: SwitchInputs = {
    zone,
    name: "jp-private",
    description: "app segment",
    tags: ["jp"],
  };

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(async () => {
    provider = new SakuraSwitchProvider(testOptions(recordingSleep().sleep));
    await configure(provider, root);
    api.clearInjections();
    api.requests.length = 0;
  });

  it("check fills defaults and reports bad inputs in wire-safe form", async () => {
    const ok = await provider.check(inputs, { zone, name: "sw" } as SwitchInputs);
    assert.deepEqual(ok.inputs, { zone, name: "sw", description: "", tags: [] });
    assert.deepEqual(ok.failures, []);
    const bad = await provider.check(inputs, { zone: "tokyo" } as SwitchInputs);
    assertWireSafe(bad.inputs);
    assert.deepEqual(
      bad.failures?.map((f) => f.property),
      ["zone", "name"],
    );
  });

  it("creates, reads, updates in place and deletes a switch", async () => {
    const created = await provider.create(inputs);
    assert.match(created.id, /^\d{12}$/);
    assert.deepEqual(api.calls("POST", /^switch$/)[0]?.body, {
      Switch: { Name: "jp-private", Description: "app segment", Tags: ["jp"] },
    });
    assert.equal(created.outs?.serverCount, 0);
    assertWireSafe(created.outs);
    const outs = created.outs;
    assert.ok(outs);

    // Drift made outside Pulumi shows up on read.
    const live = api.switches.get(created.id);
    assert.ok(live);
    live.Tags = ["jp", "edited-by-hand"];
    const read = await provider.read(created.id, outs);
    assert.equal(read.id, created.id);
    assert.deepEqual(read.props?.tags, ["jp", "edited-by-hand"]);

    const news = { ...inputs, description: "app + db segment", tags: ["jp", "private"] };
    const diff = await provider.diff(created.id, outs, news);
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await provider.update(created.id, outs, news);
    assert.equal(updated.outs?.description, "app + db segment");
    assert.deepEqual(api.switches.get(created.id)?.Tags, ["jp", "private"]);
    assert.deepEqual(api.calls("PUT", /^switch\/\d+$/)[0]?.body, {
      Switch: { Name: "jp-private", Description: "app + db segment", Tags: ["jp", "private"] },
    });

    await provider.delete(created.id, outs);
    assert.equal(api.switches.has(created.id), false);
    // Deleting what is already gone is not an error.
    await provider.delete(created.id, outs);
    // A read of a deleted switch returns no id: Pulumi drops it from the state.
    assert.deepEqual(await provider.read(created.id, outs), {});
  });

  it("diff: no change, zone change replaces", async () => {
    const outs = { ...inputs, createdAt: null, serverCount: 0 };
    assert.deepEqual(await provider.diff("1", outs, { ...inputs }), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const moved = await provider.diff("1", outs, { ...inputs, zone: "is1b" });
    assert.deepEqual(moved.replaces, ["zone"]);
  });

  it("names the resource and the API error code when create fails", async () => {
    api.inject({
      method: "POST",
      path: /^switch$/,
      status: 400,
      errorCode: "bad_request",
      errorMsg: "name too long",
    });
    await assert.rejects(
      provider.create(inputs),
      /^Error: SakuraSwitch "jp-private": create failed: .*HTTP 400 bad_request: name too long/,
    );
    assert.equal(api.switches.size, 0);
  });
});

describe("credentials", () => {
  let api: FakeSakuraApi;
  let root: string;
  const saved = { ...process.env };

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(async () => {
    process.env = saved;
    await api.stop();
  });

  it("are read from the environment at call time when the stack config has none", async () => {
    const provider = new SakuraSwitchProvider(testOptions(recordingSleep().sleep));
    delete process.env.SAKURACLOUD_ACCESS_TOKEN;
    delete process.env.SAKURACLOUD_ACCESS_TOKEN_SECRET;
    process.env.SAKURACLOUD_API_ROOT_URL = root;
    const inputs: SwitchInputs = { zone, name: "env", description: "", tags: [] };
    await assert.rejects(
      provider.create(inputs),
      /credentials are missing: set the secret stack config sakuracloud:token/,
    );
    assert.equal(api.requests.length, 0);

    // Same provider object, credentials appear later: they are looked up per call.
    process.env.SAKURACLOUD_ACCESS_TOKEN = token;
    process.env.SAKURACLOUD_ACCESS_TOKEN_SECRET = secret;
    const created = await provider.create(inputs);
    assert.ok(api.switches.has(created.id));
    assert.equal(api.requests[0]?.authorization, expectedAuthorization);
  });

  it("from the stack config win over the environment", async () => {
    process.env.SAKURACLOUD_ACCESS_TOKEN = "env-token";
    process.env.SAKURACLOUD_ACCESS_TOKEN_SECRET = "env-secret";
    process.env.SAKURACLOUD_API_ROOT_URL = "http://127.0.0.1:9/unused";
    const provider = new SakuraSwitchProvider(testOptions(recordingSleep().sleep));
    await configure(provider, root);
    api.requests.length = 0;
    await provider.create({ zone, name: "cfg", description: "", tags: [] });
    assert.equal(api.requests[0]?.authorization, expectedAuthorization);
  });
});
