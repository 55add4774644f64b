// The pure parts of the AWS site: sizes, address reservations, security rules, names.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  reservedRanges,
  roundRobinFrontHosts,
  vpcResolverAddress,
} from "../../components/aws/addresses";
import { consulTags } from "../../components/aws/consul";
import { nameKey, qualify } from "../../components/aws/dns-names";
import {
  architectureOf,
  instanceTypeFor,
  rdsInstanceClassFor,
} from "../../components/aws/machine-types";
import { ports } from "../../components/aws/ports";
import { parameterFamily } from "../../components/aws/rds";
import { ruleKey, securityPlan } from "../../components/aws/security-rules";
import { containsAddress, parseCidr, parseIpv4 } from "../../components/spec/cidr";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import { usSpec } from "./harness";

describe("machine types", () => {
  it("maps sizes per role family and honours machineType", () => {
    assert.equal(instanceTypeFor("app", { size: "large" }), "m7i.xlarge");
    assert.equal(instanceTypeFor("mysql", { size: "xlarge" }), "r7i.2xlarge");
    assert.equal(instanceTypeFor("chocon", { size: "small" }), "t3.medium");
    assert.equal(
      instanceTypeFor("app", { size: "large", machineType: "c7g.xlarge" }),
      "c7g.xlarge",
    );
  });
  it("tells Graviton types from x86 ones", () => {
    for (const t of ["m7g.large", "c7gn.xlarge", "t4g.small", "r8g.2xlarge", "m7gd.large"]) {
      assert.equal(architectureOf(t), "arm64", t);
    }
    for (const t of ["m7i.large", "t3.medium", "r7i.xlarge", "c6a.large", "m5.large"]) {
      assert.equal(architectureOf(t), "x86_64", t);
    }
  });
  it("maps RDS sizes and honours instanceClass", () => {
    assert.equal(rdsInstanceClassFor({ size: "medium" }), "db.m7g.large");
    assert.equal(
      rdsInstanceClassFor({ size: "small", instanceClass: "db.r7g.large" }),
      "db.r7g.large",
    );
    assert.equal(parameterFamily("8.4"), "mysql8.4");
    assert.equal(parameterFamily("8.0"), "mysql8.0");
  });
});

describe("fixed address reservations", () => {
  const spec = usSpec();
  const layout = networkLayout(spec);

  it("cover every fixed host's address, in its zone's private subnet", () => {
    const ranges = reservedRanges(spec, layout);
    for (const host of fixedHosts(spec, layout)) {
      const address = parseIpv4(host.address);
      assert.ok(address !== undefined);
      const holding = ranges.filter((r) => {
        const cidr = parseCidr(r.cidr);
        return cidr !== undefined && containsAddress(cidr, address);
      });
      assert.equal(holding.length, 1, `${host.name} ${host.address}`);
      assert.equal(holding[0]?.role, host.role);
      assert.equal(holding[0]?.zoneIndex, host.zoneIndex);
      assert.equal(holding[0]?.tier, "private");
    }
  });

  it("leave the nginx and app blocks free for auto-scaled hosts", () => {
    const cidrs = reservedRanges(spec, layout).map((r) => r.cidr);
    assert.ok(!cidrs.includes("10.20.64.0/24"));
    assert.ok(!cidrs.includes("10.20.65.0/24"));
    assert.ok(cidrs.includes("10.20.66.0/24"), "mysql block of zone a");
    assert.equal(cidrs.length, 4 * 3);
  });

  it("place round-robin nginx hosts in reserved public blocks", () => {
    const rr = usSpec((raw) => {
      (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
      // Multivalue records cannot also be failover records.
      delete (raw.front as Record<string, unknown>).failover;
    });
    const hosts = roundRobinFrontHosts(rr, layout);
    assert.deepEqual(
      hosts.map((h) => `${h.name}@${h.address}`),
      ["nginx-1@10.20.1.16", "nginx-2@10.20.17.16", "nginx-3@10.20.33.16"],
    );
    const publicRanges = reservedRanges(rr, layout).filter((r) => r.tier === "public");
    assert.deepEqual(
      publicRanges.map((r) => r.cidr),
      ["10.20.1.0/24", "10.20.17.0/24", "10.20.33.0/24"],
    );
    assert.deepEqual(roundRobinFrontHosts(spec, layout), []);
  });

  it("name the VPC resolver", () => {
    assert.equal(vpcResolverAddress(layout), "10.20.0.2");
  });
});

describe("security rules", () => {
  const spec = usSpec();
  const plan = securityPlan(spec);

  it("open only the front to the internet, and never port 22", () => {
    const open = plan.rules.filter(
      (r) => r.direction === "ingress" && !("group" in r.peer) && r.peer.cidr === "0.0.0.0/0",
    );
    assert.deepEqual(open.map((r) => `${r.group}:${r.port}`).sort(), ["alb:443", "alb:80"]);
    assert.ok(plan.rules.every((r) => r.port !== 22));
  });

  it("chain the tiers through group references", () => {
    const has = (group: string, direction: string, port: number, peer: string) =>
      plan.rules.some(
        (r) =>
          r.group === group &&
          r.direction === direction &&
          r.port === port &&
          "group" in r.peer &&
          r.peer.group === peer,
      );
    assert.ok(has("nginx", "ingress", ports.http, "alb"));
    assert.ok(has("app", "ingress", ports.app, "nginx"));
    assert.ok(has("mysql", "ingress", ports.mysql, "app"));
    assert.ok(has("memcached", "ingress", ports.memcached, "app"));
    assert.ok(has("database", "ingress", ports.mysql, "app"));
    assert.ok(has("util", "ingress", ports.consulRpc, "host"));
    assert.ok(has("host", "ingress", ports.consulLan, "host"));
    assert.ok(has("chocon", "ingress", ports.http, "host"));
    assert.ok(!has("database", "ingress", ports.mysql, "util"), "RDS only from app");
    const gossip = plan.rules.filter(
      (r) => r.port === ports.consulLan && r.direction === "ingress",
    );
    assert.deepEqual(gossip.map((r) => r.protocol).sort(), ["tcp", "udp"]);
  });

  it("give every rule a unique key", () => {
    const keys = plan.rules.map(ruleKey);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("open the nginx hosts themselves with a DNS round-robin front", () => {
    const rr = securityPlan(
      usSpec((raw) => {
        (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
        // Multivalue records cannot also be failover records.
        delete (raw.front as Record<string, unknown>).failover;
      }),
    );
    assert.ok(!rr.groups.includes("alb"));
    const open = rr.rules.filter((r) => !("group" in r.peer) && r.direction === "ingress");
    // nginx to the internet; besides, only what the GKE node and pod ranges call over the link.
    assert.deepEqual(
      open.map((r) => `${r.group}:${r.port}${"cidr" in r.peer ? ` ${r.peer.cidr}` : ""}`).sort(),
      [
        "app:8080 10.21.0.0/20",
        "app:8080 10.24.0.0/14",
        "chocon:80 10.21.0.0/20",
        "chocon:80 10.24.0.0/14",
        "nginx:443 0.0.0.0/0",
        "nginx:80 0.0.0.0/0",
        "util:8600 10.21.0.0/20",
        "util:8600 10.21.0.0/20",
        "util:8600 10.24.0.0/14",
        "util:8600 10.24.0.0/14",
      ],
    );
  });

  it("admit Consul WAN peers by address, and report host names", () => {
    const wan = securityPlan(
      usSpec((raw) => {
        (raw.consul as Record<string, unknown>).wanJoin = ["10.30.68.16", "consul.example.net"];
        raw.links = [
          ...(raw.links as unknown[]),
          { name: "wan", kind: "external", remote: ["10.30.0.0/16"] },
        ];
      }),
    );
    assert.deepEqual(wan.unresolvedWanPeers, ["consul.example.net"]);
    const peerRules = wan.rules.filter(
      (r) => !("group" in r.peer) && r.peer.cidr === "10.30.68.16/32",
    );
    assert.deepEqual(
      peerRules.map((r) => `${r.group}:${r.direction}:${r.protocol}${r.port}`).sort(),
      [
        "util:egress:tcp8300",
        "util:egress:tcp8302",
        "util:egress:udp8302",
        "util:ingress:tcp8300",
        "util:ingress:tcp8302",
        "util:ingress:udp8302",
      ],
    );
    assert.ok(!plan.rules.some((r) => r.port === ports.consulWan), "no WAN rules without peers");
  });
});

describe("names", () => {
  it("qualifies relative names", () => {
    assert.equal(qualify("@", "example.com"), "example.com");
    assert.equal(qualify("www", "example.com"), "www.example.com");
    assert.equal(nameKey("@"), "apex");
    assert.equal(nameKey("api.v2"), "api-v2");
  });
  it("tags the Consul servers with the tag the host layer's auto-join looks for", () => {
    const spec = usSpec();
    assert.deepEqual(consulTags(spec, "util"), {
      "consul-datacenter": "us-west-2",
      "consul-server": "consul-server-us",
    });
    assert.deepEqual(consulTags(spec, "app"), { "consul-datacenter": "us-west-2" });
  });
});
