// The region as people draw it, read from the plan: the front, the tiers of hosts with their
// counts, the data stores, the DNS layer, GKE and the chocon links between clouds. About 15-25
// boxes, so the picture reads at a glance; the plan's 150-330 resources stay in plan.txt.
import { has, ofType, type RoleHosts, roleHosts, str } from "./diagram-hosts";
import { dnsLayer, gkeLayer, siteGroup } from "./diagram-layers";
import type { Architecture, Builder, Tier } from "./diagram-types";
import type { Plan } from "./plan";

const ROLE_ORDER = ["nginx", "app", "mysql", "memcached", "util", "chocon"];

const ROLE_NOTES: Readonly<Record<string, string>> = {
  nginx: "web front",
  app: "application servers",
  mysql: "primary + replica",
  memcached: "cache",
  util: "Consul servers, batch",
  chocon: "keep-alive proxy",
};

const PLACEMENT_WORDS: Readonly<Record<RoleHosts["placement"], string>> = {
  scaled: "auto-scaled group",
  fixed: "fixed VMs",
  dedicated: "dedicated servers",
};

const TIER_OF: Readonly<Record<string, Tier>> = {
  nginx: "web",
  app: "app",
  mysql: "data",
  memcached: "data",
  chocon: "data",
  util: "dns",
};

/** The stack's domain: from its outputs, else from the public zone. */
function domainOf(plan: Plan): string {
  const zone = ofType(plan, "aws:route53/zone:Zone").find((z) => !Array.isArray(z.inputs.vpcs));
  return str(plan.outputs.domain) ?? str(zone?.inputs.name) ?? plan.stack;
}

export function buildArchitecture(plan: Plan): Architecture {
  const b: Builder = { groups: [], nodes: [], edges: [] };
  const hosts = roleHosts(plan).sort(
    (x, y) => ROLE_ORDER.indexOf(x.role) - ROLE_ORDER.indexOf(y.role),
  );
  const domain = domainOf(plan);
  const siteCloud = hosts[0]?.cloud;

  b.nodes.push({ id: "users", lines: ["Users"], shape: "oval" });

  // Public DNS: Route53 serves every region's domain.
  const healthChecks = ofType(plan, "aws:route53/healthCheck:HealthCheck").length;
  const roundRobin = plan.resources.some((r) => r.type === "multicloud:dns:RoundRobin");
  b.groups.push({ id: "aws", label: "AWS", cloud: "aws" });
  b.groups.push({ id: "route53", label: "Route53 (global)", cloud: "aws", parent: "aws" });
  b.nodes.push({
    id: "public_zone",
    lines: [
      `${domain} public zone`,
      roundRobin
        ? `round robin to nginx, ${healthChecks} health checks`
        : "apex and www to the front",
    ],
    group: "route53",
    shape: "box",
    tier: "front",
  });
  b.edges.push({ from: "users", to: "public_zone", label: "resolve", dashed: true });

  const site = siteGroup(plan, b, siteCloud);
  const groupFor = (h: RoleHosts) =>
    h.placement === "dedicated" ? "sakura_dedicated" : site.hostsGroup;
  for (const h of hosts) {
    b.nodes.push({
      id: `role_${h.role}`,
      lines: [
        `${h.role} x${h.count}`,
        `${ROLE_NOTES[h.role] ?? h.role}, ${PLACEMENT_WORDS[h.placement]}`,
        ...(h.dataDiskGb ? [`data disk ${h.dataDiskGb} GB each`] : []),
      ],
      group: groupFor(h),
      shape: h.role === "mysql" ? "cylinder" : "box",
      ...(TIER_OF[h.role] ? { tier: TIER_OF[h.role] } : {}),
    });
  }
  const role = (name: string) => hosts.some((h) => h.role === name);

  // The front: a cloud load balancer, or DNS round robin straight to nginx.
  if (
    has(plan, "aws:lb/loadBalancer:LoadBalancer") ||
    has(plan, "gcp:compute/globalForwardingRule:GlobalForwardingRule")
  ) {
    const aws = has(plan, "aws:lb/loadBalancer:LoadBalancer");
    const armor = has(plan, "gcp:compute/securityPolicy:SecurityPolicy");
    b.nodes.push({
      id: "front",
      lines: aws
        ? ["Application Load Balancer", "HTTPS (ACM), access logs to S3"]
        : ["Cloud Load Balancer", `HTTPS (Certificate Manager)${armor ? ", Cloud Armor" : ""}`],
      group: site.group,
      shape: "box",
      tier: "front",
    });
    b.edges.push({ from: "users", to: "front", label: "HTTPS" });
    if (role("nginx")) b.edges.push({ from: "front", to: "role_nginx", label: "HTTP" });
  } else if (role("nginx")) {
    b.edges.push({ from: "users", to: "role_nginx", label: "HTTPS" });
    b.edges.push({ from: "public_zone", to: "role_nginx", label: "A records", dashed: true });
  }
  if (role("nginx") && role("app"))
    b.edges.push({ from: "role_nginx", to: "role_app", label: ":8080" });
  if (role("app") && role("mysql"))
    b.edges.push({ from: "role_app", to: "role_mysql", label: ":3306" });
  if (role("app") && role("memcached"))
    b.edges.push({ from: "role_app", to: "role_memcached", label: ":11211" });

  const rds = ofType(plan, "aws:rds/instance:Instance");
  if (rds.length > 0) {
    const engine = str(rds[0]?.inputs.engine) ?? "database";
    const version = str(rds[0]?.inputs.engineVersion) ?? "";
    const multiAz = rds.every((r) => r.inputs.multiAz === true);
    b.nodes.push({
      id: "rds",
      lines: [
        `RDS ${engine === "mysql" ? "MySQL" : engine} ${version} x${rds.length}`.trim(),
        rds.map((r) => str(r.inputs.dbName) ?? r.name).join(", "),
        ...(multiAz ? ["multi-AZ"] : []),
      ],
      group: site.hostsGroup,
      shape: "cylinder",
      tier: "data",
    });
    if (role("app")) b.edges.push({ from: "role_app", to: "rds", label: ":3306" });
  }

  dnsLayer(plan, b, site, hosts);
  const gke = gkeLayer(plan, b, domain);
  if (role("app") && role("chocon"))
    b.edges.push({ from: "role_app", to: "role_chocon", label: "*.ccnproxy-https" });
  if (role("chocon")) {
    if (gke) {
      b.edges.push({
        from: "role_chocon",
        to: gke.gateway,
        label: `pooled HTTPS to ${gke.where}`,
        crossCloud: true,
      });
    } else {
      b.nodes.push({
        id: "external",
        lines: ["HTTPS APIs", "other regions and services"],
        shape: "oval",
      });
      b.edges.push({
        from: "role_chocon",
        to: "external",
        label: "pooled HTTPS",
        crossCloud: true,
      });
    }
  }
  if (gke?.chocon) {
    const target = b.nodes.some((n) => n.id === "front") ? "front" : "role_nginx";
    if (b.nodes.some((n) => n.id === target))
      b.edges.push({
        from: gke.chocon,
        to: target,
        label: "monolith API via chocon",
        crossCloud: true,
      });
  }
  return {
    title: `Region ${plan.stack}: ${domain}`,
    subtitle: `From the offline plan (${plan.resources.length} resources). Green: links between clouds through chocon; dashed: DNS and Consul.`,
    groups: b.groups,
    nodes: b.nodes,
    edges: b.edges,
  };
}
