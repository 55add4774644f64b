// SakuraVpcRouter's provider against the fake API: create (built, NICs, settings, config, boot),
// a second preview with no change, updates in place (with the router stopped around a NIC's
// switch change), replacements, delete, and a create that fails midway undoing itself.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  createSwitch,
  SakuraClient,
  SakuraVpcRouterProvider,
  type VpcRouterInputs,
  type VpcRouterOutputs,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import {
  assertWireSafe,
  configure,
  recordingSleep,
  secret,
  startFake,
  testOptions,
  token,
  zone,
} from "./harness";

const gcpGateway = "198.51.100.7";
const pskLiteral = "k3y_for_the_tunnel_01";

/** What a program passes: a private NIC, a route, one peer and a firewall on the private NIC. */
function routerArgs(switchId: string): Record<string, unknown> {
  return {
    zone,
    name: "jp-vpn",
    privateInterfaces: [{ index: 1, switchId, ipAddresses: ["10.10.0.1"], networkMaskLen: 24 }],
    staticRoutes: [{ prefix: "10.20.0.0/16", nextHop: "10.10.0.254" }],
    siteToSiteVpn: [
      {
        peer: gcpGateway,
        remoteId: gcpGateway,
        preSharedSecret: pskLiteral,
        routes: ["10.128.0.0/20"],
        localPrefixes: ["10.10.0.0/24"],
      },
    ],
    firewall: [
      {
        interfaceIndex: 1,
        direction: "receive",
        expressions: [
          { protocol: "tcp", destinationPort: 22, action: "allow" },
          { protocol: "ip", action: "deny", logging: true },
        ],
      },
    ],
  };
}

describe("SakuraVpcRouter against the fake API", () => {
  let api: FakeSakuraApi;
  let root: string;
  let provider: SakuraVpcRouterProvider;
  let client: SakuraClient;
  let privateSwitch: string;

  before(async () => {
    ({ api, root } = await startFake());
  });
  after(() => api.stop());
  beforeEach(async () => {
    api.reset();
    provider = new SakuraVpcRouterProvider(testOptions(recordingSleep().sleep));
    await configure(provider, root);
    client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
    });
    privateSwitch = (await createSwitch(client, { Name: "jp-private" })).ID;
  });

  async function checked(
    raw: Record<string, unknown>,
    olds: object = {},
  ): Promise<VpcRouterInputs> {
    const result = await provider.check(olds as VpcRouterInputs, raw as unknown as VpcRouterInputs);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs as VpcRouterInputs;
  }

  async function made(
    raw: Record<string, unknown>,
  ): Promise<{ id: string; outs: VpcRouterOutputs }> {
    const created = await provider.create(await checked(raw));
    return { id: created.id, outs: created.outs as VpcRouterOutputs };
  }

  it("builds the router, connects its NIC, sends and applies the settings, then boots it", async () => {
    const { id, outs } = await made(routerArgs(privateSwitch));
    assertWireSafe(outs);
    const sequence = api.requests
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path.replace(id, ":id").replace(privateSwitch, ":sw")}`);
    assert.deepEqual(sequence, [
      "POST switch",
      "POST appliance",
      "PUT appliance/:id/interface/1/to/switch/:sw",
      "PUT appliance/:id",
      "PUT appliance/:id/config",
      "PUT appliance/:id/power",
    ]);
    const post = api.calls("POST", /^appliance$/)[0]?.body;
    assert.deepEqual(post, {
      Appliance: {
        Class: "vpcrouter",
        Name: "jp-vpn",
        Description: "",
        Tags: [],
        Plan: { ID: 1 },
        Remark: { Router: { VPCRouterVersion: 2 }, Switch: { Scope: "shared" }, Servers: [{}] },
        Settings: { Router: { InternetConnection: { Enabled: "True" } } },
      },
    });
    // What the router runs: the settings applied by config, key included.
    const running = api.vpcRouters.running(id);
    assert.deepEqual(running?.SiteToSiteIPsecVPN?.Config, [
      {
        Peer: gcpGateway,
        PreSharedSecret: pskLiteral,
        RemoteID: gcpGateway,
        Routes: ["10.128.0.0/20"],
        LocalPrefix: ["10.10.0.0/24"],
      },
    ]);
    assert.equal(running?.SiteToSiteIPsecVPN?.EncryptionAlgo, "aes128");
    assert.deepEqual(running?.StaticRoutes?.Config, [
      { Prefix: "10.20.0.0/16", NextHop: "10.10.0.254" },
    ]);
    assert.deepEqual(running?.Interfaces, [null, { IPAddress: ["10.10.0.1"], NetworkMaskLen: 24 }]);
    assert.deepEqual(running?.Firewall?.Config?.[1]?.Receive, [
      {
        Protocol: "tcp",
        DestinationPort: "22",
        Action: "allow",
        Logging: "False",
        Description: "",
      },
      { Protocol: "ip", Action: "deny", Logging: "True", Description: "" },
    ]);
    assert.equal(running?.Firewall?.Config?.length, 8);
    assert.equal(outs.instanceStatus, "up");
    assert.equal(outs.publicIpAddress, "203.0.113.10", "the shared segment's address");
    assert.equal(outs.publicNetworkMaskLen, 24);
    assert.equal(outs.siteToSiteVpn[0]?.preSharedSecret, pskLiteral, "kept though reads omit it");
  });

  it("shows no change on a second preview, right after create and after a refresh", async () => {
    const raw = routerArgs(privateSwitch);
    const { id, outs } = await made(raw);
    const again = await checked(raw, outs);
    assert.deepEqual(await provider.diff(id, outs, again), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const read = await provider.read(id, outs);
    assert.equal(read.id, id);
    const refreshed = read.props as VpcRouterOutputs;
    assert.equal(refreshed.siteToSiteVpn[0]?.preSharedSecret, pskLiteral);
    const diff = await provider.diff(id, refreshed, await checked(raw, refreshed));
    assert.equal(diff.changes, false, JSON.stringify(diff));
  });

  it("changes peers, routes and firewall in place, applied by config, the router left running", async () => {
    const { id, outs } = await made(routerArgs(privateSwitch));
    const changedRaw = routerArgs(privateSwitch);
    changedRaw.siteToSiteVpn = [
      {
        peer: gcpGateway,
        remoteId: gcpGateway,
        preSharedSecret: "another_key_02",
        routes: ["10.128.0.0/20", "10.132.0.0/14"],
        localPrefixes: ["10.10.0.0/24"],
      },
    ];
    changedRaw.firewall = [];
    const news = await checked(changedRaw, outs);
    const diff = await provider.diff(id, outs, news);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    api.requests.length = 0;
    const updated = (await provider.update(id, outs, news)).outs as VpcRouterOutputs;
    assert.deepEqual(
      api.requests
        .filter((r) => r.method !== "GET")
        .map((r) => `${r.method} ${r.path.replace(id, ":id")}`),
      ["PUT appliance/:id", "PUT appliance/:id/config"],
      "no stop, no NIC change",
    );
    const running = api.vpcRouters.running(id);
    assert.deepEqual(running?.SiteToSiteIPsecVPN?.Config?.[0]?.Routes, [
      "10.128.0.0/20",
      "10.132.0.0/14",
    ]);
    assert.equal(running?.SiteToSiteIPsecVPN?.Config?.[0]?.PreSharedSecret, "another_key_02");
    assert.equal(running?.Firewall, undefined, "a firewall left out is removed");
    assert.equal(updated.instanceStatus, "up");
    const after = await provider.diff(id, updated, await checked(changedRaw, updated));
    assert.equal(after.changes, false);
  });

  it("stops the router around a change of a NIC's switch, then boots it again", async () => {
    const { id, outs } = await made(routerArgs(privateSwitch));
    const other = (await createSwitch(client, { Name: "jp-private-2" })).ID;
    const raw = routerArgs(other);
    const news = await checked(raw, outs);
    assert.deepEqual((await provider.diff(id, outs, news)).replaces, [], "in place");
    api.requests.length = 0;
    const updated = (await provider.update(id, outs, news)).outs as VpcRouterOutputs;
    const writes = api.requests
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path.replace(id, ":id").replace(other, ":new")}`);
    assert.deepEqual(writes, [
      "DELETE appliance/:id/power",
      "DELETE appliance/:id/interface/1/to/switch",
      "PUT appliance/:id/interface/1/to/switch/:new",
      "PUT appliance/:id",
      "PUT appliance/:id/config",
      "PUT appliance/:id/power",
    ]);
    assert.equal(updated.privateInterfaces[0]?.switchId, other);
    assert.equal(updated.instanceStatus, "up");
    assert.equal(api.vpcRouters.usesSwitch(privateSwitch), false);
  });

  it("replaces for a new plan or version, in place for a new name", async () => {
    const { id, outs } = await made(routerArgs(privateSwitch));
    const renamed = await checked({ ...routerArgs(privateSwitch), name: "jp-vpn-2" }, outs);
    assert.deepEqual(await provider.diff(id, outs, renamed), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const older = await checked({ ...routerArgs(privateSwitch), version: 1 }, outs);
    const diff = await provider.diff(id, outs, older);
    assert.deepEqual(diff.replaces, ["version"]);
    // The new router would take 10.10.0.1 on the same switch: the old one goes first.
    assert.equal(diff.deleteBeforeReplace, true);
  });

  it("deletes a running router: stopped at once, then deleted; a missing one is fine", async () => {
    const { id, outs } = await made(routerArgs(privateSwitch));
    api.requests.length = 0;
    await provider.delete(id, outs);
    const writes = api.requests.filter((r) => r.method !== "GET");
    assert.deepEqual(
      writes.map((r) => [r.method, r.path.replace(id, ":id"), r.body]),
      [
        ["DELETE", "appliance/:id/power", { Force: true }],
        ["DELETE", "appliance/:id", undefined],
      ],
    );
    assert.equal(api.vpcRouters.routers.size, 0);
    await provider.delete(id, outs);
    assert.deepEqual(await provider.read(id, outs), {}, "a read of a gone router drops it");
  });

  it("undoes a create that fails after the POST, and names the step", async () => {
    api.inject({
      method: "PUT",
      path: /^appliance\/\d+\/config$/,
      status: 400,
      errorCode: "bad_request",
      errorMsg: "broken settings",
    });
    await assert.rejects(
      provider.create(await checked(routerArgs(privateSwitch))),
      /SakuraVpcRouter "jp-vpn": applying the settings \(PUT appliance\/:id\/config\) failed: .*broken settings \[serial \w+\]; cleaned up: deleted VPC router \d+/,
    );
    assert.equal(api.vpcRouters.routers.size, 0);
  });

  it("puts a premium router's public NIC on a switch+router, its shared address the public one", async () => {
    const internet = api.addInternetSwitch("jp-internet", { network: "192.0.2.0", prefix: 28 });
    const raw = {
      ...routerArgs(privateSwitch),
      plan: "premium",
      publicInterface: {
        switchId: internet,
        ipAddresses: ["192.0.2.5", "192.0.2.6"],
        virtualIpAddress: "192.0.2.4",
        vrid: 10,
      },
      privateInterfaces: [
        {
          index: 1,
          switchId: privateSwitch,
          ipAddresses: ["10.10.0.2", "10.10.0.3"],
          virtualIpAddress: "10.10.0.1",
          networkMaskLen: 24,
        },
      ],
    };
    const { id, outs } = await made(raw);
    const post = api.calls("POST", /^appliance$/)[0]?.body as {
      Appliance: Record<string, unknown>;
    };
    assert.deepEqual(post.Appliance.Plan, { ID: 2 });
    assert.deepEqual(post.Appliance.Remark, {
      Router: { VPCRouterVersion: 2 },
      Switch: { ID: internet },
      Servers: [{ IPAddress: "192.0.2.5" }, { IPAddress: "192.0.2.6" }],
    });
    assert.equal(outs.publicIpAddress, "192.0.2.4");
    assert.equal(outs.publicNetworkMaskLen, 28);
    assert.equal(api.vpcRouters.running(id)?.VRID, 10);
    const again = await checked(raw, outs);
    assert.equal((await provider.diff(id, outs, again)).changes, false);
    const aliased = await checked(
      { ...raw, publicInterface: { ...raw.publicInterface, ipAliases: ["192.0.2.7"] } },
      outs,
    );
    assert.deepEqual(
      (await provider.diff(id, outs, aliased)).replaces,
      [],
      "aliases change in place",
    );
    const moved = await checked(
      { ...raw, publicInterface: { ...raw.publicInterface, virtualIpAddress: "192.0.2.8" } },
      outs,
    );
    assert.deepEqual((await provider.diff(id, outs, moved)).replaces, ["publicInterface"]);
  });
});
