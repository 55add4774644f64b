// The jp site's Sakura Cloud resources, as the program registers them from Pulumi.jp.yaml, run
// through the providers against the fake API as `pulumi up` would (check, then create, in the
// order of their dependencies), then previewed again with unchanged inputs: every diff, right
// after create and after a refresh (read), must show no change. And the hosts came up the way
// the site means them to: cloud-init ran, password login off, a public address by DHCP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  SakuraDiskProvider,
  SakuraPacketFilterProvider,
  SakuraServerProvider,
  SakuraSwitchProvider,
} from "@multicloud/sakura-cloud";
import type * as pulumi from "@pulumi/pulumi";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { fixedHosts } from "../../components/spec/layout";
import { installMocks, type RecordedResource } from "../support/mocks";
import type { FakeSakuraApi } from "./fake-api";
import { configure, recordingSleep, startFake, testOptions } from "./harness";
import { buildJpSite, DISK, FILTER, jpSpec, SERVER, SWITCH } from "./jp-site";

const recorder = installMocks("jp");
const spec = jpSpec();

/** The part of a dynamic provider the engine drives on `up`, `preview` and `refresh`. */
interface Driven {
  check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult>;
  create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
  diff(id: string, olds: object, news: object): Promise<pulumi.dynamic.DiffResult>;
  read(id: string, props: object): Promise<pulumi.dynamic.ReadResult>;
}

interface Made {
  resource: RecordedResource;
  provider: Driven;
  raw: Record<string, unknown>;
  id: string;
  outs: Record<string, unknown>;
}

/** The registered inputs as the provider gets them: real IDs, secrets unwrapped, no provider text. */
function asSent(
  inputs: Record<string, unknown>,
  ids: Map<string, string>,
): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      if (specialSigKey in value) return walk((value as unknown as { value: unknown }).value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  const { __provider: _provider, ...rest } = inputs;
  return walk(rest) as Record<string, unknown>;
}

describe("jp Sakura resources: a second preview after up shows no change", () => {
  let api: FakeSakuraApi;
  const made: Made[] = [];

  before(async () => {
    let root: string;
    ({ api, root } = await startFake());
    // Ubuntu 24.04 images as Sakura tags them: the standard one by its moving tag, the
    // cloud-init one by release.
    api.addArchive({
      ID: "113600000001",
      Name: "Ubuntu Server 24.04.2 LTS 64bit",
      Tags: [
        "@size-extendable",
        "arch-64bit",
        "distro-ubuntu",
        "distro-ver-24.04.2",
        "os-linux",
        "ubuntu-24.04-latest",
      ],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-03-01T00:00:00+09:00",
    });
    api.addArchive({
      ID: "113600000002",
      Name: "Ubuntu Server 24.04.2 LTS 64bit (cloudimg)",
      Tags: ["@size-extendable", "cloud-init", "distro-ubuntu", "distro-ver-24.04.2", "os-linux"],
      Scope: "shared",
      Availability: "available",
      CreatedAt: "2025-03-02T00:00:00+09:00",
    });
    await buildJpSite(spec);

    const sleep = recordingSleep().sleep;
    const instances = {
      [SWITCH]: new SakuraSwitchProvider(testOptions(sleep)),
      [FILTER]: new SakuraPacketFilterProvider(testOptions(sleep)),
      [DISK]: new SakuraDiskProvider(testOptions(sleep)),
      [SERVER]: new SakuraServerProvider(testOptions(sleep)),
    };
    for (const p of Object.values(instances)) await configure(p, root);
    // The engine hands each method its stored JSON; the test does the same through one shape.
    const providers = instances as unknown as Record<string, Driven>;
    // Mocked IDs are "<name>-id"; the real ones replace them in the inputs that refer to them.
    const ids = new Map<string, string>();
    for (const type of [SWITCH, FILTER, DISK, SERVER]) {
      const provider = providers[type] as Driven;
      for (const resource of recorder.ofType(type)) {
        const raw = asSent(resource.inputs, ids);
        const checked = await provider.check({}, raw);
        assert.deepEqual(checked.failures ?? [], [], `${resource.name}: check`);
        const created = await provider.create(checked.inputs ?? {});
        ids.set(`${resource.name}-id`, created.id);
        made.push({ resource, provider, raw, id: created.id, outs: created.outs ?? {} });
      }
    }
  });
  after(() => api.stop());

  it("made the switch, both filters and every cloud host's disk and server", () => {
    const servers = fixedHosts(spec).filter((h) => h.placement === "cloud").length;
    assert.ok(servers > 0);
    assert.equal(api.switches.size, 1);
    assert.equal(api.packetFilters.size, 2);
    assert.equal(api.disks.size, servers);
    assert.equal(api.servers.size, servers);
  });

  it("a preview of unchanged inputs right after up shows no change", async () => {
    for (const m of made) {
      // The engine checks the same inputs again, the stored ones as olds, then diffs them
      // against the stored outputs.
      const again = await m.provider.check(m.outs, m.raw);
      assert.deepEqual(again.failures ?? [], [], `${m.resource.name}: check`);
      const diff = await m.provider.diff(m.id, m.outs, again.inputs ?? {});
      assert.equal(
        diff.changes,
        false,
        `${m.resource.type} ${m.resource.name}: ${JSON.stringify(diff)}`,
      );
    }
  });

  it("and again after a refresh read everything back from the API", async () => {
    for (const m of made) {
      const read = await m.provider.read(m.id, m.outs);
      assert.equal(read.id, m.id);
      const again = await m.provider.check(m.outs, m.raw);
      const diff = await m.provider.diff(m.id, read.props ?? {}, again.inputs ?? {});
      assert.equal(
        diff.changes,
        false,
        `${m.resource.type} ${m.resource.name}: ${JSON.stringify(diff)}`,
      );
    }
  });

  it("brought every host up by cloud-init, password login off, with its public address by DHCP", () => {
    for (const m of made.filter((x) => x.resource.type === SERVER)) {
      const guest = api.guest(m.id);
      assert.ok(guest, `${m.resource.name} booted`);
      assert.equal(guest.cloudInitRan, true, `${m.resource.name}: cloud-init ran`);
      assert.equal(guest.passwordLogin, false, `${m.resource.name}: password login is off`);
      assert.equal(guest.addressFrom, "dhcp", `${m.resource.name}: DHCP got through the filter`);
      assert.equal(guest.address, m.outs.ipAddress);
      assert.equal(api.diskEdits.size, 0, "no disk was edited");
    }
  });
});
