// Bad config gets one clear line per problem: the stack file, the key path, the value and what is
// expected. Each case breaks one thing in a real stack file.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { checkPeerRanges, parseRegionSpec } from "../../components/spec/load";
import { rawRegion } from "../support/stacks";

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into arbitrary keys of parsed YAML
type Raw = Record<string, any>;

interface Case {
  readonly name: string;
  readonly stack: "jp" | "us" | "uk";
  readonly mutate: (raw: Raw) => void;
  /** The whole expected message line, or a pattern for it. */
  readonly expected: string | RegExp;
}

const cases: Case[] = [
  {
    name: "wrong type: count as text",
    stack: "us",
    mutate: (r) => {
      r.hosts.app.count = "six";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.hosts.app.count = "six": expected a whole number from 1 to 200',
  },
  {
    name: "count out of range (negative)",
    stack: "uk",
    mutate: (r) => {
      r.hosts.app.count = -1;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.hosts.app.count = -1: expected a whole number from 1 to 200",
  },
  {
    name: "count out of range (too many)",
    stack: "us",
    mutate: (r) => {
      r.hosts.nginx.count = 1000;
    },
    expected:
      "Pulumi.us.yaml: multicloud:region.hosts.nginx.count = 1000: expected a whole number from 1 to 100",
  },
  {
    name: "fractional count",
    stack: "us",
    mutate: (r) => {
      r.hosts.memcached.count = 1.5;
    },
    expected:
      "Pulumi.us.yaml: multicloud:region.hosts.memcached.count = 1.5: expected a whole number from 0 to 50",
  },
  {
    name: "unknown key at the top",
    stack: "us",
    mutate: (r) => {
      r.domian = "example.com";
    },
    expected:
      /^Pulumi\.us\.yaml: multicloud:region\.domian is not a known key: expected only the keys name, description, domain, /,
  },
  {
    name: "unknown role",
    stack: "uk",
    mutate: (r) => {
      r.hosts.redis = { count: 2, size: "small" };
    },
    expected:
      /^Pulumi\.uk\.yaml: multicloud:region\.hosts\.redis is not a known key: expected only the keys nginx, app, mysql, memcached, util, chocon$/,
  },
  {
    name: "missing key",
    stack: "us",
    mutate: (r) => {
      delete r.domain;
    },
    expected:
      "Pulumi.us.yaml: multicloud:region.domain is missing: expected a lower-case domain name such as example.com",
  },
  {
    name: "missing block",
    stack: "uk",
    mutate: (r) => {
      delete r.consul;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.consul is missing: expected a mapping (key: value pairs)",
  },
  {
    name: "even Consul server count",
    stack: "uk",
    mutate: (r) => {
      r.consul.servers = 4;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.consul.servers = 4: expected 3 or 5 (an odd number of servers keeps a quorum)",
  },
  {
    name: "unknown cloud",
    stack: "us",
    mutate: (r) => {
      r.cloud = "azure";
    },
    expected: 'Pulumi.us.yaml: multicloud:region.cloud = "azure": expected one of aws, gcp, sakura',
  },
  {
    name: "cloud without its block",
    stack: "uk",
    mutate: (r) => {
      r.cloud = "aws";
      delete r.gcp;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.aws is missing: expected the aws block: the region's cloud is aws",
  },
  {
    name: "bad domain name (upper case and underscore)",
    stack: "us",
    mutate: (r) => {
      r.domain = "Example_Shop.com";
    },
    expected:
      /^Pulumi\.us\.yaml: multicloud:region\.domain = "Example_Shop\.com": expected a lower-case domain name/,
  },
  {
    name: "bad domain name (single label)",
    stack: "jp",
    mutate: (r) => {
      r.domain = "localhost";
    },
    expected:
      /^Pulumi\.jp\.yaml: multicloud:region\.domain = "localhost": expected a lower-case domain name/,
  },
  {
    name: "malformed CIDR",
    stack: "us",
    mutate: (r) => {
      r.network.cidr = "10.20.0.0/33";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.network.cidr = "10.20.0.0/33": expected an IPv4 CIDR block such as 10.20.0.0/16',
  },
  {
    name: "CIDR with host bits set",
    stack: "us",
    mutate: (r) => {
      r.network.cidr = "10.20.5.0/16";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.network.cidr = "10.20.5.0/16": expected a network address with no host bits set (did you mean 10.20.0.0/16?)',
  },
  {
    name: "public network range",
    stack: "uk",
    mutate: (r) => {
      r.network.cidr = "8.8.0.0/16";
    },
    expected:
      'Pulumi.uk.yaml: multicloud:region.network.cidr = "8.8.0.0/16": expected a private range (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)',
  },
  {
    name: "overlapping ranges inside a region",
    stack: "us",
    mutate: (r) => {
      r.gke.network.pods = "10.20.128.0/17";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.gke.network.pods = "10.20.128.0/17": expected a range apart from network.cidr (10.20.0.0/16): they overlap',
  },
  {
    name: "control plane range of the wrong size",
    stack: "jp",
    mutate: (r) => {
      r.gke.network.controlPlane = "172.16.0.0/24";
    },
    expected:
      'Pulumi.jp.yaml: multicloud:region.gke.network.controlPlane = "172.16.0.0/24": expected a /28 block (GKE requires it for the control plane)',
  },
  {
    name: "single MySQL host (no replica)",
    stack: "uk",
    mutate: (r) => {
      r.hosts.mysql.count = 1;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.hosts.mysql.count = 1: expected 0, or 2 or more: a primary and at least one replica",
  },
  {
    name: "zone outside the region",
    stack: "us",
    mutate: (r) => {
      r.aws.zones = ["us-west-2a", "us-east-1b", "us-west-2c"];
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.aws.zones[1] = "us-east-1b": expected a zone of us-west-2',
  },
  {
    name: "backups in the region itself",
    stack: "us",
    mutate: (r) => {
      r.dr.backupLocation = "us-west-2";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.dr.backupLocation = "us-west-2": expected an AWS region other than us-west-2, such as us-east-1',
  },
  {
    name: "backup retention below a week",
    stack: "uk",
    mutate: (r) => {
      r.dr.backupRetentionDays = 3;
    },
    expected:
      "Pulumi.uk.yaml: multicloud:region.dr.backupRetentionDays = 3: expected a whole number from 7 to 35",
  },
  {
    name: "unknown size",
    stack: "uk",
    mutate: (r) => {
      r.hosts.app.size = "huge";
    },
    expected:
      'Pulumi.uk.yaml: multicloud:region.hosts.app.size = "huge": expected one of small, medium, large, xlarge, 2xlarge',
  },
  {
    name: "dedicated placement outside Sakura",
    stack: "us",
    mutate: (r) => {
      r.hosts.app.placement = "dedicated";
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.hosts.app.placement = "dedicated": expected cloud: dedicated servers exist only on sakura',
  },
  {
    name: "dedicated servers fewer than the role's count",
    stack: "jp",
    mutate: (r) => {
      r.hosts.app.count = 6;
    },
    expected:
      "Pulumi.jp.yaml: multicloud:region.hosts.app.count = 6: expected 4: sakura.dedicated lists 4 app server(s) but the role needs 6",
  },
  {
    name: "dedicated server outside the kept range",
    stack: "jp",
    mutate: (r) => {
      r.sakura.dedicated[0].address = "10.10.64.11";
    },
    expected:
      'Pulumi.jp.yaml: multicloud:region.sakura.dedicated[0].address = "10.10.64.11": expected an address in 10.10.192.0/18, the part of network.cidr kept for dedicated servers',
  },
  {
    name: "load balancer on Sakura",
    stack: "jp",
    mutate: (r) => {
      r.front.mode = "loadBalancer";
    },
    expected:
      'Pulumi.jp.yaml: multicloud:region.front.mode = "loadBalancer": expected dnsRoundRobin: this program runs no load balancer on Sakura',
  },
  {
    name: "control plane open to the internet",
    stack: "us",
    mutate: (r) => {
      r.gke.authorizedNetworks = [{ name: "all", cidr: "0.0.0.0/0" }];
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.gke.authorizedNetworks[0].cidr = "0.0.0.0/0": expected a narrow range (/8 or longer): the control plane must not be open to the internet',
  },
  {
    name: "missing owner tag",
    stack: "uk",
    mutate: (r) => {
      r.tags = { "cost-center": "x" };
    },
    expected: /multicloud:region\.tags = \{"cost-center":"x"\}: expected an owner tag/,
  },
  {
    name: "tag value GCP labels would refuse",
    stack: "uk",
    mutate: (r) => {
      r.tags.owner = "SRE Team";
    },
    expected:
      /multicloud:region\.tags\.owner = "SRE Team": expected a tag value of lower-case letters/,
  },
  {
    name: "a list where a mapping belongs",
    stack: "us",
    mutate: (r) => {
      r.hosts = ["nginx", "app"];
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.hosts = ["nginx","app"]: expected a mapping (key: value pairs)',
  },
  {
    name: "RDS autoscaling ceiling below the storage",
    stack: "us",
    mutate: (r) => {
      r.aws.rds[0].maxStorageGb = 50;
    },
    expected:
      "Pulumi.us.yaml: multicloud:region.aws.rds[0].maxStorageGb = 50: expected at least 10% above storageGb (100): 110 or more",
  },
  {
    name: "RDS autoscaling ceiling above the storage by less than 10%",
    stack: "us",
    mutate: (r) => {
      r.aws.rds[0].storageGb = 200;
      r.aws.rds[0].maxStorageGb = 219;
    },
    expected:
      "Pulumi.us.yaml: multicloud:region.aws.rds[0].maxStorageGb = 219: expected at least 10% above storageGb (200): 220 or more",
  },
  {
    name: "DNS round robin on GCP",
    stack: "uk",
    mutate: (r) => {
      r.front.mode = "dnsRoundRobin";
      delete r.front.failover;
    },
    expected:
      'Pulumi.uk.yaml: multicloud:region.front.mode = "dnsRoundRobin": expected loadBalancer: GCP hosts have no public addresses to rotate',
  },
  {
    name: "no operations networks where SSH and a control plane admit only them",
    stack: "jp",
    mutate: (r) => {
      delete r.operations;
    },
    expected:
      "Pulumi.jp.yaml: multicloud:region.operations is missing: expected { cidrs: [...] }, the networks pulumi runs from: SSH on the Sakura hosts and the GKE control plane admit them and nothing else",
  },
  {
    name: "an authorized network that operations.cidrs admits already",
    stack: "us",
    mutate: (r) => {
      r.gke.authorizedNetworks = [{ name: "ops-vpn", cidr: "198.51.100.128/25" }];
    },
    expected:
      'Pulumi.us.yaml: multicloud:region.gke.authorizedNetworks[0].cidr = "198.51.100.128/25": expected a network beyond operations.cidrs: operations.cidrs[0] (198.51.100.0/24) admits it already',
  },
  {
    name: "an internal zone under which the region's own domain falls",
    stack: "jp",
    mutate: (r) => {
      r.dns = { internalDomain: "jp" };
    },
    expected:
      'Pulumi.jp.yaml: multicloud:region.dns.internalDomain = "jp": expected a zone apart from jp: the region\'s domain example.jp would resolve inside the internal zone',
  },
  {
    name: "GKE maintenance window too short",
    stack: "jp",
    mutate: (r) => {
      r.gke.maintenance = { startUtc: "17:00", hours: 4, days: ["SU"] };
    },
    expected:
      /^Pulumi\.jp\.yaml: multicloud:region\.gke\.maintenance = \{.*\}: expected at least 12 hours a week \(now 4\)/,
  },
];

function errorLines(raw: unknown, file: string): string[] {
  try {
    parseRegionSpec(raw, file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message.split("\n");
  }
  assert.fail("the bad config was accepted");
}

describe("bad config", () => {
  it("has at least 20 distinct cases", () => {
    assert.ok(cases.length >= 20, `only ${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  for (const testCase of cases) {
    it(`${testCase.name}: one clear line naming file and key`, () => {
      const raw = rawRegion(testCase.stack);
      testCase.mutate(raw);
      const lines = errorLines(raw, `Pulumi.${testCase.stack}.yaml`);
      assert.equal(lines.length, 1, `expected one problem, got:\n${lines.join("\n")}`);
      const [line] = lines;
      if (typeof testCase.expected === "string") assert.equal(line, testCase.expected);
      else assert.match(line ?? "", testCase.expected);
      assert.doesNotMatch(line ?? "", /\n|\bat \w+ \(/, "no stack trace");
    });
  }

  it("reports every problem of a file, one line each", () => {
    const raw = rawRegion("uk");
    raw.consul = { ...(raw.consul as object), servers: 2 };
    (raw.hosts as Raw).app.count = 0;
    const lines = errorLines(raw, "Pulumi.uk.yaml");
    assert.equal(lines.length, 2);
    assert.ok(lines.every((line) => line.startsWith("Pulumi.uk.yaml: multicloud:region.")));
  });

  it("an unknown key does not keep the rules across keys from running", () => {
    const raw = rawRegion("jp") as Raw;
    raw.hosts.constructor = null;
    delete raw.operations;
    assert.deepEqual(errorLines(raw, "Pulumi.jp.yaml"), [
      "Pulumi.jp.yaml: multicloud:region.hosts.constructor is not a known key: expected only the keys nginx, app, mysql, memcached, util, chocon",
      "Pulumi.jp.yaml: multicloud:region.operations is missing: expected { cidrs: [...] }, the networks pulumi runs from: SSH on the Sakura hosts and the GKE control plane admit them and nothing else",
    ]);
  });

  it("a missing region key says what is missing", () => {
    assert.deepEqual(errorLines(undefined, "Pulumi.us.yaml"), [
      "Pulumi.us.yaml: multicloud:region is missing: expected the region's spec (see the config reference in README.md)",
    ]);
  });

  it("another region's GKE ranges count as much as its network", () => {
    const spec = parseRegionSpec(rawRegion("us"), "Pulumi.us.yaml");
    const lines = (change: (jp: Raw) => void) => {
      const jp = rawRegion("jp") as Raw;
      change(jp);
      try {
        checkPeerRanges(spec, "Pulumi.us.yaml", [{ file: "Pulumi.jp.yaml", raw: jp }]);
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.message.split("\n");
      }
      return [];
    };
    assert.deepEqual(
      lines((jp) => {
        jp.gke.network.nodes = "10.20.96.0/20";
      }),
      [
        'Pulumi.us.yaml: multicloud:region.network.cidr = "10.20.0.0/16": expected a range apart from ' +
          "multicloud:region.gke.network.nodes (10.20.96.0/20) in Pulumi.jp.yaml: regions are connected, so their ranges must not overlap",
      ],
    );
    assert.deepEqual(
      lines((jp) => {
        jp.gke.network.controlPlane = "172.16.0.16/28";
      }),
      [
        'Pulumi.us.yaml: multicloud:region.gke.network.controlPlane = "172.16.0.16/28": expected a range apart from ' +
          "multicloud:region.gke.network.controlPlane (172.16.0.16/28) in Pulumi.jp.yaml: regions are connected, so their ranges must not overlap",
      ],
    );
  });

  it("ranges that overlap another region's name both files", () => {
    const spec = parseRegionSpec(rawRegion("us"), "Pulumi.us.yaml");
    const jp = rawRegion("jp");
    (jp.network as Raw).cidr = "10.20.0.0/16";
    assert.throws(
      () => checkPeerRanges(spec, "Pulumi.us.yaml", [{ file: "Pulumi.jp.yaml", raw: jp }]),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          'Pulumi.us.yaml: multicloud:region.network.cidr = "10.20.0.0/16": expected a range apart from ' +
            "multicloud:region.network.cidr (10.20.0.0/16) in Pulumi.jp.yaml: regions are connected, so their ranges must not overlap",
    );
  });
});
