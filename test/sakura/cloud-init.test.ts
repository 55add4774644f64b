// cloud-init user data and the shared segment's DHCP, against the fake API that behaves like
// Sakura's: user data runs only on cloud-init images, and a server whose disk is not edited gets
// its public address by DHCP only when its packet filter lets the replies in.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  bootServer,
  connectDiskToServer,
  type DiskInputs,
  type PacketFilterExpressionInputs,
  SakuraClient,
  SakuraDiskProvider,
  SakuraPacketFilterProvider,
  SakuraServerProvider,
  type ServerInputs,
} from "@multicloud/sakura-cloud";
import { hostFilterRules } from "../../components/sakura/site/packet-filter-rules";
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
const userData = `#cloud-config\nhostname: web-1\nssh_pwauth: false\nssh_authorized_keys: ["${key}"]\n`;

describe("cloud-init and DHCP on the shared segment", () => {
  let api: FakeSakuraApi;
  let root: string;
  let servers: SakuraServerProvider;
  let disks: SakuraDiskProvider;
  let filters: SakuraPacketFilterProvider;

  async function newDisk(source: string): Promise<string> {
    const inputs = { zone, name: "boot", description: "", tags: [], plan: "ssd", sizeGb: 20 };
    return (await disks.create({ ...inputs, sourceArchiveId: source } as DiskInputs)).id;
  }

  async function newFilter(expressions: PacketFilterExpressionInputs[]): Promise<string> {
    return (await filters.create({ zone, name: "f", description: "", expressions })).id;
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

  before(async () => {
    ({ api, root } = await startFake());
    addUbuntuArchives(api);
  });
  after(() => api.stop());
  beforeEach(async () => {
    const sleep = recordingSleep().sleep;
    servers = new SakuraServerProvider(testOptions(sleep));
    disks = new SakuraDiskProvider(testOptions(sleep));
    filters = new SakuraPacketFilterProvider(testOptions(sleep));
    for (const p of [servers, disks, filters]) await configure(p, root);
    api.reset();
    api.diskMigratingTicks = 0;
  });

  it("runs the user data on a cloud-init image: host name, keys, password login off, DHCP address", async () => {
    const disk = await newDisk(cloudImageArchiveId);
    const created = await servers.create(
      await checked({ diskIds: [disk], cloudInitUserData: userData }),
    );
    assert.deepEqual(api.guest(created.id), {
      cloudInitRan: true,
      hostName: "web-1",
      sshKeys: [key],
      passwordLogin: false,
      address: "203.0.113.10",
      addressFrom: "dhcp",
    });
  });

  it("check refuses user data for a disk made from an image without cloud-init", async () => {
    const disk = await newDisk(standardArchiveId);
    const result = await check({ diskIds: [disk], cloudInitUserData: userData });
    assert.equal(result.failures?.length, 1);
    assert.equal(result.failures?.[0]?.property, "cloudInitUserData");
    assert.match(
      result.failures?.[0]?.reason ?? "",
      new RegExp(
        `archive ${standardArchiveId} .*not a cloud-init image .*Sakura would ignore the user data`,
      ),
    );
  });

  it("create refuses it too, before the first boot, when check could not see the disk yet", async () => {
    const disk = await newDisk(standardArchiveId);
    const inputs = { ...(await checked({})), diskIds: [disk], cloudInitUserData: userData };
    const error = await servers.create(inputs).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /checking that the boot disk runs cloud-init failed: .*not a cloud-init image/,
    );
    assert.equal(api.calls("PUT", /power$/).length, 0);
    assert.equal(api.servers.size, 0);
  });

  it("the API ignores user data on an image without cloud-init", async () => {
    const client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
      sleep: recordingSleep().sleep,
    });
    const disk = await newDisk(standardArchiveId);
    const server = await servers.create(await checked({ powerOn: false }));
    await connectDiskToServer(client, disk, server.id);
    const timings = {
      stillCreating: { intervalMs: 1, maxAttempts: 2 },
      poll: { intervalMs: 1, maxAttempts: 5 },
      resendAfterMs: 10,
    };
    await bootServer(client, server.id, timings, userData);
    assert.deepEqual(api.boots.get(server.id), {
      UserBootVariables: { CloudInit: { UserData: userData } },
    });
    const guest = api.guest(server.id);
    assert.equal(guest?.cloudInitRan, false);
    assert.equal(guest?.passwordLogin, true, "nothing turned password login off");
    assert.equal(guest?.hostName, undefined);
  });

  it("DHCP: the jp hosts' filter lets the address in; a filter without the DHCP rule leaves the host without one", async () => {
    const rules = hostFilterRules({
      adminCidrs: ["198.51.100.0/24"],
      resolvers: ["210.188.224.10"],
    });
    const withDhcp = await newFilter(rules);
    const withoutDhcp = await newFilter(
      rules.filter((r) => !(r.sourcePort === "67" && r.destinationPort === "68")),
    );
    const open = await servers.create(
      await checked({
        diskIds: [await newDisk(cloudImageArchiveId)],
        packetFilterIds: [withDhcp],
        cloudInitUserData: userData,
      }),
    );
    assert.equal(api.guest(open.id)?.addressFrom, "dhcp");
    const closed = await servers.create(
      await checked({
        diskIds: [await newDisk(cloudImageArchiveId)],
        packetFilterIds: [withoutDhcp],
        cloudInitUserData: userData,
      }),
    );
    const guest = api.guest(closed.id);
    assert.equal(guest?.cloudInitRan, true);
    assert.equal(guest?.address, undefined, "DHCP denied: the host never gets its public address");
  });

  it("DHCP is not asked by a host whose disk edit wrote its address", async () => {
    const deny = await newFilter([{ protocol: "ip", action: "deny" }]);
    const created = await servers.create(
      await checked({
        diskIds: [await newDisk(standardArchiveId)],
        diskEdit: { hostName: "db-1", disablePasswordAuth: true },
        packetFilterIds: [deny],
      }),
    );
    assert.equal(api.guest(created.id)?.addressFrom, "disk edit");
  });
});
