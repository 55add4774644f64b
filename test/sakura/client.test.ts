import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  backoffDelay,
  createSwitch,
  defaultRetryPolicy,
  findNewestPublicArchive,
  isNotFound,
  isSakuraApiError,
  isStillCreating,
  readSwitch,
  type SakuraApiError,
  SakuraClient,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { expectedAuthorization, recordingSleep, secret, startFake, token, zone } from "./harness";

function apiError(e: unknown): SakuraApiError {
  assert.ok(isSakuraApiError(e), `expected a SakuraApiError, got ${String(e)}`);
  return e;
}

describe("SakuraClient against the loopback API", () => {
  let api: FakeSakuraApi;
  let root: string;
  let delays: number[];
  let client: SakuraClient;

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(() => {
    const rec = recordingSleep();
    delays = rec.delays;
    client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: `${root}/`,
      sleep: rec.sleep,
      retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    });
    api.requests.length = 0;
    api.clearInjections();
  });

  it("builds zone-scoped URLs and sends Basic auth and a JSON envelope", async () => {
    assert.equal(client.baseUrl, `${root}/${zone}/api/cloud/1.1/`);
    const created = await createSwitch(client, { Name: "sw", Description: "d", Tags: ["a"] });
    assert.match(created.ID, /^\d{12}$/);
    const [req] = api.requests;
    assert.equal(req?.method, "POST");
    assert.equal(req?.path, "switch");
    assert.equal(req?.authorization, expectedAuthorization);
    assert.match(req?.contentType ?? "", /^application\/json/);
    assert.deepEqual(req?.body, { Switch: { Name: "sw", Description: "d", Tags: ["a"] } });
  });

  it("sends GET search conditions as JSON in the query and picks the newest matching archive", async () => {
    const tag = "ubuntu-24.04-latest";
    api.addArchive({
      ID: "112900000001",
      Name: "old",
      Tags: [tag],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2024-05-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: "112900000002",
      Name: "new",
      Tags: [tag, "cloud-init"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-02-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: "112900000003",
      Name: "newest-but-failed",
      Tags: [tag],
      Scope: "shared",
      Availability: "failed",
      CreatedAt: "2025-03-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: "112900000004",
      Name: "private",
      Tags: [tag],
      Scope: "user",
      Availability: "available",
      CreatedAt: "2025-04-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: "112900000005",
      Name: "other",
      Tags: ["debian-12-latest"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-05-01T00:00:00+09:00",
    });

    const archive = await findNewestPublicArchive(client, [tag]);
    assert.equal(archive.ID, "112900000002");
    const [req] = api.requests;
    assert.equal(req?.path, "archive");
    assert.deepEqual(req?.query, {
      Count: 100,
      Sort: ["-CreatedAt"],
      Filter: { "Tags.Name": [[tag]], Scope: ["shared"] },
    });

    await assert.rejects(
      findNewestPublicArchive(client, ["no-such-tag"]),
      /no available public archive .*no-such-tag/,
    );
  });

  it("retries Sakura's rate limit (503 too_many_request) with exponential backoff, then succeeds", async () => {
    const sw = await createSwitch(client, { Name: "rl" });
    api.inject({
      method: "GET",
      path: /^switch\/\d+$/,
      status: 503,
      errorCode: "too_many_request",
      times: 2,
    });
    const read = await readSwitch(client, sw.ID);
    assert.equal(read.Name, "rl");
    assert.equal(api.calls("GET", /^switch\//).length, 3);
    assert.deepEqual(delays, [100, 200]);
  });

  it("gets a burst through Sakura's rate limit by backing off on 503 too_many_request", async () => {
    const paced = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
      retry: { maxRetries: 10, baseDelayMs: 20, maxDelayMs: 200 },
    });
    api.rateLimit = { requests: 2, windowMs: 100 };
    try {
      const made = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => createSwitch(paced, { Name: `burst-${i}` })),
      );
      assert.equal(new Set(made.map((m) => m.ID)).size, 6, "each POST made exactly one switch");
      assert.ok(api.calls("POST", /^switch$/).length > 6, "some were refused and sent again");
    } finally {
      api.rateLimit = undefined;
    }
  });

  it("waits as long as Retry-After asks, capped by the policy", async () => {
    const sw = await createSwitch(client, { Name: "ra" });
    api.inject({
      method: "GET",
      path: /^switch\//,
      status: 503,
      errorCode: "too_many_request",
      retryAfter: "7",
    });
    await readSwitch(client, sw.ID);
    assert.deepEqual(delays, [1_000]);
  });

  it("repeats a POST answered 503 (not processed) and creates exactly one resource", async () => {
    const before = api.switches.size;
    api.inject({ method: "POST", path: /^switch$/, status: 503, errorCode: "service_unavailable" });
    await createSwitch(client, { Name: "once" });
    assert.equal(api.calls("POST", /^switch$/).length, 2);
    assert.equal(api.switches.size, before + 1);
  });

  it("does not repeat a POST answered 500, since the work may have been done", async () => {
    api.inject({
      method: "POST",
      path: /^switch$/,
      status: 500,
      errorCode: "internal_error",
      errorMsg: "boom",
    });
    const e = apiError(await createSwitch(client, { Name: "x" }).catch((err: unknown) => err));
    assert.equal(e.status, 500);
    assert.equal(e.errorCode, "internal_error");
    assert.equal(api.calls("POST", /^switch$/).length, 1);
    assert.deepEqual(delays, []);
  });

  it("gives up on 5xx after the retry bound and says so", async () => {
    const sw = await createSwitch(client, { Name: "bound" });
    api.inject({
      method: "GET",
      path: /^switch\//,
      status: 502,
      errorCode: "bad_gateway",
      errorMsg: "upstream down",
      times: 100,
    });
    const e = apiError(await readSwitch(client, sw.ID).catch((err: unknown) => err));
    assert.equal(e.status, 502);
    assert.equal(e.attempts, 4);
    assert.match(
      e.message,
      /GET switch\/\d+ -> HTTP 502 bad_gateway: upstream down .*gave up after 4 attempts/,
    );
    assert.equal(api.calls("GET", /^switch\//).length, 4);
    assert.deepEqual(delays, [100, 200, 400]);
  });

  it("parses the API error body into error_code, error_msg and serial", async () => {
    api.inject({
      method: "PUT",
      path: /power$/,
      status: 409,
      errorCode: "still_creating",
      errorMsg: "disk is being copied",
    });
    const e = apiError(await client.put("server/113000000999/power").catch((err: unknown) => err));
    assert.equal(e.status, 409);
    assert.equal(e.errorCode, "still_creating");
    assert.equal(e.errorMsg, "disk is being copied");
    assert.match(e.serial ?? "", /^fake[0-9a-f]+$/);
    assert.ok(isStillCreating(e));
    assert.equal(api.calls("PUT", /power$/).length, 1, "409 is not retried by the client");
  });

  it("reports 404 as not found without retrying", async () => {
    const e = await readSwitch(client, "113999999999").catch((err: unknown) => err);
    assert.ok(isNotFound(e));
    assert.match(apiError(e).message, /HTTP 404 not_found: switch 113999999999 not found/);
    assert.equal(api.requests.length, 1);
  });

  it("fails on wrong credentials with the API's 401 and does not retry", async () => {
    const wrong = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: "wrong",
      apiRootUrl: root,
      sleep: recordingSleep().sleep,
    });
    const e = apiError(await createSwitch(wrong, { Name: "x" }).catch((err: unknown) => err));
    assert.equal(e.status, 401);
    assert.equal(e.errorCode, "unauthorized");
    assert.equal(api.requests.length, 1);
    assert.notEqual(api.requests[0]?.authorization, expectedAuthorization);
  });
});

describe("SakuraClient without a server", () => {
  it("retries a GET that gets no answer, never a POST, then reports status 0", async () => {
    const { api, root } = await startFake();
    await api.stop(); // the port is now closed
    const rec = recordingSleep();
    const client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
      sleep: rec.sleep,
      retry: { maxRetries: 2, baseDelayMs: 10 },
    });
    const get = apiError(await client.get("switch/1").catch((err: unknown) => err));
    assert.equal(get.status, 0);
    assert.equal(get.attempts, 3);
    assert.deepEqual(rec.delays, [10, 20]);
    const post = apiError(await client.post("switch", {}).catch((err: unknown) => err));
    assert.equal(post.attempts, 1);
    assert.deepEqual(rec.delays, [10, 20]);
  });

  it("rejects a zone that is not a zone name", () => {
    assert.throws(
      () => new SakuraClient({ zone: "../x", accessToken: "a", accessTokenSecret: "b" }),
      /not a zone name/,
    );
  });

  it("backs off like Sakura's HTTP layer: 10 retries, 1 s doubling up to 64 s", () => {
    assert.equal(defaultRetryPolicy.maxRetries, 10);
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => backoffDelay(defaultRetryPolicy, i));
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 64_000]);
  });
});
