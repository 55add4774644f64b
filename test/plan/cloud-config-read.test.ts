// The plan's checks read each host's cloud-config: the documents the program wrote in this process
// come back as they were written, which is what parsing their text gives; other text is parsed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { parse } from "yaml";
import { renderRegionHosts } from "../../components/host";
import { hostCloudConfig } from "../../components/sakura/site/cloud-config";
import { readCloudConfig } from "../../tools/plan/cloud-config-read";
import { loadSpec, stacks } from "../support/stacks";

describe("readCloudConfig", () => {
  it("reads every role's and every Sakura host's document as its text parses", () => {
    for (const stack of stacks) {
      for (const [role, artifacts] of Object.entries(renderRegionHosts(loadSpec(stack)))) {
        const label = `${stack}/${role}`;
        assert.deepEqual(readCloudConfig(artifacts.cloudInit), parse(artifacts.cloudInit), label);
        const host = hostCloudConfig(
          artifacts.cloudInit,
          { device: "eth1", address: "10.10.0.9", prefixLength: 16 },
          { hostName: `${role}-1`, sshPublicKeys: ["ssh-ed25519 AAAA ops@example"] },
        );
        assert.deepEqual(readCloudConfig(host), parse(host), `${label} host`);
      }
    }
  });

  it("parses text the program did not write, plain or gzip and base64", () => {
    const text = "#cloud-config\nwrite_files:\n  - path: /etc/x\n    content: hello\n";
    const expected = { write_files: [{ path: "/etc/x", content: "hello" }] };
    assert.deepEqual(readCloudConfig(text), expected);
    assert.deepEqual(readCloudConfig(gzipSync(text).toString("base64")), expected);
    assert.equal(readCloudConfig("#!/bin/bash\necho not cloud-config\n"), undefined);
    assert.equal(readCloudConfig(undefined), undefined);
  });
});
