// The three stack files describe the three regions of the estate and fit together.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCidr, overlaps } from "../../components/spec/cidr";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import { checkPeerRanges } from "../../components/spec/load";
import { readPeerStacks } from "../../components/spec/peers";
import { namedRanges } from "../../components/spec/rules";
import { loadSpec, projectDir, stacks } from "../support/stacks";

describe("stack files", () => {
  it("each parses, on its own cloud", () => {
    assert.equal(loadSpec("jp").cloud, "sakura");
    assert.equal(loadSpec("us").cloud, "aws");
    assert.equal(loadSpec("uk").cloud, "gcp");
  });

  it("defaults come from the schema, not the files", () => {
    const uk = loadSpec("uk");
    assert.equal(uk.dns.internalDomain, "local");
    assert.deepEqual(uk.dns.caaIssuers, ["amazon.com", "pki.goog"]);
    assert.equal(uk.hosts.app.diskGb, 40);
    assert.equal(uk.front.healthCheckPath, "/healthz");
    const us = loadSpec("us");
    const accounts = us.cloud === "aws" ? us.aws.rds[0] : undefined;
    assert.equal(accounts?.multiAz, true);
    assert.equal(accounts?.deletionProtection, true);
    assert.equal(loadSpec("jp").front.mode, "dnsRoundRobin");
  });

  it("no range of one region overlaps a range of another", () => {
    const all = stacks.flatMap((stack) =>
      namedRanges(loadSpec(stack)).map((range) => ({ stack, ...range })),
    );
    assert.ok(all.length >= 11);
    for (const a of all) {
      for (const b of all) {
        if (a.stack === b.stack) continue;
        assert.ok(
          !overlaps(a.cidr, b.cidr),
          `${a.stack} ${formatCidr(a.cidr)} overlaps ${b.stack} ${formatCidr(b.cidr)}`,
        );
      }
    }
    const peers = readPeerStacks(projectDir);
    assert.deepEqual(
      peers.map((peer) => peer.file),
      ["Pulumi.jp.yaml", "Pulumi.uk.yaml", "Pulumi.us.yaml"],
    );
    for (const stack of stacks) checkPeerRanges(loadSpec(stack), `Pulumi.${stack}.yaml`, peers);
  });

  it("the address plan gives every fixed host a distinct address inside its block", () => {
    for (const stack of stacks) {
      const spec = loadSpec(stack);
      const layout = networkLayout(spec);
      const hosts = fixedHosts(spec, layout);
      assert.equal(
        new Set(hosts.map((h) => h.address)).size,
        hosts.length,
        `${stack}: duplicate address`,
      );
      assert.equal(
        new Set(hosts.map((h) => h.name)).size,
        hosts.length,
        `${stack}: duplicate name`,
      );
      assert.equal(hosts.filter((h) => h.consulServer).length, spec.consul.servers);
    }
    const us = fixedHosts(loadSpec("us"));
    assert.deepEqual(
      us.filter((h) => h.role === "util").map((h) => [h.name, h.zone, h.address]),
      [
        ["util-1", "us-west-2a", "10.20.68.16"],
        ["util-2", "us-west-2b", "10.20.84.16"],
        ["util-3", "us-west-2c", "10.20.100.16"],
      ],
    );
    const jp = fixedHosts(loadSpec("jp"));
    assert.equal(jp.find((h) => h.name === "db01")?.placement, "dedicated");
    assert.equal(jp.find((h) => h.name === "db01")?.ssh?.host, "203.0.113.21");
    assert.ok(
      jp.some((h) => h.role === "nginx"),
      "on Sakura every role is a fixed host",
    );
  });

  it("the layout cuts one /20 per zone and tier", () => {
    const layout = networkLayout(loadSpec("us"));
    assert.deepEqual(layout.public.map(formatCidr), [
      "10.20.0.0/20",
      "10.20.16.0/20",
      "10.20.32.0/20",
    ]);
    assert.deepEqual(layout.private.map(formatCidr), [
      "10.20.64.0/20",
      "10.20.80.0/20",
      "10.20.96.0/20",
    ]);
    assert.deepEqual(layout.data.map(formatCidr), [
      "10.20.128.0/20",
      "10.20.144.0/20",
      "10.20.160.0/20",
    ]);
    assert.equal(formatCidr(layout.hosts), "10.20.64.0/18");
  });
});
