// The SakuraVpcRouter class under Pulumi's mocks: its type and inputs, its keys kept secret in
// the outputs, and its serialized provider: small, and working when loaded the way the
// engine's dynamic provider host loads it.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { SakuraVpcRouter } from "../../components/sakura/provider";
import { installMocks, runInStack, type SeenResource } from "../support/mocks";
import type { FakeSakuraApi } from "./fake-api";
import { stackConfig, startFake, zone } from "./harness";

const VPC_ROUTER = "pulumi-nodejs:dynamic/sakuracloud:VpcRouter";
const recorder = installMocks("jp");
const hostRequire = createRequire(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
const requireFromString = hostRequire("require-from-string") as (code: string) => {
  handler: () => Provider;
};

interface Provider {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult>;
  create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
}

describe("SakuraVpcRouter under Pulumi mocks", () => {
  let api: FakeSakuraApi;
  let root: string;
  let seen: SeenResource[];

  before(async () => {
    ({ api, root } = await startFake());
    seen = await runInStack(() => {
      new SakuraVpcRouter(
        "jp-vpn",
        {
          zone,
          privateInterfaces: [
            { index: 1, switchId: "113000000001", ipAddresses: ["10.10.0.1"], networkMaskLen: 24 },
          ],
          siteToSiteVpn: [
            {
              peer: "198.51.100.7",
              remoteId: "198.51.100.7",
              preSharedSecret: "k3y_01",
              routes: ["10.128.0.0/20"],
              localPrefixes: ["10.10.0.0/24"],
            },
          ],
        },
        { additionalSecretOutputs: ["firewall"] },
      );
    });
  });
  after(() => api.stop());

  it("registers as the dynamic type sakuracloud:VpcRouter, named after the resource", () => {
    const router = recorder.get(VPC_ROUTER, "jp-vpn");
    assert.equal(router.inputs.name, "jp-vpn");
    assert.equal(router.inputs.zone, zone);
    assert.deepEqual(router.inputs.privateInterfaces, [
      { index: 1, switchId: "113000000001", ipAddresses: ["10.10.0.1"], networkMaskLen: 24 },
    ]);
  });

  it("keeps the output holding the pre-shared keys secret, with the caller's own secret outputs", () => {
    const opts = seen.find((s) => s.type === VPC_ROUTER)?.opts as pulumi.CustomResourceOptions;
    assert.deepEqual(opts.additionalSecretOutputs, ["firewall", "siteToSiteVpn"]);
  });

  it("serializes to a small provider that checks and creates a router from its text", async () => {
    const text = recorder.get(VPC_ROUTER, "jp-vpn").inputs.__provider as string;
    assert.ok(Buffer.byteLength(text) <= 4096, `${Buffer.byteLength(text)} bytes`);
    const provider = requireFromString(text).handler();
    await provider.configure({
      config: stackConfig({
        "sakuracloud:token": "test-access-token-3f9a",
        "sakuracloud:secret": "test-access-secret-71c2",
        "sakuracloud:apiRootUrl": root,
      }),
    });
    const bad = await provider.check({}, { zone, name: "x", plan: "deluxe" });
    assert.deepEqual(
      bad.failures?.map((f) => f.property),
      ["plan"],
    );
    const checked = await provider.check({}, { zone, name: "from-state" });
    assert.deepEqual(checked.failures, []);
    const created = await provider.create(checked.inputs ?? {});
    assert.equal(api.vpcRouters.routers.get(created.id)?.Name, "from-state");
    assert.equal(created.outs?.instanceStatus, "up");
  });
});
