// The fake API's VPC router behaves as the real one does where the provider depends on it:
// building takes time, settings run only after config, the SettingsHash guards a change, keys
// are never read back, NICs change only on a stopped router, and the plan rules hold.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  type ApiVpcRouter,
  applyVpcRouterConfig,
  connectVpcRouterToSwitch,
  createSwitch,
  createVpcRouter,
  deleteVpcRouter,
  readVpcRouter,
  SakuraClient,
  updateVpcRouter,
  type VpcRouterCreateRequest,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { recordingSleep, secret, startFake, token, zone } from "./harness";

const standardRouter: VpcRouterCreateRequest["Appliance"] = {
  Class: "vpcrouter",
  Name: "fake-check",
  Plan: { ID: 1 },
  Remark: { Router: { VPCRouterVersion: 2 }, Switch: { Scope: "shared" }, Servers: [{}] },
  Settings: { Router: { InternetConnection: { Enabled: "True" } } },
};

const peerSettings = {
  SiteToSiteIPsecVPN: {
    Config: [
      {
        Peer: "198.51.100.7",
        PreSharedSecret: "k3y_01",
        RemoteID: "198.51.100.7",
        Routes: ["10.128.0.0/20"],
        LocalPrefix: ["10.10.0.0/24"],
      },
    ],
    Enabled: "True" as const,
  },
};

describe("the fake API's VPC router", () => {
  let api: FakeSakuraApi;
  let client: SakuraClient;

  before(async () => {
    let root: string;
    ({ api, root } = await startFake());
    client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
      sleep: recordingSleep().sleep,
      retry: { maxRetries: 0 },
    });
  });
  after(() => api.stop());
  beforeEach(() => api.reset());

  async function built(): Promise<ApiVpcRouter> {
    const created = await createVpcRouter(client, standardRouter);
    for (let i = 0; i < 10; i++) {
      const read = await readVpcRouter(client, created.ID);
      if (read.Availability === "available") return read;
    }
    throw new Error("never built");
  }

  it("builds a new router in the background and takes nothing until it is built", async () => {
    const created = await createVpcRouter(client, standardRouter);
    assert.equal(created.Availability, "migrating");
    assert.equal(created.Instance?.Status, "down");
    await assert.rejects(
      updateVpcRouter(client, created.ID, { Name: "x", Settings: { Router: {} } }),
      /HTTP 409 still_creating/,
    );
    await assert.rejects(client.put(`appliance/${created.ID}/power`), /HTTP 409 still_creating/);
  });

  it("runs stored settings only once config applies them", async () => {
    const router = await built();
    await updateVpcRouter(client, router.ID, {
      Name: router.Name,
      Settings: { Router: peerSettings },
      SettingsHash: router.SettingsHash,
    });
    assert.equal(api.vpcRouters.running(router.ID), undefined, "stored, not running");
    await applyVpcRouterConfig(client, router.ID);
    assert.equal(
      api.vpcRouters.running(router.ID)?.SiteToSiteIPsecVPN?.Config[0]?.Peer,
      "198.51.100.7",
    );
  });

  it("refuses a change made from stale settings (an old SettingsHash)", async () => {
    const router = await built();
    const first = await updateVpcRouter(client, router.ID, {
      Name: router.Name,
      Settings: { Router: peerSettings },
      SettingsHash: router.SettingsHash,
    });
    assert.notEqual(first.SettingsHash, router.SettingsHash, "the hash follows the settings");
    await updateVpcRouter(client, router.ID, {
      Name: router.Name,
      Settings: { Router: {} },
      SettingsHash: first.SettingsHash,
    });
    await assert.rejects(
      updateVpcRouter(client, router.ID, {
        Name: router.Name,
        Settings: { Router: peerSettings },
        SettingsHash: first.SettingsHash,
      }),
      /HTTP 409 conflict/,
    );
  });

  it("never reads a pre-shared key back, and refuses a peer sent without one", async () => {
    const router = await built();
    await updateVpcRouter(client, router.ID, {
      Name: router.Name,
      Settings: { Router: peerSettings },
    });
    const read = await readVpcRouter(client, router.ID);
    const peer = read.Settings?.Router?.SiteToSiteIPsecVPN?.Config[0];
    assert.equal(peer?.Peer, "198.51.100.7");
    assert.equal("PreSharedSecret" in (peer ?? {}), false);
    await assert.rejects(
      updateVpcRouter(client, router.ID, { Name: router.Name, Settings: read.Settings ?? {} }),
      /HTTP 400 bad_request: peer 198.51.100.7 has no PreSharedSecret/,
    );
  });

  it("changes NICs only on a stopped router, and a running router cannot be deleted", async () => {
    const router = await built();
    const sw = (await createSwitch(client, { Name: "private" })).ID;
    await client.put(`appliance/${router.ID}/power`);
    await readVpcRouter(client, router.ID);
    assert.equal((await readVpcRouter(client, router.ID)).Instance?.Status, "up");
    await assert.rejects(
      connectVpcRouterToSwitch(client, router.ID, 1, sw),
      /HTTP 409 server_power_must_be_down/,
    );
    await assert.rejects(deleteVpcRouter(client, router.ID), /HTTP 409 server_power_must_be_down/);
    await client.delete(`appliance/${router.ID}/power`, { Force: true });
    await connectVpcRouterToSwitch(client, router.ID, 1, sw);
    await assert.rejects(
      connectVpcRouterToSwitch(client, router.ID, 1, sw),
      /HTTP 400 .*already connected/,
    );
    await assert.rejects(client.delete(`switch/${sw}`), /HTTP 409 disconnect_b4_delete/);
  });

  it("holds the plan rules: shared segment for standard, a switch+router for the others", async () => {
    await assert.rejects(
      createVpcRouter(client, { ...standardRouter, Plan: { ID: 5 as 1 } }),
      /HTTP 400 .*no VPC router plan 5/,
    );
    await assert.rejects(
      createVpcRouter(client, {
        ...standardRouter,
        Remark: { ...standardRouter.Remark, Router: { VPCRouterVersion: 3 } },
      }),
      /no VPC router version 3/,
    );
    const plain = (await createSwitch(client, { Name: "plain" })).ID;
    const premium = (
      switchId: string,
      addresses: string[],
    ): VpcRouterCreateRequest["Appliance"] => ({
      ...standardRouter,
      Plan: { ID: 2 },
      Remark: {
        Router: { VPCRouterVersion: 2 },
        Switch: { ID: switchId },
        Servers: addresses.slice(0, 2).map((IPAddress) => ({ IPAddress })),
      },
      Settings: {
        Router: {
          VRID: 1,
          Interfaces: [{ IPAddress: addresses.slice(0, 2), VirtualIPAddress: addresses[2] ?? "" }],
        },
      },
    });
    await assert.rejects(
      createVpcRouter(client, premium(plain, ["192.0.2.5", "192.0.2.6", "192.0.2.4"])),
      /not a switch\+router's switch/,
    );
    const internet = api.addInternetSwitch("internet", { network: "192.0.2.0", prefix: 28 });
    await assert.rejects(
      createVpcRouter(client, premium(internet, ["192.0.2.5", "192.0.2.60", "192.0.2.4"])),
      /192.0.2.60 is not in the switch\+router's 192.0.2.0\/28/,
    );
    const made = await createVpcRouter(
      client,
      premium(internet, ["192.0.2.5", "192.0.2.6", "192.0.2.4"]),
    );
    assert.equal(made.Interfaces?.[0]?.Switch?.ID, internet);
    await assert.rejects(
      createVpcRouter(client, {
        ...standardRouter,
        Remark: { ...standardRouter.Remark, Switch: { ID: internet } },
      }),
      /standard VPC router's public NIC is on the shared segment/,
    );
  });
});
