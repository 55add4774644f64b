import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type DiskInputs, type DiskOutputs, SakuraDiskProvider } from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import { assertWireSafe, configure, recordingSleep, startFake, testOptions, zone } from "./harness";

const tag = "ubuntu-24.04-latest";
const newestArchive = "112900000012";
const cloudImage2404 = "112900000022";
/** How the jp stacks pick the cloud-init image of Ubuntu 24.04: any point release. */
const cloudInit2404 = ["cloud-init", "distro-ubuntu", "distro-ver-24.04*"];

describe("SakuraDisk provider", () => {
  let api: FakeSakuraApi;
  let root: string;
  let provider: SakuraDiskProvider;
  let delays: number[];

  // The inputs as check() would hand them to create().
  async function checked(raw: Partial<DiskInputs>): Promise<DiskInputs> {
    const result = await provider.check(
      {} as DiskInputs,
      { zone, name: "web-1-boot", ...raw } as DiskInputs,
    );
    assert.deepEqual(result.failures, []);
    assert.ok(result.inputs);
    return result.inputs;
  }

  before(async () => {
    ({ api, root } = await startFake());
    api.addArchive({
      ID: "112900000011",
      Name: "Ubuntu 24.04.1",
      Tags: [tag],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2024-09-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: newestArchive,
      Name: "Ubuntu 24.04.2",
      Tags: [tag, "cloud-init"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-03-01T00:00:00+09:00",
    });
    // Cloud-init images are tagged by release, as in public Terraform code that uses them
    // (`@size-extendable, cloud-init, distro-ubuntu, distro-ver-24.04.2, os-linux`).
    for (const [id, ver, created] of [
      ["112900000021", "24.04.1", "2024-10-01T00:00:00+09:00"],
      [cloudImage2404, "24.04.2", "2025-04-01T00:00:00+09:00"],
      ["112900000023", "22.04.5", "2025-05-01T00:00:00+09:00"],
    ] as const) {
      api.addArchive({
        ID: id,
        Name: `Ubuntu Server ${ver} LTS 64bit (cloudimg)`,
        Tags: ["@size-extendable", "cloud-init", "distro-ubuntu", `distro-ver-${ver}`, "os-linux"],
        Scope: "shared",
        Availability: "available",
        CreatedAt: created,
      });
    }
  });
  after(() => api.stop());
  beforeEach(async () => {
    const rec = recordingSleep();
    delays = rec.delays;
    provider = new SakuraDiskProvider(testOptions(rec.sleep));
    await configure(provider, root);
    api.reset();
    api.diskMigratingTicks = 2;
    api.diskCopyFails = false;
  });

  it("copies the newest tagged archive and waits for `available`; no disk edit here", async () => {
    const inputs = await checked({ sizeGb: 40, tags: ["jp", "web"], sourceArchiveTags: [tag] });
    api.requests.length = 0;
    const created = await provider.create(inputs);
    const id = created.id;

    assert.deepEqual(api.calls("POST", /^disk$/)[0]?.body, {
      Disk: {
        Name: "web-1-boot",
        Description: "",
        Tags: ["jp", "web"],
        Plan: { ID: 4 },
        SizeMB: 40 * 1024,
        Connection: "virtio",
        SourceArchive: { ID: newestArchive },
      },
    });
    // Two `migrating` answers, then `available`; the edit belongs to the server now.
    const order = api.requests.map((r) => `${r.method} ${r.path.replace(id, ":id")}`);
    assert.deepEqual(order, [
      "GET archive",
      "POST disk",
      "GET disk/:id",
      "GET disk/:id",
      "GET disk/:id",
    ]);
    assert.deepEqual(delays, [50, 50], "polls are spaced by the poll interval");
    assert.equal(api.calls("PUT", /config$/).length, 0);
    assertWireSafe(created.outs);
    assert.equal(created.outs?.archiveId, newestArchive);
    assert.deepEqual(created.outs?.sourceArchiveTags, [tag]);
    assert.equal(created.outs?.availability, "available");
    assert.equal(created.outs?.sizeGb, 40);
    assert.equal(created.outs?.plan, "ssd");
    assert.equal(created.outs?.serverId, null);
  });

  it("picks the newest 24.04 cloud-init image with a version prefix, never another release", async () => {
    const created = await provider.create(await checked({ sourceArchiveTags: cloudInit2404 }));
    assert.equal(
      created.outs?.archiveId,
      cloudImage2404,
      "24.04.2, not 24.04.1 nor the newer 22.04.5",
    );
    const search = api.calls("GET", /^archive$/)[0]?.query as { Filter: Record<string, unknown> };
    assert.deepEqual(
      search.Filter,
      { "Tags.Name": [["cloud-init", "distro-ubuntu"]], Scope: ["shared"] },
      "the API gets the whole tags; the prefix is matched on the answer",
    );
  });

  it("check asks the API and fails when no public archive matches, naming the tags", async () => {
    for (const tags of [
      ["distro-ubuntu", "distro-ver-24.04"],
      ["cloud-init", "distro-ubuntu", "distro-ver-26.04*"],
    ]) {
      const result = await provider.check(
        {} as DiskInputs,
        {
          zone,
          name: "d",
          sourceArchiveTags: tags,
        } as DiskInputs,
      );
      assert.deepEqual(result.failures, [
        {
          property: "sourceArchiveTags",
          reason: `no available public archive in zone tk1a has all tags [${tags.join(", ")}]`,
        },
      ]);
    }
    // An existing disk keeps its archive: unchanged tags are not looked up again.
    api.requests.length = 0;
    const old = { zone, name: "d", sourceArchiveTags: ["gone-tag"] } as DiskInputs;
    const kept = await provider.check(old, { ...old });
    assert.deepEqual(kept.failures, []);
    assert.equal(api.calls("GET", /^archive$/).length, 0);
  });

  it("check refuses a size the disk plans do not offer, and a disk edit", async () => {
    const failures = async (raw: Record<string, unknown>) =>
      (
        (await provider.check({} as DiskInputs, { zone, name: "d", ...raw } as DiskInputs))
          .failures ?? []
      ).map((f) => `${f.property}: ${f.reason}`);
    assert.deepEqual(await failures({ sizeGb: 30, sourceArchiveTags: [tag] }), [
      "sizeGb: must be a size Sakura Cloud offers: 20, 40, 60, 80, 100, 250, 500, 750, 1024, 2048, 4096 GiB",
    ]);
    assert.deepEqual(await failures({ sizeGb: 2000, sourceArchiveTags: [tag] }), [
      "sizeGb: must be a size Sakura Cloud offers: 20, 40, 60, 80, 100, 250, 500, 750, 1024, 2048, 4096 GiB",
    ]);
    assert.deepEqual(await failures({ sizeGb: 4096, sourceArchiveTags: [tag] }), []);
    const edit = await failures({ sourceArchiveTags: [tag], edit: { hostName: "x" } });
    assert.equal(edit.length, 1);
    assert.match(edit[0] ?? "", /^edit: .*give SakuraServer's diskEdit/);
    assert.deepEqual(await failures({ sourceArchiveTags: ["distro-ver-24.04*"] }), [
      "sourceArchiveTags: needs at least one whole tag (such as cloud-init or distro-ubuntu): the API searches by whole tags",
    ]);
  });

  it("uses an explicit archive ID without searching, on an HDD", async () => {
    const created = await provider.create(
      await checked({ sourceArchiveId: "112900000011", plan: "hdd", sizeGb: 100 }),
    );
    assert.equal(api.calls("GET", /^archive$/).length, 0);
    assert.equal(api.calls("PUT", /config$/).length, 0);
    assert.deepEqual(api.disks.get(created.id)?.Plan?.ID, 2);
    assert.equal(created.outs?.archiveId, "112900000011");
  });

  it("updates name, description and tags in place, and reads drift and deletion", async () => {
    const inputs = await checked({ sourceArchiveTags: [tag], tags: ["a"] });
    const created = await provider.create(inputs);
    const outs = created.outs as DiskOutputs;
    const news = { ...inputs, name: "web-1-root", description: "root fs", tags: ["a", "b"] };
    assert.deepEqual(await provider.diff(created.id, outs, news), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await provider.update(created.id, outs, news);
    assert.deepEqual(api.calls("PUT", /^disk\/\d+$/)[0]?.body, {
      Disk: { Name: "web-1-root", Description: "root fs", Tags: ["a", "b"] },
    });
    assert.equal(updated.outs?.name, "web-1-root");
    assert.equal(updated.outs?.archiveId, outs.archiveId, "the source survives an update");

    const live = api.disks.get(created.id);
    assert.ok(live);
    live.Name = "renamed-in-panel";
    const read = await provider.read(created.id, updated.outs);
    assert.equal(read.props?.name, "renamed-in-panel");
    assert.deepEqual(read.props?.sourceArchiveTags, [tag], "inputs the API cannot report are kept");

    await provider.delete(created.id, outs);
    assert.equal(api.disks.has(created.id), false);
    await provider.delete(created.id, outs); // 404: already gone
    assert.deepEqual(await provider.read(created.id, outs), {});
  });

  it("diff: the contents (source, size, plan) replace the disk", async () => {
    const inputs = await checked({ sourceArchiveTags: [tag] });
    const outs: DiskOutputs = {
      ...inputs,
      archiveId: newestArchive,
      availability: "available",
      serverId: null,
      createdAt: null,
    };
    const replaces = async (change: Partial<DiskInputs>) =>
      (await provider.diff("1", outs, { ...inputs, ...change })).replaces;
    assert.deepEqual(await replaces({ sizeGb: 40 }), ["sizeGb"]);
    assert.deepEqual(await replaces({ plan: "hdd" }), ["plan"]);
    assert.deepEqual(await replaces({ sourceArchiveTags: ["debian-12-latest"] }), [
      "sourceArchiveTags",
    ]);
    assert.deepEqual(await replaces({ tags: ["x"] }), []);
    // The resolved archive ID is an output only: a newer archive does not replace the disk.
    assert.equal((await provider.diff("1", outs, { ...inputs })).changes, false);
  });

  it("check rejects contradictory or incomplete inputs", async () => {
    const failures = async (raw: Partial<DiskInputs>) =>
      (
        (await provider.check({} as DiskInputs, { zone, name: "d", ...raw } as DiskInputs))
          .failures ?? []
      ).map((f) => f.property);
    assert.deepEqual(await failures({ sourceArchiveId: "1", sourceArchiveTags: [tag] }), [
      "sourceArchiveTags",
    ]);
    assert.deepEqual(await failures({ plan: "nvme" as "ssd", sizeGb: 0 }), ["plan", "sizeGb"]);
    const defaults = await checked({ sourceArchiveTags: [tag] });
    assert.equal(defaults.plan, "ssd");
    assert.equal(defaults.sizeGb, 20);
  });

  it("a copy that ends `failed` is cleaned up", async () => {
    api.diskCopyFails = true;
    const error = await provider
      .create(await checked({ sourceArchiveTags: [tag] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /waiting for the copied disk to become available failed: disk \d+: the API reports the disk as failed; cleaned up: deleted disk \d+/,
    );
    assert.equal(api.resourceCount(), 0);
  });

  it("stops polling after the bound, then deletes the disk once the API lets it", async () => {
    api.diskMigratingTicks = 12; // 10 polls, then two 409 `still_creating` answers to DELETE
    const error = await provider
      .create(await checked({ sourceArchiveTags: [tag] }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /disk \d+: still migrating after 10 checks 50 ms apart; cleaned up: deleted disk \d+/,
    );
    assert.equal(api.calls("GET", /^disk\/\d+$/).length, 10);
    assert.equal(api.calls("DELETE", /^disk\/\d+$/).length, 3);
    assert.equal(api.resourceCount(), 0);
  });

  it("a failed archive search creates nothing", async () => {
    const inputs = {
      ...(await checked({ sourceArchiveTags: [tag] })),
      sourceArchiveTags: ["centos-5"],
    };
    const error = await provider.create(inputs).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(
      error.message,
      /^SakuraDisk "web-1-boot": finding the source archive failed: no available public archive/,
    );
    assert.equal(api.calls("POST", /^disk$/).length, 0);
  });
});
