// The parts of the diagram around the host tiers: the site's network group, the DNS and host
// layer (unbound, the internal zone, Consul, secrets) and GKE with its gateway and chocon.
import {
  bootText,
  has,
  num,
  ofType,
  providerInputs,
  type RoleHosts,
  rec,
  secretStore,
  str,
} from "./diagram-hosts";
import type { Builder } from "./diagram-types";
import type { Plan } from "./plan";

export interface Site {
  /** The cloud's group (front goes here). */
  readonly group: string;
  /** Where fixed and scaled hosts go. */
  readonly hostsGroup: string;
}

export function siteGroup(plan: Plan, b: Builder, cloud: RoleHosts["cloud"] | undefined): Site {
  if (cloud === "aws") {
    const vpc = ofType(plan, "aws:ec2/vpc:Vpc")[0];
    const region = str(providerInputs(plan, vpc).region) ?? "";
    const zones = new Set(
      ofType(plan, "aws:ec2/subnet:Subnet").map((s) => str(s.inputs.availabilityZone)),
    );
    const nat = ofType(plan, "aws:ec2/natGateway:NatGateway").length;
    const endpoints = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").length;
    b.groups.push({
      id: "aws_vpc",
      label: `${region} VPC ${str(vpc?.inputs.cidrBlock) ?? ""}`.trim(),
      note: [
        `${zones.size} zones`,
        nat > 0 ? `NAT gateway x${nat}` : "",
        endpoints > 0 ? `${endpoints} VPC endpoints` : "",
        has(plan, "aws:ec2/flowLog:FlowLog") ? "flow logs" : "",
      ]
        .filter(Boolean)
        .join(", "),
      cloud: "aws",
      parent: "aws",
    });
    return { group: "aws_vpc", hostsGroup: "aws_vpc" };
  }
  if (cloud === "gcp") {
    const network = ofType(plan, "gcp:compute/network:Network").find(
      (n) => !n.name.includes("-gke-"),
    );
    const settings = providerInputs(plan, network);
    b.groups.push({ id: "gcp", label: `GCP ${str(settings.project) ?? ""}`.trim(), cloud: "gcp" });
    const subnet = ofType(plan, "gcp:compute/subnetwork:Subnetwork").find(
      (n) => !n.name.includes("-gke-"),
    );
    const rules = ofType(plan, "gcp:compute/firewall:Firewall").length;
    b.groups.push({
      id: "gcp_vpc",
      label: `${str(settings.region) ?? ""} VPC`.trim(),
      note: [
        subnet ? `hosts subnet ${str(subnet.inputs.ipCidrRange) ?? "?"}` : "",
        has(plan, "gcp:compute/routerNat:RouterNat") ? "Cloud NAT" : "",
        rules > 0 ? `${rules} firewall rules` : "",
      ]
        .filter(Boolean)
        .join(", "),
      cloud: "gcp",
      parent: "gcp",
    });
    return { group: "gcp_vpc", hostsGroup: "gcp_vpc" };
  }
  const server = ofType(plan, "pulumi-nodejs:dynamic/sakuracloud:Server")[0];
  const zone = str(server?.inputs.zone) ?? "";
  b.groups.push({
    id: "sakura",
    label: `Sakura Internet ${zone}`.trim(),
    ...(has(plan, "pulumi-nodejs:dynamic/sakuracloud:Switch")
      ? { note: "one private switch for every host" }
      : {}),
    cloud: "sakura",
  });
  b.groups.push({
    id: "sakura_cloud",
    label: "Sakura Cloud VMs",
    cloud: "sakura",
    parent: "sakura",
  });
  b.groups.push({
    id: "sakura_dedicated",
    label: "dedicated servers",
    note: "configured over SSH",
    cloud: "sakura",
    parent: "sakura",
  });
  return { group: "sakura", hostsGroup: "sakura_cloud" };
}

/** unbound on every host, the internal zone it forwards to, and Consul for `*.consul`. */
export function dnsLayer(plan: Plan, b: Builder, site: Site, hosts: readonly RoleHosts[]): void {
  const unbound = plan.resources.some((r) => bootText(r).includes("unbound"));
  const privateZone =
    ofType(plan, "aws:route53/zone:Zone").find((z) => Array.isArray(z.inputs.vpcs)) ??
    ofType(plan, "gcp:dns/managedZone:ManagedZone").find(
      (z) => z.inputs.visibility === "private" && z.inputs.dnsName === "local.",
    );
  const total = hosts.reduce((sum, h) => sum + h.count, 0);
  if (privateZone) {
    const records = plan.resources.filter(
      (r) => r.parent === privateZone.parent && /record/i.test(r.type),
    ).length;
    b.nodes.push({
      id: "internal_zone",
      lines: [
        privateZone.type.startsWith("aws:")
          ? "Route53 private zone local."
          : "Cloud DNS private zone local.",
        `${records} host and role names`,
      ],
      group: site.hostsGroup,
      shape: "box",
      tier: "dns",
    });
  }
  const secrets = secretStore(plan);
  if (secrets) {
    // Pushed secrets live on the hosts, not in a cloud service: drawn in the site's group.
    const group = site.hostsGroup === "sakura_cloud" ? site.group : site.hostsGroup;
    b.nodes.push({ id: "secrets", lines: secrets, group, shape: "box", tier: "dns" });
  }
  if (!unbound) return;
  b.nodes.push({
    id: "unbound",
    lines: [
      `every host (${total}): unbound + Consul agent`,
      "*.consul to the local Consul agent",
      privateZone ? "*.local to the internal zone" : "*.local from unbound's own zone data",
      "*.ccnproxy* to chocon",
    ],
    group: site.group,
    shape: "note",
    tier: "dns",
  });
  const side = { dashed: true, sideways: true } as const;
  if (privateZone)
    b.edges.push({ from: "unbound", to: "internal_zone", label: "*.local", ...side });
  if (hosts.some((h) => h.role === "util"))
    b.edges.push({ from: "unbound", to: "role_util", label: "Consul servers", ...side });
  if (secrets) b.edges.push({ from: "unbound", to: "secrets", label: "at boot", ...side });
}

export interface Gke {
  readonly gateway: string;
  readonly chocon?: string;
  readonly where: string;
}

/** The GKE cluster with its API gateway, the services behind it and chocon. */
export function gkeLayer(plan: Plan, b: Builder, domain: string): Gke | undefined {
  const cluster = ofType(plan, "gcp:container/cluster:Cluster")[0];
  if (!cluster) return undefined;
  const settings = providerInputs(plan, cluster);
  const location = str(cluster.inputs.location) ?? str(settings.region) ?? "";
  const pools = ofType(plan, "gcp:container/nodePool:NodePool").map((p) => {
    const scaling = rec(p.inputs.autoscaling);
    return `${str(p.inputs.namePrefix)?.replace(/-$/, "") ?? p.name} ${num(scaling.minNodeCount) ?? "?"}-${num(scaling.maxNodeCount) ?? "?"} nodes/zone`;
  });
  if (!b.groups.some((g) => g.id === "gcp"))
    b.groups.push({ id: "gcp", label: `GCP ${str(settings.project) ?? ""}`.trim(), cloud: "gcp" });
  b.groups.push({
    id: "gke",
    label: `GKE ${location}`,
    note: [
      `node pools: ${pools.join(", ")}`,
      has(plan, "gcp:binaryauthorization/policy:Policy")
        ? "images from Artifact Registry only"
        : "",
    ]
      .filter(Boolean)
      .join("; "),
    cloud: "gcp",
    parent: "gcp",
  });
  const hostname = str(plan.outputs.gatewayHostname) ?? `api.${domain}`;
  const routes = ofType(plan, "kubernetes:core/v1:ConfigMap").flatMap((c) => {
    const text = str(rec(c.inputs.data)["routes.json"]);
    if (!text) return [];
    try {
      const parsed = JSON.parse(text) as { routes?: { upstream?: string }[] };
      return (parsed.routes ?? []).map((r) => r.upstream?.split(".")[0] ?? "?");
    } catch {
      return [];
    }
  });
  const gatewayHpa = ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
  const replicas = (name: string) => {
    const spec = rec(
      gatewayHpa.find((h) => str(rec(h.inputs.metadata).name) === name)?.inputs.spec,
    );
    const min = num(spec.minReplicas);
    const max = num(spec.maxReplicas);
    return min && max ? `${min}-${max} pods` : "";
  };
  const hasGateway = plan.resources.some((r) => r.type === "multicloud:gke:ApiGateway");
  const hasChocon = plan.resources.some((r) => r.type === "multicloud:gke:Chocon");
  if (hasGateway) {
    b.nodes.push({
      id: "gke_gateway",
      lines: ["API gateway", `${hostname}, GKE Gateway + TLS`, replicas("api-gateway")].filter(
        Boolean,
      ),
      group: "gke",
      shape: "box",
      tier: "front",
    });
    b.edges.push({ from: "users", to: "gke_gateway", label: `HTTPS ${hostname}` });
  }
  if (routes.length > 0) {
    b.nodes.push({
      id: "gke_services",
      lines: ["microservices", [...new Set(routes)].join(", ")],
      group: "gke",
      shape: "box",
      tier: "app",
    });
    if (hasGateway) b.edges.push({ from: "gke_gateway", to: "gke_services", label: "gRPC" });
  }
  if (hasChocon) {
    b.nodes.push({
      id: "gke_chocon",
      lines: ["chocon", ["*.ccnproxy* for pods", replicas("chocon")].filter(Boolean).join(", ")],
      group: "gke",
      shape: "box",
      tier: "data",
    });
    if (routes.length > 0)
      b.edges.push({ from: "gke_services", to: "gke_chocon", label: "*.ccnproxy-https" });
  }
  return {
    gateway: hasGateway ? "gke_gateway" : "gke_services",
    ...(hasChocon ? { chocon: "gke_chocon" } : {}),
    where: `GKE ${location}`,
  };
}
