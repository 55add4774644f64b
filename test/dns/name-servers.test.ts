import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NameServersError, publicZoneNameServers } from "../../tools/dns/name-servers";

const region = "urn:pulumi:us::multicloud::multicloud:index:Region";

function exported(resources: unknown[]): unknown {
  return { version: 3, deployment: { manifest: {}, resources } };
}

describe("the name servers of a stack's public zone, from its state", () => {
  it("are the public zone's, not the private zone's", () => {
    const state = exported([
      { urn: "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us", outputs: {} },
      {
        urn: `${region}$multicloud:aws:Site$multicloud:aws:PrivateZone$aws:route53/zone:Zone::us-aws-local-zone`,
        outputs: { nameServers: ["ns-9.awsdns-09.com."] },
      },
      {
        urn: `${region}$multicloud:dns:PublicZone$aws:route53/zone:Zone::us-public-zone`,
        outputs: {
          nameServers: ["ns-1.awsdns-00.com", "ns-2.awsdns-00.net", "ns-3.awsdns-00.org"],
        },
      },
    ]);
    assert.deepEqual(publicZoneNameServers(state, "us"), [
      "ns-1.awsdns-00.com",
      "ns-2.awsdns-00.net",
      "ns-3.awsdns-00.org",
    ]);
  });

  it("are refused, saying why, before the zone is created", () => {
    const fresh = { version: 3, deployment: { manifest: {} } };
    assert.throws(
      () => publicZoneNameServers(fresh, "us"),
      (error: unknown) =>
        error instanceof NameServersError &&
        error.message.startsWith("stack us: its state holds no public zone yet") &&
        error.message.includes("aws:route53:Zone us-public-zone created") &&
        error.message.includes("dns.existingZone: true in Pulumi.us.yaml"),
    );
  });

  it("are refused for what is not a stack export", () => {
    assert.throws(
      () => publicZoneNameServers({ nameServers: [] }, "uk"),
      /^Error: stack uk: not a stack export \(no deployment\)$/,
    );
  });
});
