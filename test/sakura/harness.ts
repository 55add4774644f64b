import assert from "node:assert/strict";
import type { SakuraProviderOptions, Sleep } from "@multicloud/sakura-cloud";
import type * as pulumi from "@pulumi/pulumi";
import { type FakeSakuraApi, startFakeSakuraApi } from "./fake-api";

export const zone = "tk1a";
export const token = "test-access-token-3f9a";
export const secret = "test-access-secret-71c2";

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}

/** Small bounds so that give-up paths are reached in a few requests. */
export function testOptions(sleep: Sleep): SakuraProviderOptions {
  return {
    sleep,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    diskPoll: { intervalMs: 50, maxAttempts: 10 },
    vpcRouterPoll: { intervalMs: 55, maxAttempts: 10 },
    powerPoll: { intervalMs: 50, maxAttempts: 10 },
    stillCreating: { intervalMs: 70, maxAttempts: 5 },
    gracefulShutdown: { intervalMs: 60, maxAttempts: 3 },
    powerResendMs: 100,
  };
}

/** Stack config as the dynamic provider host hands it to configure(). */
export function stackConfig(values: Record<string, string>): pulumi.dynamic.Config {
  return {
    get: (key) => values[key],
    require: (key) => {
      const v = values[key];
      if (v === undefined) throw new Error(`missing ${key}`);
      return v;
    },
  };
}

export function startFake(): Promise<{ api: FakeSakuraApi; root: string }> {
  return startFakeSakuraApi({ zone, token, secret });
}

/** Configures a provider the way the Pulumi engine does, pointing it at the fake. */
export async function configure(
  provider: { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> },
  root: string,
): Promise<void> {
  await provider.configure({
    config: stackConfig({
      "sakuracloud:token": token,
      "sakuracloud:secret": secret,
      "sakuracloud:apiRootUrl": root,
    }),
  });
}

/** Pulumi ships inputs and outputs as protobuf Structs, which reject `undefined`. */
export function assertWireSafe(value: unknown, path = "$"): void {
  assert.notEqual(value, undefined, `${path} is undefined`);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertWireSafe(v, `${path}[${i}]`);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertWireSafe(v, `${path}.${k}`);
  }
}

export const expectedAuthorization = `Basic ${Buffer.from(`${token}:${secret}`).toString("base64")}`;

/** Ubuntu 24.04 as Sakura tags its standard image (iaas-api-go fake/zz_init_archive.go style). */
export const standardArchiveId = "112900000101";
/** Ubuntu 24.04 as Sakura tags its cloud-init ("cloudimg") image. */
export const cloudImageArchiveId = "112900000102";

export function addUbuntuArchives(api: FakeSakuraApi): void {
  api.addArchive({
    ID: standardArchiveId,
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
    ID: cloudImageArchiveId,
    Name: "Ubuntu Server 24.04.2 LTS 64bit (cloudimg)",
    Tags: ["@size-extendable", "cloud-init", "distro-ubuntu", "distro-ver-24.04.2", "os-linux"],
    Scope: "shared",
    Availability: "available",
    CreatedAt: "2025-03-02T00:00:00+09:00",
  });
}
