// The architecture diagram from small hand-made plans: roles and counts, the front, GKE and the
// chocon links, DOT escaping, and an SVG that is well-formed XML.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { architectureDot } from "../../tools/plan/diagram-dot";
import { roleHosts } from "../../tools/plan/diagram-hosts";
import { buildArchitecture } from "../../tools/plan/diagram-model";
import { renderSvg } from "../../tools/plan/diagram-render";
import type { Architecture } from "../../tools/plan/diagram-types";
import type { Plan } from "../../tools/plan/plan";
import { assertWellFormedXml, plan, resource, svgTexts } from "./plans";

const awsProvider = resource("pulumi:providers:aws", "us-aws-aws", {
  inputs: { region: "us-west-2" },
});
const onAws = { provider: awsProvider.urn };
const instance = (role: string, n: number, protect = false) =>
  resource("aws:ec2/instance:Instance", `us-${role}-${n}`, {
    ...onAws,
    protect,
    inputs: { tags: { role, Name: `${role}-${n}` }, userData: "packages:\n  - unbound\n" },
  });
const awsPlan: Plan = {
  ...plan(
    awsProvider,
    resource("aws:ec2/vpc:Vpc", "us-vpc", { ...onAws, inputs: { cidrBlock: "10.20.0.0/16" } }),
    resource("aws:route53/zone:Zone", "us-public-zone", { inputs: { name: "example.com" } }),
    resource("aws:route53/zone:Zone", "us-local", {
      inputs: { name: "local", vpcs: [{ vpcId: "v" }] },
    }),
    resource("aws:lb/loadBalancer:LoadBalancer", "us-alb", onAws),
    resource("aws:autoscaling/group:Group", "us-fleet-nginx-asg", {
      inputs: { desiredCapacity: 3, tags: [{ key: "role", value: "nginx" }] },
    }),
    resource("aws:autoscaling/group:Group", "us-fleet-app-asg", { inputs: { desiredCapacity: 6 } }),
    instance("mysql", 1, true),
    instance("mysql", 2, true),
    resource("aws:ebs/volume:Volume", "us-mysql-1-data", {
      inputs: { size: 500, tags: { role: "mysql" } },
    }),
    instance("memcached", 1),
    instance("util", 1, true),
    instance("util", 2, true),
    instance("util", 3, true),
    instance("chocon", 1),
    resource("aws:rds/instance:Instance", "us-db-accounts", {
      inputs: { engine: "mysql", engineVersion: "8.4", dbName: "accounts", multiAz: true },
    }),
    resource("aws:secretsmanager/secret:Secret", "us-secret-1"),
  ),
  outputs: { domain: "example.com" },
};

const gcpProvider = resource("pulumi:providers:gcp", "jp-gke-gcp", {
  inputs: { project: "example-jp-prod", region: "asia-northeast1" },
});
const sakuraPlan: Plan = plan(
  resource("aws:route53/zone:Zone", "jp-public-zone", { inputs: { name: "example.jp" } }),
  resource("multicloud:dns:RoundRobin", "jp-front", { custom: false }),
  resource("aws:route53/healthCheck:HealthCheck", "jp-front-nginx-1"),
  ...["nginx", "nginx", "util", "chocon"].map((role, i) =>
    resource("pulumi-nodejs:dynamic/sakuracloud:Server", `jp-sakura-${role}-${i}`, {
      inputs: {
        zone: "tk1a",
        tags: ["owner=sre-jp", `role=${role}`],
        cloudInitUserData: "unbound",
      },
    }),
  ),
  resource("command:remote:Command", "jp-sakura-app01-bootstrap", {
    inputs: { stdin: "#!/usr/bin/env bash\n# multicloud host bootstrap, role app, region jp.\n" },
  }),
  resource("command:remote:Command", "jp-sakura-db01-bootstrap", {
    inputs: { stdin: "# multicloud host bootstrap, role mysql, region jp.\n" },
  }),
  resource("command:remote:Command", "jp-sakura-db01-secrets", { inputs: { stdin: "[secret]" } }),
  gcpProvider,
  resource("gcp:container/cluster:Cluster", "jp-gke-cluster", {
    provider: gcpProvider.urn,
    inputs: { location: "asia-northeast1" },
  }),
  resource("gcp:container/nodePool:NodePool", "jp-gke-general", {
    inputs: { namePrefix: "general-", autoscaling: { minNodeCount: 1, maxNodeCount: 6 } },
  }),
  resource("multicloud:gke:ApiGateway", "jp-gke-gateway", { custom: false }),
  resource("multicloud:gke:Chocon", "jp-gke-chocon", { custom: false }),
  resource("kubernetes:core/v1:ConfigMap", "jp-gke-gateway-routes", {
    inputs: {
      data: {
        "routes.json": JSON.stringify({
          routes: [
            { upstream: "item.item.svc.cluster.local:50051" },
            { upstream: "user.user.svc:1" },
          ],
        }),
      },
    },
  }),
);

function labels(architecture: Architecture): string[] {
  return architecture.nodes.map((n) => n.lines.join(" / "));
}

function edge(architecture: Architecture, from: string, to: string) {
  return architecture.edges.find((e) => e.from === from && e.to === to);
}

describe("roleHosts", () => {
  it("counts hosts per role from instances, groups, servers and dedicated servers", () => {
    const aws = roleHosts(awsPlan).map((h) => [h.role, h.count, h.placement, h.dataDiskGb]);
    assert.deepEqual(aws, [
      ["mysql", 2, "fixed", 500],
      ["memcached", 1, "fixed", undefined],
      ["util", 3, "fixed", undefined],
      ["chocon", 1, "fixed", undefined],
      ["nginx", 3, "scaled", undefined],
      ["app", 6, "scaled", undefined],
    ]);
    const jp = roleHosts(sakuraPlan).map((h) => [h.role, h.count, h.placement]);
    assert.deepEqual(jp, [
      ["nginx", 2, "fixed"],
      ["util", 1, "fixed"],
      ["chocon", 1, "fixed"],
      ["app", 1, "dedicated"],
      ["mysql", 1, "dedicated"],
    ]);
  });
});

describe("buildArchitecture", () => {
  const aws = buildArchitecture(awsPlan);
  const jp = buildArchitecture(sakuraPlan);

  it("draws the tiers with counts, the load balancer and RDS", () => {
    const all = labels(aws);
    for (const expected of [
      "Users",
      "example.com public zone / apex and www to the front",
      "nginx x3 / web front, auto-scaled group",
      "app x6 / application servers, auto-scaled group",
      "mysql x2 / primary + replica, fixed VMs / data disk 500 GB each",
      "util x3 / Consul servers, batch, fixed VMs",
      "RDS MySQL 8.4 x1 / accounts / multi-AZ",
      "Application Load Balancer / HTTPS (ACM), access logs to S3",
      "Route53 private zone local. / 0 host and role names",
      "Secrets Manager / 1 host secrets, KMS-encrypted",
    ])
      assert.ok(all.includes(expected), `${expected} in ${all.join(" | ")}`);
    assert.ok(edge(aws, "front", "role_nginx"));
    assert.ok(edge(aws, "role_app", "rds"));
    assert.ok(edge(aws, "unbound", "internal_zone")?.dashed);
    assert.equal(aws.title, "Region t: example.com");
    assert.equal(aws.groups.find((g) => g.id === "aws_vpc")?.label, "us-west-2 VPC 10.20.0.0/16");
  });

  it("without a load balancer, users reach nginx by DNS round robin", () => {
    assert.ok(edge(jp, "users", "role_nginx"));
    assert.ok(edge(jp, "public_zone", "role_nginx")?.dashed);
    assert.equal(edge(jp, "users", "front"), undefined);
    const zone = jp.nodes.find((n) => n.id === "public_zone");
    assert.equal(zone?.lines[1], "round robin to nginx, 1 health checks");
    assert.equal(jp.nodes.find((n) => n.id === "role_app")?.group, "sakura_dedicated");
  });

  it("draws GKE with the gateway, the services and chocon, linked across clouds", () => {
    const all = labels(jp);
    assert.ok(all.includes("microservices / item, user"), all.join(" | "));
    assert.equal(jp.groups.find((g) => g.id === "gke")?.label, "GKE asia-northeast1");
    const link = edge(jp, "role_chocon", "gke_gateway");
    assert.equal(link?.crossCloud, true);
    assert.equal(link?.label, "pooled HTTPS to GKE asia-northeast1");
    assert.equal(edge(jp, "gke_chocon", "role_nginx")?.crossCloud, true);
    assert.ok(all.includes("host secrets / pushed over SSH to 1 hosts"));
  });

  it("without GKE, chocon leads to other HTTPS APIs", () => {
    assert.equal(edge(aws, "role_chocon", "external")?.crossCloud, true);
  });
});

describe("architectureDot and renderSvg", () => {
  it("escapes labels and groups nodes in clusters", () => {
    const odd = buildArchitecture({ ...awsPlan, outputs: { domain: 'a<b>&"c' } });
    const dot = architectureDot(odd);
    assert.match(dot, /a&lt;b&gt;&amp;&quot;c public zone/);
    assert.match(dot, /subgraph cluster_aws \{[\s\S]*subgraph cluster_aws_vpc \{/);
    assert.match(dot, /role_chocon -> external \[[^\]]*penwidth=2\.4/);
  });

  it("renders well-formed SVG holding the labels", async () => {
    const svg = await renderSvg(architectureDot(buildArchitecture(sakuraPlan)));
    assertWellFormedXml(svg);
    assert.match(svg, /<svg /);
    const texts = svgTexts(svg);
    for (const text of [
      "nginx x2",
      "app x1",
      "API gateway",
      "dedicated servers",
      "GKE asia-northeast1",
    ])
      assert.ok(texts.includes(text), `${text} in ${texts.join(" | ")}`);
  });

  it("the XML check itself rejects broken documents", () => {
    assert.throws(() => assertWellFormedXml("<a><b></a>"), /<\/a> closes <b>/);
    assert.throws(() => assertWellFormedXml("<a>x & y</a>"), /bare "&"/);
    assert.throws(() => assertWellFormedXml("<a></a><b/>"), /one root/);
    assert.throws(() => assertWellFormedXml("<a x=1></a>"), /malformed tag/);
    assertWellFormedXml('<?xml version="1.0"?><!-- c --><a x="1">t &amp; <b/></a>');
  });
});
