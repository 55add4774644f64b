// The links key of a stack file: what the defaults fill in, and the links the plan refuses (each
// refusal names the stack file, the key and what is wrong).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolvedLinks } from "../../components/spec/links";
import { parseRegionSpec } from "../../components/spec/load";
import { loadSpec, rawRegion } from "../support/stacks";

/** The error a stack's spec with `links` replaced gives, or undefined when it parses. */
function refusal(stack: "us" | "jp", links: unknown[]): string | undefined {
  const raw = rawRegion(stack);
  raw.links = links;
  try {
    parseRegionSpec(raw, `Pulumi.${stack}.yaml`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const US_GKE = { name: "gke", kind: "haVpn", bgp: { localAsn: 64512, remoteAsn: 65020 } };
const JP_METAL = { name: "metal", kind: "hybrid", remote: ["10.10.192.0/18"] };

describe("links in the stack files", () => {
  test("us: HA VPN from the VPC's range to the GKE node and pod ranges, with both ASNs", () => {
    const [link] = resolvedLinks(loadSpec("us"));
    assert.ok(link);
    assert.equal(link.kind, "haVpn");
    assert.deepEqual(link.local, ["10.20.0.0/16"]);
    assert.deepEqual(link.remote, ["10.21.0.0/20", "10.24.0.0/14"]);
    assert.equal(link.bgp?.localAsn, 64512);
    assert.equal(link.bgp?.remoteAsn, 65020);
  });

  test("jp: IKEv1 from the router on the switch's first address to the GKE node range; the metal by hand", () => {
    const links = resolvedLinks(loadSpec("jp"));
    assert.deepEqual(
      links.map((link) => [link.name, link.kind, link.remote]),
      [
        ["gke", "ipsecVpn", ["10.11.0.0/20"]],
        ["metal", "hybrid", ["10.10.192.0/18"]],
      ],
    );
    assert.equal(links[0]?.routerAddress, "10.10.0.1");
  });

  test("the stack files as they are parse", () => {
    assert.equal(refusal("us", [US_GKE]), undefined);
    assert.equal(refusal("jp", [{ name: "gke", kind: "ipsecVpn" }, JP_METAL]), undefined);
  });

  test("a link whose two sides overlap is refused", () => {
    const message = refusal("us", [{ ...US_GKE, remote: ["10.20.0.0/16"] }]);
    assert.match(
      message ?? "",
      /Pulumi\.us\.yaml: multicloud:region\.links\[0\]\.remote\[0\] = "10\.20\.0\.0\/16": .*/,
    );
    assert.match(message ?? "", /must not overlap|apart from the region's own/);
  });

  test("a link carrying a range the region's network does not hold is refused", () => {
    assert.match(
      refusal("us", [{ ...US_GKE, local: ["10.99.0.0/16"] }]) ?? "",
      /links\[0\]\.local\[0\] = "10\.99\.0\.0\/16": expected a range inside network\.cidr \(10\.20\.0\.0\/16\)/,
    );
    assert.match(
      refusal("us", [{ ...US_GKE, remote: ["10.30.0.0/16"] }]) ?? "",
      /links\[0\]\.remote\[0\] = "10\.30\.0\.0\/16": expected a range inside gke\.network\.nodes/,
    );
  });

  test("the same range reached by two links is refused, and dedicated servers no link reaches", () => {
    const message = refusal("jp", [
      { name: "gke", kind: "ipsecVpn" },
      { ...JP_METAL, remote: ["10.10.192.0/20"] },
      { name: "metal2", kind: "external", remote: ["10.10.192.0/20"] },
    ]);
    assert.match(message ?? "", /links\[2\]\.remote\[0\].*one range is reached by one link/);
    assert.match(
      refusal("jp", [{ name: "gke", kind: "ipsecVpn" }]) ?? "",
      /sakura\.dedicated\[0\]\.address = "10\.10\.192\.11": expected a hybrid link/,
    );
  });

  test("BGP between two equal ASNs, or a public one, is refused", () => {
    assert.match(
      refusal("us", [{ ...US_GKE, bgp: { localAsn: 64512, remoteAsn: 64512 } }]) ?? "",
      /links\[0\]\.bgp\.remoteAsn = 64512: expected an ASN other than localAsn/,
    );
    assert.match(
      refusal("us", [{ ...US_GKE, bgp: { localAsn: 7500, remoteAsn: 65020 } }]) ?? "",
      /links\[0\]\.bgp\.localAsn = 7500: expected a private ASN/,
    );
  });

  test("a kind the region's cloud cannot build is refused", () => {
    assert.match(
      refusal("jp", [{ ...US_GKE }, JP_METAL]) ?? "",
      /links\[0\]\.kind = "haVpn": expected a kind that a sakura region can build/,
    );
  });
});
