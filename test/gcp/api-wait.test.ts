// The wait after enabling a Google Cloud API, as the engine's dynamic provider host runs it: a
// create returns only once the given seconds have passed (on a mocked clock), or at once for an API
// that was on before the run; a changed duration is recorded without waiting; another project or
// API is another wait.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { googleApiWaitProvider } from "../../components/gcp/api-wait";

const inputs = { project: "example-uk-prod", service: "compute.googleapis.com", seconds: 60 };

/** Whether the promise has settled after the microtasks queued so far have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("GoogleApiWait's provider", () => {
  it("returns from create only once the seconds have passed, with the inputs as its state", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const create = googleApiWaitProvider.create(inputs);
    t.mock.timers.tick(59_999);
    assert.equal(await settled(create), false, "returned before a minute");
    t.mock.timers.tick(1);
    const result = await create;
    assert.equal(result.id, "example-uk-prod/compute.googleapis.com");
    assert.deepEqual(result.outs, inputs);
  });

  it("returns from create at once for an API that was on before the run", async (t) => {
    // With the clock stopped, a wait of any length would never return.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const create = googleApiWaitProvider.create({ ...inputs, enabledBefore: true });
    t.mock.timers.tick(0);
    assert.equal(await settled(create), true, "waited for an API that was already on");
    assert.equal((await create).outs.enabledBefore, true);
  });

  it("still waits the whole minute when the API was off before the run", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const create = googleApiWaitProvider.create({ ...inputs, enabledBefore: false });
    t.mock.timers.tick(59_999);
    assert.equal(await settled(create), false, "returned before a minute");
    t.mock.timers.tick(1);
    assert.equal((await create).outs.enabledBefore, false);
  });

  it("asks to replace the wait for another project or API, and only records a new duration", async () => {
    const diff = googleApiWaitProvider.diff;
    if (!diff) throw new Error("the provider has no diff");
    const id = "example-uk-prod/compute.googleapis.com";
    assert.deepEqual(await diff(id, inputs, { ...inputs }), { changes: false, replaces: [] });
    assert.deepEqual(await diff(id, inputs, { ...inputs, service: "dns.googleapis.com" }), {
      changes: true,
      replaces: ["service"],
    });
    assert.deepEqual(await diff(id, inputs, { ...inputs, project: "example-uk-dr" }), {
      changes: true,
      replaces: ["project"],
    });
    assert.deepEqual(await diff(id, inputs, { ...inputs, seconds: 120 }), {
      changes: true,
      replaces: [],
    });
    // A later run finds the API on that the first run enabled: nothing to change.
    const created = { ...inputs, enabledBefore: false };
    assert.deepEqual(await diff(id, created, { ...inputs, enabledBefore: true }), {
      changes: false,
      replaces: [],
    });
  });

  it("updates without waiting: the API was enabled long before", async () => {
    const update = googleApiWaitProvider.update;
    if (!update) throw new Error("the provider has no update");
    // With the clock stopped, a wait would never return.
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const result = await update("id", inputs, { ...inputs, seconds: 120 });
      assert.deepEqual(result.outs, { ...inputs, seconds: 120 });
      // What the create found stays recorded; a later run's answer is not the create's.
      const created = { ...inputs, enabledBefore: false };
      const later = await update("id", created, { ...inputs, seconds: 90, enabledBefore: true });
      assert.deepEqual(later.outs, { ...inputs, seconds: 90, enabledBefore: false });
    } finally {
      mock.timers.reset();
    }
  });
});
