// check() of the VPC router refuses what Sakura's API and clients refuse and what could not
// carry traffic, fills in Sakura's defaults, and lets values unknown at preview through.
// Expected limits are Sakura's (see packages/sakura-cloud/src/provider/limits.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkVpcRouterInputs } from "@multicloud/sakura-cloud";

const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function standard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    zone: "tk1a",
    name: "jp-vpn",
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
    ...overrides,
  };
}

function peer(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    peer: "198.51.100.7",
    remoteId: "198.51.100.7",
    preSharedSecret: "k3y_01",
    routes: ["10.128.0.0/20"],
    localPrefixes: ["10.10.0.0/24"],
    ...overrides,
  };
}

const premiumPublic = {
  switchId: "113000000009",
  ipAddresses: ["192.0.2.5", "192.0.2.6"],
  virtualIpAddress: "192.0.2.4",
  vrid: 1,
};

/** The failures as "property: reason". */
function failures(raw: Record<string, unknown>): string[] {
  return checkVpcRouterInputs(raw).failures.map((f) => `${f.property}: ${f.reason}`);
}

function refuses(raw: Record<string, unknown>, property: string, reason: RegExp): void {
  const found = checkVpcRouterInputs(raw).failures.filter((f) => f.property === property);
  assert.ok(
    found.some((f) => reason.test(f.reason)),
    `expected ${property} ~ ${reason}, got ${JSON.stringify(failures(raw))}`,
  );
}

describe("VPC router check", () => {
  it("accepts a standard router with a peer and fills in Sakura's defaults", () => {
    const { inputs, failures: list } = checkVpcRouterInputs(standard());
    assert.deepEqual(list, []);
    assert.equal(inputs.plan, "standard");
    assert.equal(inputs.version, 2);
    assert.equal(inputs.internetConnection, true);
    assert.equal(inputs.publicInterface, null);
    assert.deepEqual(inputs.siteToSiteVpnParameters, {
      encryptionAlgo: "aes128",
      hashAlgo: "sha1",
      dhGroup: "modp1024",
      ikeLifetime: 28800,
      dpdInterval: 15,
      dpdTimeout: 30,
      espLifetime: 1800,
    });
  });

  it("refuses plans and versions the API does not have", () => {
    refuses(
      standard({ plan: "deluxe" }),
      "plan",
      /one of "standard", "premium", "highspec", "highspec4000"/,
    );
    refuses(standard({ version: 0 }), "version", /positive integer/);
    refuses(standard({ name: "x".repeat(65) }), "name", /at most 64/);
  });

  it("keeps the standard plan on the shared segment and asks the others for a switch+router", () => {
    refuses(standard({ publicInterface: premiumPublic }), "publicInterface", /shared segment/);
    const premium = (publicInterface: unknown) =>
      standard({
        plan: "premium",
        publicInterface,
        privateInterfaces: [
          {
            index: 1,
            switchId: "113000000001",
            ipAddresses: ["10.10.0.2", "10.10.0.3"],
            virtualIpAddress: "10.10.0.1",
            networkMaskLen: 24,
          },
        ],
      });
    assert.deepEqual(failures(premium(premiumPublic)), []);
    refuses(premium(undefined), "publicInterface", /switch\+router/);
    refuses(
      premium({ ...premiumPublic, ipAddresses: ["192.0.2.5"] }),
      "publicInterface.ipAddresses",
      /2 addresses/,
    );
    refuses(premium({ ...premiumPublic, vrid: 256 }), "publicInterface.vrid", /1 to 255/);
    refuses(
      premium({ ...premiumPublic, virtualIpAddress: "192.0.2.5" }),
      "publicInterface.virtualIpAddress",
      /differ/,
    );
    refuses(
      premium({
        ...premiumPublic,
        ipAliases: Array.from({ length: 20 }, (_, i) => `192.0.2.${100 + i}`),
      }),
      "publicInterface.ipAliases",
      /at most 19/,
    );
  });

  it("refuses private NICs the API would not take, or that could not work", () => {
    const nic = (overrides: Record<string, unknown>) =>
      standard({
        privateInterfaces: [
          {
            index: 1,
            switchId: "113000000001",
            ipAddresses: ["10.10.0.1"],
            networkMaskLen: 24,
            ...overrides,
          },
        ],
      });
    refuses(nic({ index: 0 }), "privateInterfaces[0].index", /from 1 to 7/);
    refuses(nic({ index: 8 }), "privateInterfaces[0].index", /from 1 to 7/);
    refuses(nic({ networkMaskLen: 30 }), "privateInterfaces[0].networkMaskLen", /from 16 to 29/);
    refuses(
      nic({ ipAddresses: ["10.10.0.1", "10.10.0.2"] }),
      "privateInterfaces[0].ipAddresses",
      /one address/,
    );
    refuses(
      nic({ virtualIpAddress: "10.10.0.9" }),
      "privateInterfaces[0].virtualIpAddress",
      /one router/,
    );
    refuses(nic({ ipAddresses: ["10.10.0.0"] }), "privateInterfaces[0]", /network's own address/);
    const twice = standard({
      privateInterfaces: [
        { index: 1, switchId: "113000000001", ipAddresses: ["10.10.0.1"], networkMaskLen: 24 },
        { index: 1, switchId: "113000000002", ipAddresses: ["10.11.0.1"], networkMaskLen: 24 },
      ],
    });
    refuses(twice, "privateInterfaces[1].index", /given twice/);
    const overlapping = standard({
      privateInterfaces: [
        { index: 1, switchId: "113000000001", ipAddresses: ["10.10.0.1"], networkMaskLen: 16 },
        { index: 2, switchId: "113000000002", ipAddresses: ["10.10.5.1"], networkMaskLen: 24 },
      ],
    });
    refuses(
      overlapping,
      "privateInterfaces",
      /eth1 \(10\.10\.0\.0\/16\) and eth2 \(10\.10\.5\.0\/24\) overlap/,
    );
  });

  it("refuses a static route whose next hop is on no private NIC's network", () => {
    refuses(
      standard({ staticRoutes: [{ prefix: "10.20.0.0/16", nextHop: "10.99.0.1" }] }),
      "staticRoutes[0].nextHop",
      /10\.99\.0\.1 is on no private NIC's network \(eth1 10\.10\.0\.0\/24\)/,
    );
    refuses(
      standard({ staticRoutes: [{ prefix: "10.20.0.0", nextHop: "10.10.0.9" }] }),
      "staticRoutes[0].prefix",
      /network/,
    );
  });

  it("refuses keys, prefixes and peers the VPN would not take, without repeating the key", () => {
    const badKey = "has-a-dash";
    const raw = standard({ siteToSiteVpn: [peer({ preSharedSecret: badKey })] });
    refuses(raw, "siteToSiteVpn[0].preSharedSecret", /1 to 40 letters, digits or underscores/);
    assert.ok(!JSON.stringify(failures(raw)).includes(badKey), "the key is not in the message");
    refuses(
      standard({ siteToSiteVpn: [peer({ preSharedSecret: "a".repeat(41) })] }),
      "siteToSiteVpn[0].preSharedSecret",
      /1 to 40/,
    );
    refuses(
      standard({ siteToSiteVpn: [peer({ routes: ["10.0.0.0/7"] })] }),
      "siteToSiteVpn[0].routes[0]",
      /\/8 to \/32/,
    );
    refuses(
      standard({ siteToSiteVpn: [peer({ routes: [] })] }),
      "siteToSiteVpn[0].routes",
      /at least one/,
    );
    refuses(
      standard({ siteToSiteVpn: [peer({ peer: "gcp-gateway" })] }),
      "siteToSiteVpn[0].peer",
      /IPv4/,
    );
    refuses(
      standard({ siteToSiteVpn: [peer({}), peer({})] }),
      "siteToSiteVpn[1].peer",
      /given twice/,
    );
    refuses(
      standard({ siteToSiteVpnParameters: { encryptionAlgo: "3des" } }),
      "siteToSiteVpnParameters.encryptionAlgo",
      /"aes128", "aes256"/,
    );
    refuses(
      standard({ siteToSiteVpnParameters: { dhGroup: "modp768" } }),
      "siteToSiteVpnParameters.dhGroup",
      /modp1024/,
    );
  });

  it("refuses a link whose ranges are not routed or overlap the router's own", () => {
    refuses(
      standard({ siteToSiteVpn: [peer({ localPrefixes: ["10.30.0.0/24"] })] }),
      "siteToSiteVpn[0].localPrefixes[0]",
      /10\.30\.0\.0\/24 is behind no private NIC and no static route/,
    );
    // Behind a static route it is routed.
    assert.deepEqual(
      failures(
        standard({
          staticRoutes: [{ prefix: "10.30.0.0/16", nextHop: "10.10.0.254" }],
          siteToSiteVpn: [peer({ localPrefixes: ["10.30.0.0/24"] })],
        }),
      ),
      [],
    );
    refuses(
      standard({ siteToSiteVpn: [peer({ routes: ["10.10.0.0/16"] })] }),
      "siteToSiteVpn[0].routes[0]",
      /overlaps the router's own network on eth1 \(10\.10\.0\.0\/24\)/,
    );
  });

  it("refuses firewall rules the API would not take", () => {
    const fw = (entry: Record<string, unknown>) => standard({ firewall: [entry] });
    refuses(fw({ direction: "in", expressions: [] }), "firewall[0].direction", /"receive", "send"/);
    refuses(
      fw({ direction: "receive", expressions: [{ protocol: "esp", action: "allow" }] }),
      "firewall[0].expressions[0].protocol",
      /"tcp", "udp", "icmp", "ip"/,
    );
    refuses(
      fw({
        direction: "receive",
        expressions: [{ protocol: "icmp", destinationPort: 8, action: "allow" }],
      }),
      "firewall[0].expressions[0].destinationPort",
      /tcp" and "udp" rules only/,
    );
    refuses(
      fw({ interfaceIndex: 3, direction: "receive", expressions: [] }),
      "firewall[0].interfaceIndex",
      /no NIC eth3/,
    );
    refuses(
      fw({
        direction: "send",
        expressions: [{ protocol: "ip", action: "deny", description: "d".repeat(513) }],
      }),
      "firewall[0].expressions[0].description",
      /at most 512/,
    );
    refuses(
      standard({
        firewall: [
          {
            interfaceIndex: 1,
            direction: "send",
            expressions: [{ protocol: "ip", action: "deny" }],
          },
          {
            interfaceIndex: 1,
            direction: "send",
            expressions: [{ protocol: "ip", action: "allow" }],
          },
        ],
      }),
      "firewall[1]",
      /eth1 send is given twice/,
    );
  });

  it("sorts firewall entries as reads return them and drops empty ones", () => {
    const { inputs } = checkVpcRouterInputs(
      standard({
        firewall: [
          {
            interfaceIndex: 1,
            direction: "send",
            expressions: [{ protocol: "ip", action: "deny" }],
          },
          {
            interfaceIndex: 1,
            direction: "receive",
            expressions: [{ protocol: "ip", action: "allow" }],
          },
          { direction: "receive", expressions: [] },
        ],
      }),
    );
    assert.deepEqual(
      inputs.firewall.map((e) => `${e.interfaceIndex}/${e.direction}`),
      ["1/receive", "1/send"],
    );
  });

  it("lets values unknown at preview through", () => {
    assert.deepEqual(
      failures(
        standard({
          privateInterfaces: [
            { index: 1, switchId: unknown, ipAddresses: ["10.10.0.1"], networkMaskLen: 24 },
          ],
          siteToSiteVpn: [peer({ peer: unknown, remoteId: unknown, preSharedSecret: unknown })],
          staticRoutes: [{ prefix: "10.20.0.0/16", nextHop: "10.10.0.254" }],
        }),
      ),
      [],
    );
    assert.deepEqual(
      failures(standard({ siteToSiteVpn: unknown, privateInterfaces: unknown })),
      [],
    );
    assert.deepEqual(
      failures(standard({ plan: unknown })),
      [],
      "a plan not known yet asks for nothing",
    );
  });
});
