// The site's packet filter rules as data: valid for the provider's check, and admin networks
// written the way the API takes them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPacketFilterInputs } from "@multicloud/sakura-cloud";
import {
  frontFilterRules,
  hostFilterRules,
  sourceOf,
} from "../../components/sakura/site/packet-filter-rules";

const facts = {
  adminCidrs: ["198.51.100.0/24", "203.0.113.7/32"],
  resolvers: ["210.188.224.10", "210.188.224.11"],
};

describe("packet filter rules of the site", () => {
  it("pass the provider's check unchanged", () => {
    for (const expressions of [frontFilterRules(facts), hostFilterRules(facts)]) {
      const { inputs, failures } = checkPacketFilterInputs({
        zone: "tk1a",
        name: "jp-front",
        description: "",
        expressions,
      });
      assert.deepEqual(failures, []);
      // As Pulumi stores them: members left undefined are dropped.
      assert.deepEqual(JSON.parse(JSON.stringify(inputs.expressions)), expressions);
    }
  });

  it("write a single admin host as its address and 'anywhere' as no source", () => {
    assert.deepEqual(sourceOf("198.51.100.0/24"), { sourceNetwork: "198.51.100.0/24" });
    assert.deepEqual(sourceOf("203.0.113.7/32"), { sourceNetwork: "203.0.113.7" });
    assert.deepEqual(sourceOf("203.0.113.7"), { sourceNetwork: "203.0.113.7" });
    assert.deepEqual(sourceOf("0.0.0.0/0"), {});
    const ssh = hostFilterRules(facts).filter((r) => r.destinationPort === "22");
    assert.deepEqual(
      ssh.map((r) => r.sourceNetwork),
      ["198.51.100.0/24", "203.0.113.7"],
    );
  });

  it("let DNS replies in from each resolver and keep the same order in both filters", () => {
    const front = frontFilterRules(facts);
    const rest = hostFilterRules(facts);
    const dns = rest.filter((r) => r.protocol === "udp" && r.sourcePort === "53");
    assert.deepEqual(
      dns.map((r) => r.sourceNetwork),
      facts.resolvers,
    );
    assert.deepEqual(front.slice(2), rest, "the front filter is the host filter plus 80 and 443");
  });
});
