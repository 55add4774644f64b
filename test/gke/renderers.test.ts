// The pure parts of the GKE components: what they render from the spec, and what they refuse.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_RULE_PRIORITY } from "../../components/gcp/cloud-armor";
import {
  choconClusterIp,
  controlPlaneAccess,
  maintenanceWindow,
} from "../../components/gke/cluster-settings";
import { isNameserver, renderStubDomains } from "../../components/gke/consul-stub-domains";
import { gatewayArmorArgs, gatewayArmorName } from "../../components/gke/gateway-armor";
import { publicName } from "../../components/gke/gateway-edge";
import { imagesOutside } from "../../components/gke/image-policy";
import { renderKubeconfig } from "../../components/gke/kubeconfig";
import { choconArgs } from "../../components/gke/workloads/chocon-args";
import { gatewayRouteRules } from "../../components/gke/workloads/gateway-api";
import {
  renderGatewayRoutes,
  upstreamPortsByNamespace,
} from "../../components/gke/workloads/gateway-routes";
import { allowIngressFromNamespaces } from "../../components/gke/workloads/network-policies";

describe("kube-dns stub domains", () => {
  it("forwards the domain to each server once, ports allowed", () => {
    assert.equal(
      renderStubDomains("consul", ["10.10.68.16", "10.10.68.17:8600", "10.10.68.16"]),
      '{"consul":["10.10.68.16","10.10.68.17:8600"]}',
    );
  });
  it("refuses no servers, names and bad ports", () => {
    assert.throws(() => renderStubDomains("consul", []), /no DNS server/);
    assert.throws(() => renderStubDomains("consul", ["consul.local"]), /consul\.local/);
    assert.equal(isNameserver("10.0.0.1:70000"), false);
    assert.equal(isNameserver("10.0.0.256"), false);
    assert.equal(isNameserver("10.0.0.1:53"), true);
  });
});

describe("gateway routes", () => {
  const routes = [
    { prefix: "/v1", service: "monolith", port: 50051 },
    { prefix: "/v1/items", service: "item", port: 50051 },
    { prefix: "/v1/items/search", service: "search", port: 50052 },
    { prefix: "/v1/items/admin", service: "item", port: 50053 },
  ];
  it("puts the most specific prefix first and names each upstream by its namespace", () => {
    const document = JSON.parse(renderGatewayRoutes(routes)) as {
      listen: string;
      routes: { prefix: string; upstream: string; protocol: string }[];
    };
    assert.equal(document.listen, ":8080");
    assert.deepEqual(
      document.routes.map((r) => r.prefix),
      ["/v1/items/search", "/v1/items/admin", "/v1/items", "/v1"],
    );
    assert.equal(document.routes[0]?.upstream, "search.search.svc.cluster.local:50052");
    assert.ok(document.routes.every((r) => r.protocol === "grpc"));
  });
  it("refuses a prefix listed twice", () => {
    assert.throws(
      () => renderGatewayRoutes([...routes, { prefix: "/v1", service: "x", port: 1 }]),
      /\/v1 is listed twice/,
    );
  });
  it("groups the ports the gateway dials by namespace", () => {
    assert.deepEqual(upstreamPortsByNamespace(routes), [
      { namespace: "item", ports: [50051, 50053] },
      { namespace: "monolith", ports: [50051] },
      { namespace: "search", ports: [50052] },
    ]);
  });
  it("splits many prefixes over rules and refuses more than one route holds", () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ prefix: `/p${i}`, service: "s", port: 1 }));
    const rules = gatewayRouteRules(many(70), "api-gateway", 80);
    assert.deepEqual(
      rules.map((r) => r.matches?.length),
      [64, 6],
    );
    assert.throws(() => gatewayRouteRules(many(1025), "api-gateway", 80), /exceed/);
  });
});

describe("gateway Cloud Armor policy", () => {
  type Rule = {
    priority: number;
    action: string;
    match: { expr?: { expression: string } };
    rateLimitOptions?: { rateLimitThreshold: { count: number; intervalSec: number } };
  };
  const build = (rateLimit?: Parameters<typeof gatewayArmorArgs>[0]["rateLimit"]) =>
    gatewayArmorArgs({
      name: gatewayArmorName("us-gke"),
      hostname: "api.example.com",
      labels: { owner: "platform" },
      rateLimit,
    });
  const rulesOf = (args: ReturnType<typeof build>) => args.rules as Rule[];

  it("denies every WAF rule set first, then rate-limits, then allows", () => {
    const args = build();
    assert.equal(args.name, "us-gke-gateway-armor");
    assert.equal(args.type, "CLOUD_ARMOR");
    const rules = rulesOf(args);
    const priorities = rules.map((r) => r.priority);
    assert.deepEqual(
      priorities,
      [...priorities].sort((a, b) => a - b),
      "listed in evaluation order",
    );
    assert.equal(new Set(priorities).size, priorities.length, "priorities are unique");
    assert.deepEqual(
      rules.map((r) => r.action),
      [...Array(6).fill("deny(403)"), "rate_based_ban", "allow"],
    );
    assert.deepEqual(
      rules.slice(0, 6).map((r) => r.match.expr?.expression),
      [
        "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('scannerdetection-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('protocolattack-v33-stable', {'sensitivity': 1})",
      ],
    );
    assert.equal(rules.at(-1)?.priority, DEFAULT_RULE_PRIORITY);
  });

  it("parses JSON bodies, turns on adaptive protection and takes a custom rate limit", () => {
    const limit = {
      requests: 10,
      intervalSec: 60,
      banRequests: 50,
      banIntervalSec: 600,
      banDurationSec: 300,
    };
    const args = build(limit);
    assert.deepEqual(args.advancedOptionsConfig, { jsonParsing: "STANDARD", logLevel: "NORMAL" });
    assert.deepEqual(args.adaptiveProtectionConfig, {
      layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" },
    });
    const rate = rulesOf(args).find((r) => r.action === "rate_based_ban");
    assert.deepEqual(rate?.rateLimitOptions?.rateLimitThreshold, { count: 10, intervalSec: 60 });
    assert.deepEqual(args.labels, { owner: "platform" });
  });
});

describe("maintenance window", () => {
  it("renders a weekly window of the spec's length from its start time", () => {
    assert.deepEqual(maintenanceWindow({ startUtc: "17:00", hours: 6, days: ["SA", "SU"] }), {
      startTime: "2024-01-01T17:00:00Z",
      endTime: "2024-01-01T23:00:00Z",
      recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
    });
  });
  it("crosses midnight", () => {
    const window = maintenanceWindow({ startUtc: "22:30", hours: 6, days: ["SU", "WE"] });
    assert.equal(window.endTime, "2024-01-02T04:30:00Z");
  });
  it("refuses windows shorter than GKE's 48 hours in 32 days", () => {
    assert.throws(
      () => maintenanceWindow({ startUtc: "01:00", hours: 4, days: ["MO", "TU"] }),
      /48 hours/,
    );
    assert.doesNotThrow(() =>
      maintenanceWindow({ startUtc: "01:00", hours: 4, days: ["MO", "TU", "WE"] }),
    );
  });
});

describe("control plane access", () => {
  it("keeps the public endpoint, limited, when an authorized network is public", () => {
    const access = controlPlaneAccess({
      authorizedNetworks: [
        { name: "office", cidr: "203.0.113.0/24" },
        { name: "vpn", cidr: "10.10.0.0/16" },
      ],
    });
    assert.equal(access.privateEndpointOnly, false);
    assert.deepEqual(access.cidrBlocks, [
      { cidrBlock: "203.0.113.0/24", displayName: "office" },
      { cidrBlock: "10.10.0.0/16", displayName: "vpn" },
    ]);
  });
  it("turns the public endpoint off when every network is private, or there is none", () => {
    assert.equal(
      controlPlaneAccess({ authorizedNetworks: [{ name: "vpn", cidr: "10.10.0.0/16" }] })
        .privateEndpointOnly,
      true,
    );
    assert.equal(controlPlaneAccess({ authorizedNetworks: [] }).privateEndpointOnly, true);
  });
});

describe("chocon", () => {
  // Flags chocon (github.com/kazeburo/chocon) declares; it exits on any other.
  const CHOCON_FLAGS = [
    "listen",
    "port",
    "access-log-dir",
    "access-log-rotate",
    "keepalive-conns",
    "max-conns-per-host",
    "read-timeout",
    "write-timeout",
    "proxy-read-timeout",
    "upstream",
    "stsize",
    "spfactor",
  ];
  it("passes the region's pool and timeout settings as flags chocon knows", () => {
    const args = choconArgs({
      maxIdleConnsPerHost: 64,
      idleTimeoutSeconds: 90,
      upstreamTimeoutSeconds: 15,
    });
    assert.ok(args.includes("--keepalive-conns=64"));
    assert.ok(args.includes("--proxy-read-timeout=15"));
    assert.ok(args.includes("--port=8080"));
    for (const arg of args) {
      const flag = /^--([a-z-]+)=/.exec(arg)?.[1];
      assert.ok(flag && CHOCON_FLAGS.includes(flag), arg);
    }
  });
  it("pins chocon's ClusterIP inside the services range, away from kube-dns", () => {
    assert.equal(
      choconClusterIp({
        network: {
          nodes: "10.11.0.0/20",
          pods: "10.12.0.0/14",
          services: "10.11.16.0/20",
          controlPlane: "172.16.0.0/28",
        },
      }),
      "10.11.16.80",
    );
  });
  it("admits clients by namespace name and by the client label", () => {
    const spec = allowIngressFromNamespaces("chocon", 8080, ["item"], "multicloud/chocon-client");
    const from = JSON.stringify(spec.ingress);
    assert.match(from, /"values":\["item"\]/);
    assert.match(from, /"multicloud\/chocon-client":"true"/);
    const labelOnly = allowIngressFromNamespaces("chocon", 8080, [], "multicloud/chocon-client");
    assert.doesNotMatch(JSON.stringify(labelOnly), /matchExpressions/);
  });
});

describe("kubeconfig", () => {
  it("points at the endpoint with the cluster CA and takes credentials from the GKE plugin", () => {
    const text = renderKubeconfig({
      name: "jp-gke",
      endpoint: "203.0.113.9",
      caCertificate: "Q0E=",
    });
    const config = JSON.parse(text);
    assert.equal(config["current-context"], "jp-gke");
    assert.equal(config.clusters[0].cluster.server, "https://203.0.113.9");
    assert.equal(config.clusters[0].cluster["certificate-authority-data"], "Q0E=");
    assert.equal(config.users[0].user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(config.users[0].user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.doesNotMatch(text, /token|password|client-key/);
  });
});

describe("names and images", () => {
  it("resolves spec names against the domain", () => {
    assert.equal(publicName("@", "example.jp"), "example.jp");
    assert.equal(publicName("api", "example.jp"), "api.example.jp");
  });
  it("finds images outside the allowed repositories", () => {
    const repo = "us-west1-docker.pkg.dev/example-us-prod/services";
    assert.deepEqual(
      imagesOutside([`${repo}/chocon:1`, `${repo}x/evil:1`, "docker.io/library/nginx:1"], [repo]),
      [`${repo}x/evil:1`, "docker.io/library/nginx:1"],
    );
  });
});
