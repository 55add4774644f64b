// The disk edit of a server's boot disk, against the fake API that behaves like Sakura's: sent
// once the disk is connected, in the background, waited for, its failure read from the job.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  connectDiskToServer,
  type DiskInputs,
  editDisk,
  SakuraClient,
  SakuraDiskProvider,
  SakuraServerProvider,
  type ServerInputs,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import {
  addUbuntuArchives,
  cloudImageArchiveId,
  configure,
  recordingSleep,
  secret,
  standardArchiveId,
  startFake,
  testOptions,
  token,
  zone,
} from "./harness";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests ops@example";

describe("SakuraServer disk edit", () => {
  let api: FakeSakuraApi;
  let root: string;
  let servers: SakuraServerProvider;
  let disks: SakuraDiskProvider;

  async function newDisk(source = standardArchiveId): Promise<string> {
    const inputs = { zone, name: "boot", description: "", tags: [], plan: "ssd", sizeGb: 20 };
    return (await disks.create({ ...inputs, sourceArchiveId: source } as DiskInputs)).id;
  }

  async function check(raw: Partial<ServerInputs>) {
    const base = { zone, name: "web-1", cpu: 2, memoryGb: 4, interfaces: ["shared"] };
    return servers.check({} as ServerInputs, { ...base, ...raw } as ServerInputs);
  }

  async function checked(raw: Partial<ServerInputs>): Promise<ServerInputs> {
    const result = await check(raw);
    assert.deepEqual(result.failures, []);
    assert.ok(result.inputs);
    return result.inputs;
  }

  function paths(): string[] {
    return api.requests.map((r) => `${r.method} ${r.path.replace(/\d{12}/g, ":id")}`);
  }

  before(async () => {
    ({ api, root } = await startFake());
    addUbuntuArchives(api);
  });
  after(() => api.stop());
  beforeEach(async () => {
    const sleep = recordingSleep().sleep;
    servers = new SakuraServerProvider({ ...testOptions(sleep), requestTimeoutMs: 2_000 });
    disks = new SakuraDiskProvider(testOptions(sleep));
    for (const p of [servers, disks]) await configure(p, root);
    api.reset();
    api.diskMigratingTicks = 0;
    api.diskEditTicks = 2;
    api.diskEditFails = false;
    api.bootReads = 0;
  });

  it("connects the disk first, then edits it in the background and waits before booting", async () => {
    const disk = await newDisk();
    const inputs = await checked({
      diskIds: [disk],
      diskEdit: { hostName: "web-1", sshPublicKeys: [key], disablePasswordAuth: true },
    });
    api.requests.length = 0;
    const created = await servers.create(inputs);
    assert.deepEqual(paths(), [
      "POST server",
      "GET disk/:id",
      "PUT disk/:id/to/server/:id",
      "PUT disk/:id/config",
      "GET disk/:id", // migrating: the edit runs
      "GET disk/:id", // migrating
      "GET disk/:id", // available
      "PUT server/:id/power",
      "GET server/:id",
      "GET server/:id",
    ]);
    assert.deepEqual(api.calls("PUT", /config$/)[0]?.body, {
      HostName: "web-1",
      SSHKeys: [{ PublicKey: key }],
      DisablePWAuth: true,
      Background: true,
    });
    assert.equal(api.ignoredEdits.size, 0, "the edit reached a connected disk");
    assert.deepEqual(api.guest(created.id), {
      cloudInitRan: false,
      hostName: "web-1",
      sshKeys: [key],
      passwordLogin: false,
      address: "203.0.113.10",
      addressFrom: "disk edit",
    });
  });

  it("fails on the job's ConfigError, names it, and removes the server", async () => {
    const disk = await newDisk();
    api.diskEditFails = true;
    const error = await servers
      .create(
        await checked({ diskIds: [disk], diskEdit: { hostName: "x", disablePasswordAuth: true } }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /^SakuraServer "web-1": waiting for the disk edit of disk \d{12} failed: disk \d{12}: the disk edit failed: disk_edit_failed: no partition to edit; cleaned up: deleted server \d{12}$/,
    );
    assert.equal(api.calls("PUT", /power$/).length, 0, "a server whose edit failed never boots");
    assert.equal(api.servers.size, 0);
  });

  it("never sends the edit again after its answer timed out", async () => {
    const disk = await newDisk();
    api.hold({ method: "PUT", path: /config$/, ms: 5_000 });
    const error = await servers
      .create(
        await checked({ diskIds: [disk], diskEdit: { hostName: "x", disablePasswordAuth: true } }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /disk edit of disk \d{12} \(PUT disk\/:id\/config, sent once\) failed: .*no response/,
    );
    assert.equal(api.calls("PUT", /config$/).length, 1, "sent exactly once");
  });

  it("never sends the edit again after a 5xx, which may come after the job started", async () => {
    const disk = await newDisk();
    api.inject({
      method: "PUT",
      path: /config$/,
      status: 504,
      errorCode: "apiproxy_timeout_non_get",
      times: 5,
    });
    const error = await servers
      .create(
        await checked({ diskIds: [disk], diskEdit: { hostName: "x", disablePasswordAuth: true } }),
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(error.message, /HTTP 504 apiproxy_timeout_non_get/);
    assert.equal(api.calls("PUT", /config$/).length, 1);
  });

  it("the API: an edit of a disk on no server does nothing; a second edit while one runs is refused", async () => {
    const client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
    });
    const disk = await newDisk();
    await editDisk(client, disk, { HostName: "lost" });
    assert.ok(api.ignoredEdits.has(disk));
    assert.deepEqual(api.diskContents(disk), {}, "nothing was written");

    const server = await servers.create(await checked({ powerOn: false }));
    await connectDiskToServer(client, disk, server.id);
    await editDisk(client, disk, { HostName: "web-1" });
    await assert.rejects(
      editDisk(client, disk, { HostName: "again" }),
      /HTTP 409 disk_is_not_available/,
    );
  });

  it("check refuses a disk edit with cloud-init user data, and one without a disk", async () => {
    const both = await check({
      diskIds: ["113000000101"],
      diskEdit: { hostName: "x", disablePasswordAuth: true },
      cloudInitUserData: "#cloud-config\n",
    });
    assert.deepEqual(
      both.failures?.map((f) => f.property),
      ["diskEdit"],
    );
    assert.match(
      both.failures?.[0]?.reason ?? "",
      /either diskEdit or cloudInitUserData, not both/,
    );
    const none = await check({ diskEdit: { hostName: "x", disablePasswordAuth: true } });
    assert.deepEqual(none.failures, [
      { property: "diskEdit", reason: "needs a disk to edit: give diskIds" },
    ]);
    const defaults = await checked({
      diskIds: [await newDisk(cloudImageArchiveId)],
      diskEdit: { hostName: "x" } as ServerInputs["diskEdit"],
    });
    assert.equal(
      defaults.diskEdit?.disablePasswordAuth,
      true,
      "password login is off unless asked",
    );
  });
});
