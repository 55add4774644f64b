// Scaled variants of the jp stack file stay valid specs with the hosts multiplied.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { scaledHostCount, scaledSpec } from "../../bench/scaled-spec";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";

const raw = (
  parse(readFileSync(join(__dirname, "../../Pulumi.jp.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config[REGION_CONFIG_KEY];

describe("scaledSpec", () => {
  it("keeps the spec as it is at x1", () => {
    assert.deepEqual(scaledSpec(raw, 1, "10.10.200.1"), raw);
  });

  it("multiplies counts up to the maxima and lists one metal server per dedicated host", () => {
    const variant = scaledSpec(raw, 16, "10.10.200.1");
    const spec = parseRegionSpec(variant, "Pulumi.jp.yaml x16");
    assert.equal(spec.hosts.nginx.count, 36, "nginx stops where the ACME key's policy is full");
    assert.equal(spec.hosts.app.count, 64);
    assert.equal(spec.hosts.memcached.count, 32);
    assert.equal(spec.hosts.chocon.count, 20, "chocon stops at its maximum of 20");
    assert.equal(spec.hosts.mysql.count, 2);
    assert.equal(spec.cloud, "sakura");
    const dedicated = spec.cloud === "sakura" ? spec.sakura.dedicated : [];
    const apps = dedicated.filter((server) => server.role === "app");
    assert.equal(apps.length, 64);
    assert.equal(apps[0]?.address, "10.10.200.1");
    assert.equal(apps[63]?.address, "10.10.200.64");
    assert.equal(dedicated.filter((server) => server.role === "mysql").length, 2);
    assert.equal(scaledHostCount(variant), 152);
  });
});
