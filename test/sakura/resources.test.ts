// The pulumi.dynamic.Resource classes under Pulumi's mocks: what they register, that no
// credential reaches the inputs or the serialized provider, and that the serialized provider
// text (what Pulumi stores in `__provider` and runs in the provider process) works, loaded the
// way the engine's dynamic provider host loads it, in this process and in plain `node`.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  SakuraDisk,
  SakuraPacketFilter,
  SakuraServer,
  SakuraSwitch,
} from "../../components/sakura/provider";
import type { FakeSakuraApi } from "./fake-api";
import { stackConfig, startFake, zone } from "./harness";

/** The loader of the engine's dynamic provider host (@pulumi/pulumi cmd/dynamic-provider). */
const hostRequire = createRequire(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
const requireFromString = hostRequire("require-from-string") as (code: string) => {
  handler?: () => unknown;
};
const projectDir = join(__dirname, "..", "..");

const leakToken = "env-token-that-must-not-leak-5d1e";
const leakSecret = "env-secret-that-must-not-leak-9b7f";

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push(args);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "multicloud",
  "jp",
  false,
);

function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

function inputsOf(type: string, name: string): Record<string, unknown> {
  const found = registered.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was not registered`);
  return found.inputs as Record<string, unknown>;
}

describe("Sakura resources under Pulumi mocks", () => {
  let api: FakeSakuraApi;
  let root: string;
  const saved = { ...process.env };

  before(async () => {
    ({ api, root } = await startFake());
    // Present in the program's environment while the resources are constructed.
    process.env.SAKURACLOUD_ACCESS_TOKEN = leakToken;
    process.env.SAKURACLOUD_ACCESS_TOKEN_SECRET = leakSecret;
    delete process.env.SAKURACLOUD_ZONE;

    const sw = new SakuraSwitch("jp-private", { zone, tags: ["jp"] });
    const disk = new SakuraDisk("web-1-boot", {
      zone,
      sizeGb: 40,
      sourceArchiveTags: ["ubuntu-24.04-latest"],
    });
    const filter = new SakuraPacketFilter("jp-front", {
      zone,
      expressions: [
        { protocol: "tcp", destinationPort: 443, action: "allow" },
        { protocol: "ip", action: "deny" },
      ],
    });
    const server = new SakuraServer("web-1", {
      zone,
      cpu: 2,
      memoryGb: 4,
      interfaces: ["shared", sw.id],
      packetFilterIds: [filter.id, null],
      diskIds: [disk.id],
      diskEdit: {
        hostName: "web-1",
        sshPublicKeys: ["ssh-ed25519 AAAA ops"],
        ipAddress: "192.168.10.11",
        networkMaskLen: 24,
      },
    });
    await Promise.all([
      resolved(sw.id),
      resolved(disk.id),
      resolved(server.id),
      resolved(server.diskIds),
      resolved(filter.id),
    ]);
  });
  after(async () => {
    process.env = saved;
    await api.stop();
  });

  it("register as dynamic resources with the expected inputs", () => {
    assert.deepEqual(registered.map((r) => `${r.type} ${r.name}`).sort(), [
      "pulumi-nodejs:dynamic/sakuracloud:Disk web-1-boot",
      "pulumi-nodejs:dynamic/sakuracloud:PacketFilter jp-front",
      "pulumi-nodejs:dynamic/sakuracloud:Server web-1",
      "pulumi-nodejs:dynamic/sakuracloud:Switch jp-private",
    ]);
    const server = inputsOf("pulumi-nodejs:dynamic/sakuracloud:Server", "web-1");
    assert.equal(server.name, "web-1", "the Sakura name defaults to the resource name");
    assert.equal(server.zone, zone);
    assert.equal(server.cpu, 2);
    assert.equal(server.memoryGb, 4);
    assert.deepEqual(server.interfaces, ["shared", "jp-private-id"]);
    assert.deepEqual(server.diskIds, ["web-1-boot-id"]);
    assert.deepEqual(server.packetFilterIds, ["jp-front-id", null]);
    assert.deepEqual(server.diskEdit, {
      hostName: "web-1",
      sshPublicKeys: ["ssh-ed25519 AAAA ops"],
      ipAddress: "192.168.10.11",
      networkMaskLen: 24,
    });
    const filter = inputsOf("pulumi-nodejs:dynamic/sakuracloud:PacketFilter", "jp-front");
    assert.equal(filter.name, "jp-front");
    assert.deepEqual(filter.expressions, [
      { protocol: "tcp", destinationPort: 443, action: "allow" },
      { protocol: "ip", action: "deny" },
    ]);
    const disk = inputsOf("pulumi-nodejs:dynamic/sakuracloud:Disk", "web-1-boot");
    assert.deepEqual(disk.sourceArchiveTags, ["ubuntu-24.04-latest"]);
    assert.equal(disk.edit, undefined, "the disk edit belongs to the server");
  });

  it("carry no credential, neither in the inputs nor in the serialized provider", () => {
    assert.ok(registered.length >= 4);
    for (const r of registered) {
      const text = JSON.stringify(r.inputs);
      assert.ok(
        !text.includes(leakToken) && !text.includes(leakSecret),
        `${r.name} leaks a credential`,
      );
      const provider = (r.inputs as Record<string, unknown>).__provider;
      assert.equal(typeof provider, "string");
      assert.match(provider as string, /exports\.handler/);
      // The implementation is loaded by name in the provider process, not carried along.
      assert.match(provider as string, /require\("@multicloud\/sakura-cloud"\)/);
      assert.doesNotMatch(provider as string, /require\("@pulumi\/pulumi"\)/);
    }
  });

  it("serialize to a few kilobytes per resource, not the provider's modules", () => {
    for (const r of registered) {
      const provider = (r.inputs as Record<string, unknown>).__provider as string;
      assert.ok(
        Buffer.byteLength(provider) <= 4096,
        `${r.type} ${r.name}: ${Buffer.byteLength(provider)} bytes of provider text`,
      );
      // Nothing of the API client or the checks is inside.
      assert.doesNotMatch(provider, /SakuraClient|Failures|secure\.sakura\.ad\.jp/);
    }
  });

  it("take the zone from SAKURACLOUD_ZONE, and refuse to guess one", async () => {
    process.env.SAKURACLOUD_ZONE = "is1b";
    await resolved(new SakuraSwitch("zoned").id);
    assert.equal(inputsOf("pulumi-nodejs:dynamic/sakuracloud:Switch", "zoned").zone, "is1b");
    delete process.env.SAKURACLOUD_ZONE;
    assert.throws(
      () => new SakuraSwitch("nowhere"),
      /no Sakura Cloud zone: pass "zone" or set sakuracloud:zone/,
    );
  });

  it("serialize to a provider that runs on its own and takes credentials from configure()", async () => {
    const text = inputsOf("pulumi-nodejs:dynamic/sakuracloud:Switch", "jp-private")
      .__provider as string;
    // What the dynamic provider host does with `__provider`: load it as a module, call handler().
    const provider = requireFromString(text).handler?.() as {
      configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
      create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
    };
    delete process.env.SAKURACLOUD_ACCESS_TOKEN;
    delete process.env.SAKURACLOUD_ACCESS_TOKEN_SECRET;
    await provider.configure({
      config: stackConfig({
        "sakuracloud:token": "test-access-token-3f9a",
        "sakuracloud:secret": "test-access-secret-71c2",
        "sakuracloud:apiRootUrl": root,
      }),
    });
    const created = await provider.create({ zone, name: "from-state", description: "", tags: [] });
    assert.equal(api.switches.get(created.id)?.Name, "from-state");
  });

  it("serialize the packet filter provider with its checks, which run on their own", async () => {
    const provider = await loadSerialized("PacketFilter", "jp-front", root);
    const checked = await provider.check(
      {},
      {
        zone,
        name: "from-state",
        expressions: [{ protocol: "tcp", destinationPort: 22, action: "allow" }],
      },
    );
    assert.deepEqual(checked.failures, []);
    const created = await provider.create(checked.inputs ?? {});
    assert.equal(api.packetFilters.get(created.id)?.rules[0]?.DestinationPort, "22");
  });

  // Pulumi rebuilds classes from their constructors alone: class field initializers and what
  // `super()` does for Error are not carried over, so the error paths get their own test here.
  it("keep check failures, API errors and 404 handling in the serialized provider", async () => {
    const provider = await loadSerialized("PacketFilter", "jp-front", root);
    const bad = await provider.check({}, { zone: "tokyo", name: "x", expressions: [] });
    assert.deepEqual(
      bad.failures?.map((f) => f.property),
      ["zone"],
    );
    assert.deepEqual(await provider.read("113099999999", { zone, name: "gone" }), {});
    api.inject({
      method: "POST",
      path: /^packetfilter$/,
      status: 400,
      errorCode: "bad_request",
      errorMsg: "too many rules",
    });
    await assert.rejects(
      provider.create({ zone, name: "refused", description: "", expressions: [] }),
      /SakuraPacketFilter "refused": create failed: Sakura Cloud API POST packetfilter -> HTTP 400 bad_request: too many rules/,
    );
  });

  it("serialise power requests across serialized provider copies in one process (globalThis lock)", async () => {
    // Each load is its own copy of the provider's modules, as Pulumi runs one per provider.
    const first = await loadSerialized("Server", "web-1", root);
    const second = await loadSerialized("Server", "web-1", root);
    api.reset();
    api.bootReads = 0;
    api.hold({ method: "PUT", path: /power$/, ms: 40, times: 2 });
    const inputs = (name: string) => ({
      zone,
      name,
      description: "",
      tags: [],
      cpu: 2,
      memoryGb: 4,
      commitment: "standard",
      interfaces: ["shared"],
      packetFilterIds: [null],
      diskIds: [],
      powerOn: true,
      deleteDisksOnDelete: false,
    });
    await Promise.all([first.create(inputs("one")), second.create(inputs("two"))]);
    assert.equal(api.calls("PUT", /power$/).length, 2);
    assert.equal(api.maxConcurrentPower, 1, "the two copies took turns");
  });

  it("run from their serialized text in plain node, as the engine's provider host runs them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sakura-host-"));
    try {
      const textFile = join(dir, "provider.js");
      writeFileSync(
        textFile,
        inputsOf("pulumi-nodejs:dynamic/sakuracloud:Switch", "jp-private").__provider as string,
      );
      const config = {
        "sakuracloud:token": "test-access-token-3f9a",
        "sakuracloud:secret": "test-access-secret-71c2",
        "sakuracloud:apiRootUrl": root,
      };
      const { NODE_OPTIONS: _loader, ...env } = process.env;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["-e", hostChild, textFile, JSON.stringify(config)],
          { cwd: projectDir, env },
          (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
        ),
      );
      const result = JSON.parse(out) as {
        failures: unknown[];
        id: string;
        tags: string[];
        typeScriptModules: string[];
        loaderFlags: string[];
      };
      assert.deepEqual(result.failures, []);
      assert.equal(api.switches.get(result.id)?.Name, "from-host");
      assert.deepEqual(result.tags, ["host"], "read back through the same provider");
      assert.deepEqual(result.loaderFlags, [], "no loader flags");
      assert.deepEqual(result.typeScriptModules, [], "only JavaScript was loaded");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A provider process in miniature, run with plain `node`: loads `__provider` with the host's
 * own loader, configures it as the host does, then checks, creates and reads a switch.
 */
const hostChild = `
const { createRequire } = require("node:module");
const hostRequire = createRequire(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
const text = require("node:fs").readFileSync(process.argv[1], "utf8");
const values = JSON.parse(process.argv[2]);
const provider = hostRequire("require-from-string")(text).handler();
(async () => {
  await provider.configure({ config: { get: (k) => values[k], require: (k) => values[k] } });
  const checked = await provider.check({}, { zone: "${zone}", name: "from-host", tags: ["host"] });
  const created = await provider.create(checked.inputs);
  const read = await provider.read(created.id, created.outs);
  const typeScriptModules = Object.keys(require.cache).filter((f) => [".ts", ".mts", ".cts"].some((e) => f.endsWith(e)));
  process.stdout.write(JSON.stringify({
    failures: checked.failures, id: created.id, tags: read.props.tags,
    typeScriptModules, loaderFlags: process.execArgv.filter((a) => /^--(import|require|loader|experimental)/.test(a)),
  }));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

/** What the dynamic provider host does with `__provider`: load it as a module, call handler(). */
async function loadSerialized(
  kind: string,
  name: string,
  root: string,
): Promise<SerializedProvider> {
  const text = inputsOf(`pulumi-nodejs:dynamic/sakuracloud:${kind}`, name).__provider as string;
  const provider = requireFromString(text).handler?.() as SerializedProvider;
  await provider.configure({
    config: stackConfig({
      "sakuracloud:token": "test-access-token-3f9a",
      "sakuracloud:secret": "test-access-secret-71c2",
      "sakuracloud:apiRootUrl": root,
    }),
  });
  return provider;
}

interface SerializedProvider {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult>;
  create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: object): Promise<pulumi.dynamic.ReadResult>;
}
