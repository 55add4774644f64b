import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  createDisk,
  type DiskInputs,
  SakuraClient,
  SakuraDiskProvider,
  SakuraServerProvider,
  SakuraSwitchProvider,
  type ServerInputs,
  type ServerOutputs,
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

const archive = "112900000021";
const cloudImage = "112900000031";
const userData = "#cloud-config\npackages: [unbound]\n";

describe("SakuraServer provider", () => {
  let api: FakeSakuraApi;
  let root: string;
  let servers: SakuraServerProvider;
  let disks: SakuraDiskProvider;
  let switches: SakuraSwitchProvider;
  let delays: number[];

  async function checked(raw: Partial<ServerInputs>): Promise<ServerInputs> {
    const base = { zone, name: "web-1", cpu: 2, memoryGb: 4, interfaces: ["shared"] };
    const result = await servers.check({} as ServerInputs, { ...base, ...raw } as ServerInputs);
    assert.deepEqual(result.failures, []);
    assert.ok(result.inputs);
    return result.inputs;
  }

  async function newDisk(name = "web-1-boot", source = archive): Promise<string> {
    const inputs = {
      zone,
      name,
      description: "",
      tags: [],
      plan: "ssd",
      sizeGb: 20,
      sourceArchiveId: source,
    } as DiskInputs;
    return (await disks.create(inputs)).id;
  }

  async function newSwitch(): Promise<string> {
    return (await switches.create({ zone, name: "jp-private", description: "", tags: [] })).id;
  }

  function paths(): string[] {
    return api.requests.map((r) => `${r.method} ${r.path.replace(/\d{12}/g, ":id")}`);
  }

  before(async () => {
    ({ api, root } = await startFake());
    api.addArchive({
      ID: archive,
      Name: "Ubuntu",
      Tags: ["ubuntu-24.04-latest"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-01-01T00:00:00Z",
    });
    api.addArchive({
      ID: cloudImage,
      Name: "Ubuntu Server 24.04.2 LTS 64bit (cloudimg)",
      Tags: ["@size-extendable", "cloud-init", "distro-ubuntu", "distro-ver-24.04.2", "os-linux"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-04-01T00:00:00Z",
    });
  });
  after(() => api.stop());
  beforeEach(async () => {
    const rec = recordingSleep();
    delays = rec.delays;
    servers = new SakuraServerProvider(testOptions(rec.sleep));
    disks = new SakuraDiskProvider(testOptions(rec.sleep));
    switches = new SakuraSwitchProvider(testOptions(rec.sleep));
    for (const p of [servers, disks, switches]) await configure(p, root);
    api.reset();
    api.diskMigratingTicks = 0;
    api.stillCreatingBoots = 0;
    api.gracefulShutdownReads = 1;
    api.bootReads = 1;
    api.lostBoots = 0;
    api.ignoredShutdowns = 0;
  });

  it("creates on the shared segment and a switch, attaches the disk and boots with cloud-init", async () => {
    const sw = await newSwitch();
    const disk = await newDisk("web-1-boot", cloudImage);
    const inputs = await checked({
      interfaces: ["shared", sw],
      diskIds: [disk],
      tags: ["web"],
      cloudInitUserData: userData,
    });
    api.requests.length = 0;
    api.stillCreatingBoots = 2;
    const created = await servers.create(inputs);
    const id = created.id;

    assert.deepEqual(api.calls("POST", /^server$/)[0]?.body, {
      Server: {
        Name: "web-1",
        Description: "",
        Tags: ["web"],
        ServerPlan: { CPU: 2, MemoryMB: 4096, Commitment: "standard" },
        ConnectedSwitches: [{ Scope: "shared" }, { ID: sw }],
        InterfaceDriver: "virtio",
      },
    });
    assert.deepEqual(paths(), [
      "POST server",
      "GET disk/:id",
      "PUT disk/:id/to/server/:id",
      "GET disk/:id", // is the boot disk a cloud-init image?
      "GET archive/:id",
      "PUT server/:id/power", // 409 still_creating
      "PUT server/:id/power", // 409 still_creating
      "PUT server/:id/power",
      "GET server/:id", // still down: booting
      "GET server/:id", // up
      "GET server/:id",
    ]);
    assert.deepEqual(
      delays,
      [70, 70, 50],
      "still_creating is retried at the configured interval, then the state is polled",
    );
    assert.deepEqual(api.boots.get(id), {
      UserBootVariables: { CloudInit: { UserData: userData } },
    });
    assert.equal(api.disks.get(disk)?.Server?.ID, id);

    assertWireSafe(created.outs);
    const outs = created.outs as ServerOutputs;
    assert.equal(outs.instanceStatus, "up");
    assert.equal(outs.powerOn, true);
    assert.equal(outs.ipAddress, "203.0.113.10");
    assert.deepEqual(outs.interfaces, ["shared", sw]);
    assert.deepEqual(outs.diskIds, [disk]);
    assert.equal(outs.macAddresses.length, 2);
    assert.equal(outs.cloudInitUserData, userData);
    assert.equal(api.guest(id)?.cloudInitRan, true, "a cloud-init image runs the user data");
  });

  it("waits for a disk that is still being copied before attaching it and booting", async () => {
    api.diskMigratingTicks = 2;
    const client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
    });
    const disk = (
      await createDisk(client, {
        Name: "copying",
        Plan: { ID: 4 },
        SizeMB: 20480,
        SourceArchive: { ID: archive },
      })
    ).ID;
    api.requests.length = 0;
    await servers.create(await checked({ diskIds: [disk] }));
    assert.deepEqual(paths().slice(0, 6), [
      "POST server",
      "GET disk/:id",
      "GET disk/:id",
      "GET disk/:id",
      "PUT disk/:id/to/server/:id",
      "PUT server/:id/power",
    ]);
    assert.deepEqual(delays.slice(0, 2), [50, 50]);
  });

  it("gives up powering on after the still_creating bound and removes the server", async () => {
    const disk = await newDisk();
    api.stillCreatingBoots = 100;
    const error = await servers.create(await checked({ diskIds: [disk] })).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /^SakuraServer "web-1": power on failed: .*HTTP 409 still_creating: .*; cleaned up: made sure server (\d{12}) is off, deleted server \1$/,
    );
    assert.equal(api.calls("PUT", /power$/).length, 5);
    assert.equal(api.servers.size, 0, "the server is gone");
    assert.equal(api.disks.get(disk)?.Server, null, "the disk (its own resource) is only detached");
  });

  it("a mid-create failure leaves the API empty", async () => {
    api.inject({
      method: "PUT",
      path: /power$/,
      status: 500,
      errorCode: "internal_error",
      errorMsg: "hypervisor busy",
      times: 100,
    });
    const error = await servers.create(await checked({})).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /power on failed: .*HTTP 500 internal_error: hypervisor busy .*gave up after 4 attempts\); cleaned up: .*deleted server/,
    );
    assert.equal(api.resourceCount(), 0);
  });

  it("attaching a disk that does not exist fails with the disk named and nothing left", async () => {
    const error = await servers
      .create(await checked({ diskIds: ["113099999999"] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /waiting for disk 113099999999 to become available failed: .*HTTP 404 not_found.*; cleaned up: deleted server \d{12}$/,
      "a server that was never started is deleted without a power-off step",
    );
    assert.equal(api.resourceCount(), 0);
  });

  it("updates name and tags in place and switches power off and on", async () => {
    const created = await servers.create(await checked({}));
    const outs = created.outs as ServerOutputs;

    const renamed = { ...outs, name: "web-01", tags: ["web", "jp"] };
    assert.deepEqual((await servers.diff(created.id, outs, renamed)).replaces, []);
    const u1 = await servers.update(created.id, outs, renamed);
    assert.deepEqual(api.calls("PUT", /^server\/\d+$/)[0]?.body, {
      Server: { Name: "web-01", Description: "", Tags: ["web", "jp"] },
    });
    assert.equal(api.calls("DELETE", /power$/).length, 0, "a rename does not touch power");

    const off = await servers.update(created.id, u1.outs as ServerOutputs, {
      ...renamed,
      powerOn: false,
    });
    assert.deepEqual(
      api.calls("DELETE", /power$/).map((r) => r.body),
      [{ Force: false }],
    );
    assert.equal(off.outs?.instanceStatus, "down");
    assert.equal(api.servers.get(created.id)?.Instance?.Status, "down");

    const on = await servers.update(created.id, off.outs as ServerOutputs, {
      ...renamed,
      powerOn: true,
    });
    assert.equal(on.outs?.instanceStatus, "up");
  });

  it("cuts the power when a graceful shutdown is ignored", async () => {
    const created = await servers.create(await checked({}));
    api.gracefulShutdownReads = Number.POSITIVE_INFINITY;
    api.requests.length = 0;
    await servers.update(created.id, created.outs as ServerOutputs, {
      ...(created.outs as ServerOutputs),
      powerOn: false,
    });
    assert.deepEqual(
      api.calls("DELETE", /power$/).map((r) => r.body),
      [{ Force: false }, { Force: false }, { Force: true }],
      "the ACPI request is sent again while the server stays up (409: one is pending), then the power is cut",
    );
    assert.equal(api.servers.get(created.id)?.Instance?.Status, "down");
  });

  it("powers off before delete and keeps the disks unless asked", async () => {
    const disk = await newDisk();
    const created = await servers.create(await checked({ diskIds: [disk] }));
    api.requests.length = 0;
    await servers.delete(created.id, created.outs as ServerOutputs);
    const order = paths().filter((p) => p.startsWith("DELETE"));
    assert.deepEqual(order, ["DELETE server/:id/power", "DELETE server/:id"]);
    assert.equal(api.calls("DELETE", /^server\/\d+$/)[0]?.body, undefined);
    assert.equal(api.servers.size, 0);
    assert.equal(api.disks.get(disk)?.Server, null);
    await servers.delete(created.id, created.outs as ServerOutputs); // already gone: fine
  });

  it("deletes the disks with the server when deleteDisksOnDelete is set", async () => {
    const disk = await newDisk();
    const diskOuts = { zone, name: "web-1-boot" } as Parameters<SakuraDiskProvider["delete"]>[1];
    const created = await servers.create(
      await checked({ diskIds: [disk], deleteDisksOnDelete: true }),
    );
    await servers.delete(created.id, created.outs as ServerOutputs);
    assert.deepEqual(api.calls("DELETE", /^server\/\d+$/)[0]?.body, { WithDisk: [disk] });
    assert.equal(api.disks.has(disk), false);
    await disks.delete(disk, diskOuts); // the disk resource's own delete then finds nothing: fine
    assert.equal(api.resourceCount(), 0);
  });

  it("read reflects power drift and a deleted server", async () => {
    const created = await servers.create(await checked({}));
    const live = api.servers.get(created.id);
    assert.ok(live);
    live.Instance = { Status: "down" };
    const read = await servers.read(created.id, created.outs as ServerOutputs);
    assert.equal(read.props?.powerOn, false);
    const diff = await servers.diff(created.id, read.props as ServerOutputs, await checked({}));
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });

    api.servers.delete(created.id);
    assert.deepEqual(await servers.read(created.id, created.outs as ServerOutputs), {});
  });

  it("diff: plan, NICs and disks replace; a kept disk makes it delete-before-replace", async () => {
    const inputs = await checked({ diskIds: ["113000000101"] });
    const outs: ServerOutputs = {
      ...inputs,
      instanceStatus: "up",
      ipAddress: null,
      macAddresses: [],
      createdAt: null,
    };
    const cpu = await servers.diff("1", outs, { ...inputs, cpu: 4 });
    assert.deepEqual(cpu, { changes: true, replaces: ["cpu"], deleteBeforeReplace: true });
    assert.deepEqual((await servers.diff("1", outs, { ...inputs, memoryGb: 8 })).replaces, [
      "memoryGb",
    ]);
    assert.deepEqual(
      (await servers.diff("1", outs, { ...inputs, interfaces: ["shared", "113000000201"] }))
        .replaces,
      ["interfaces"],
    );
    const newDiskDiff = await servers.diff("1", outs, { ...inputs, diskIds: ["113000000102"] });
    assert.deepEqual(newDiskDiff, {
      changes: true,
      replaces: ["diskIds"],
      deleteBeforeReplace: false,
    });

    const owning = { ...outs, deleteDisksOnDelete: true };
    await assert.rejects(
      servers.diff("1", owning, { ...inputs, deleteDisksOnDelete: true, cpu: 4 }),
      /SakuraServer "web-1": changing cpu needs a new server, but deleteDisksOnDelete=true would delete disk\(s\) 113000000101/,
    );
    assert.deepEqual(
      (await servers.diff("1", owning, { ...inputs, deleteDisksOnDelete: false })).replaces,
      [],
    );
  });

  it("check fills defaults and rejects a shared segment on a later NIC", async () => {
    const defaults = await checked({});
    assert.equal(defaults.powerOn, true);
    assert.equal(defaults.deleteDisksOnDelete, false);
    assert.equal(defaults.commitment, "standard");
    assert.deepEqual(defaults.diskIds, []);
    const bad = await servers.check(
      {} as ServerInputs,
      {
        zone,
        name: "x",
        cpu: 0,
        memoryGb: 1.5,
        interfaces: ["113000000201", "shared"],
      } as ServerInputs,
    );
    assert.deepEqual(
      bad.failures?.map((f) => f.property),
      ["cpu", "memoryGb", "interfaces[1]"],
    );
  });
});
