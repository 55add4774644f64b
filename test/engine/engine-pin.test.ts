// The engine that `npm run test:engine` runs is the version of the SDK the program is locked to:
// tools/peers/pulumi pins the CLI's Go modules and its version stamp to package-lock.json's
// @pulumi/pulumi, so bumping one without the other fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectDir } from "../support/stacks";

const peer = join(projectDir, "tools", "peers", "pulumi");

function lockedSdkVersion(): string {
  const lock = JSON.parse(readFileSync(join(projectDir, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages["node_modules/@pulumi/pulumi"]?.version;
  assert.ok(version, "package-lock.json locks @pulumi/pulumi");
  return version;
}

describe("the engine's pin", () => {
  it("go.mod requires the CLI's modules at the locked SDK version", () => {
    const version = lockedSdkVersion();
    const goMod = readFileSync(join(peer, "go.mod"), "utf8");
    for (const module of ["github.com/pulumi/pulumi/pkg/v3", "github.com/pulumi/pulumi/sdk/v3"]) {
      const required = new RegExp(`^\\s*${module.replace(/\//g, "\\/")} (v\\S+)`, "m").exec(
        goMod,
      )?.[1];
      assert.equal(required, `v${version}`, `${module} in tools/peers/pulumi/go.mod`);
    }
    assert.match(goMod, /^tool github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi$/m);
  });

  it("the version stamp `pulumi version` prints is the locked SDK version", () => {
    const conf = readFileSync(join(peer, "build.conf"), "utf8");
    const stamp = /sdk\/v3\/go\/common\/version\.Version=(v\S+?)["\s]/.exec(conf)?.[1];
    assert.equal(stamp, `v${lockedSdkVersion()}`);
  });
});
