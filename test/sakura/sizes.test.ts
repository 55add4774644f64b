// Cloud-neutral sizes and disk sizes as what Sakura Cloud offers (pure). Expected values are the
// config reference's sizes (small 2/4, medium 2/8, large 4/16, xlarge 8/32, 2xlarge 16/64) met
// by Sakura plans that exist (2/4, 4/8, 4/16, 8/16, 10/24, 10/32, 10/48) and Sakura's disk sizes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sakuraDiskSize, sakuraPlan } from "../../components/sakura/site/sizes";

describe("Sakura sizes", () => {
  it("maps each size to the smallest known plan with at least its cores and memory", () => {
    const at = "Pulumi.jp.yaml: multicloud:region.hosts.nginx";
    assert.deepEqual(sakuraPlan("small", undefined, at), { cpu: 2, memoryGb: 4 });
    assert.deepEqual(sakuraPlan("medium", undefined, at), { cpu: 4, memoryGb: 8 });
    assert.deepEqual(sakuraPlan("large", undefined, at), { cpu: 4, memoryGb: 16 });
    assert.deepEqual(sakuraPlan("xlarge", undefined, at), { cpu: 10, memoryGb: 32 });
    assert.throws(
      () => sakuraPlan("2xlarge", undefined, at),
      /^Error: Pulumi\.jp\.yaml: multicloud:region\.hosts\.nginx: no Sakura Cloud server plan known to exist has at least 16 cores and 64 GiB/,
    );
    assert.deepEqual(sakuraPlan("2xlarge", "10c48g", at), { cpu: 10, memoryGb: 48 });
  });

  it("rounds a disk up to a size Sakura offers, and refuses one above the largest", () => {
    const at = "Pulumi.jp.yaml: multicloud:region.hosts.mysql";
    assert.equal(sakuraDiskSize(40, at), 40);
    assert.equal(sakuraDiskSize(41, at), 60);
    assert.equal(sakuraDiskSize(200, at), 250);
    assert.equal(sakuraDiskSize(2000, at), 2048);
    assert.throws(
      () => sakuraDiskSize(5000, at),
      /hosts\.mysql: 5000 GiB is more than the largest Sakura Cloud disk \(4096 GiB\)/,
    );
  });
});
