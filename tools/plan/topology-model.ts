// The network a plan builds, read back from its resources as the clouds would see them: the hosts
// (their addresses, security groups, route tables, firewall identities, NIC routes and rendered
// files), the GKE cluster (its ranges, kube-dns stub domains, masquerade), and the resources that
// join and filter networks. References between resources are followed through their inputs
// (ids, names, self links of the resources they depend on). Pure; read by topology.ts.
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { type Cidr, parseCidr, parseIpv4 } from "../../components/spec/cidr";
import { readCloudConfig } from "./cloud-config-read";
import { fakeId } from "./fake-outputs";
import type { Plan, PlannedResource } from "./plan";

export type Json = Record<string, unknown>;

export interface PlanHost {
  /** The resource that makes the host or its group (instance, template, server, SSH bootstrap). */
  readonly resource: PlannedResource;
  readonly cloud: "aws" | "gcp" | "sakura" | "metal";
  /** Where its address lies: its own /32, or the subnets a group's hosts take addresses in. */
  readonly ranges: readonly Cidr[];
  /** Its rendered files by path (cloud-init write_files, or the bootstrap's heredocs). */
  readonly files: ReadonlyMap<string, string>;
  /** AWS: its security groups; its subnets' route tables; its VPC. */
  readonly securityGroups: readonly PlannedResource[];
  readonly routeTables: readonly PlannedResource[];
  /** AWS VPC, GCP network or Sakura switch the host is on. */
  readonly network?: PlannedResource;
  /** GCP: its service account, which firewall rules name. */
  readonly serviceAccount?: string;
  /** Sakura: the routes of its NIC on the switch, and the switch's range. */
  readonly nicRoutes: readonly { readonly to: Cidr; readonly via: number }[];
  readonly switchRange?: Cidr;
  /** Sakura: the packet filter on its switch NIC (undefined: none). */
  readonly switchFilter?: PlannedResource;
}

export interface PlanCluster {
  readonly cluster: PlannedResource;
  readonly network?: PlannedResource;
  readonly subnetwork?: PlannedResource;
  readonly nodes?: Cidr;
  readonly pods?: Cidr;
  /** kube-dns stub domains: domain -> servers (address and port). */
  readonly stubDomains: ReadonlyMap<string, readonly { address: number; port: number }[]>;
  /** ip-masq-agent's nonMasqueradeCIDRs, when the cluster has its ConfigMap. */
  readonly nonMasquerade?: readonly Cidr[];
}

/** A plan with its references resolved. */
export class PlanIndex {
  private readonly byUrn: ReadonlyMap<string, PlannedResource>;

  constructor(readonly plan: Plan) {
    this.byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  }

  ofType(type: string): PlannedResource[] {
    return this.plan.resources.filter((resource) => resource.type === type);
  }

  /** The resource among `from`'s dependencies that `value` names (its id, name or self link). */
  ref(from: PlannedResource, value: unknown): PlannedResource | undefined {
    const wanted = text(value);
    if (wanted === undefined) return undefined;
    for (const urn of from.dependencies) {
      const target = this.byUrn.get(urn);
      if (!target) continue;
      if (
        fakeId(target.name) === wanted ||
        text(target.inputs.name) === wanted ||
        wanted === `https://mock.invalid/${target.type}/${target.name}`
      )
        return target;
    }
    return undefined;
  }

  refs(from: PlannedResource, values: unknown): PlannedResource[] {
    return list(values).flatMap((value) => {
      const found = this.ref(from, value);
      return found ? [found] : [];
    });
  }

  /** Resources of a type whose input `key` refers to `target`. */
  referrers(type: string, key: string, target: PlannedResource): PlannedResource[] {
    return this.ofType(type).filter(
      (resource) => this.ref(resource, resource.inputs[key]) === target,
    );
  }

  dependsOn(resource: PlannedResource, target: PlannedResource): boolean {
    return resource.dependencies.includes(target.urn);
  }
}

export function readHosts(index: PlanIndex, dedicated: Record<string, string> = {}): PlanHost[] {
  return [
    ...awsHosts(index),
    ...gcpHosts(index),
    ...sakuraHosts(index),
    ...metalHosts(index, dedicated),
  ];
}

const none = { securityGroups: [], routeTables: [], nicRoutes: [] } as const;

function awsHosts(index: PlanIndex): PlanHost[] {
  const hosts: PlanHost[] = [];
  for (const instance of index.ofType("aws:ec2/instance:Instance")) {
    const files = filesOfCloudInit(
      text(instance.inputs.userDataBase64) ?? text(instance.inputs.userData),
    );
    const address = parseIpv4(text(instance.inputs.privateIp) ?? "");
    const subnet = index.ref(instance, instance.inputs.subnetId);
    hosts.push({
      ...none,
      resource: instance,
      cloud: "aws",
      ranges: address === undefined ? subnetRanges([subnet]) : [{ base: address, prefix: 32 }],
      files,
      securityGroups: index.refs(instance, instance.inputs.vpcSecurityGroupIds),
      routeTables: routeTablesOf(index, subnet ? [subnet] : []),
      ...vpcOf(index, subnet),
    });
  }
  for (const group of index.ofType("aws:autoscaling/group:Group")) {
    const template = index.ref(group, record(group.inputs.launchTemplate).id);
    if (!template) continue;
    const subnets = index.refs(group, group.inputs.vpcZoneIdentifiers);
    const interfaces = list(template.inputs.networkInterfaces).map(record);
    const groupIds = [
      ...list(template.inputs.vpcSecurityGroupIds),
      ...interfaces.flatMap((nic) => list(nic.securityGroups)),
    ];
    hosts.push({
      ...none,
      resource: template,
      cloud: "aws",
      ranges: subnetRanges(subnets),
      files: filesOfCloudInit(text(template.inputs.userData)),
      securityGroups: index.refs(template, groupIds),
      routeTables: routeTablesOf(index, subnets),
      ...vpcOf(index, subnets[0]),
    });
  }
  return hosts;
}

function subnetRanges(subnets: readonly (PlannedResource | undefined)[]): Cidr[] {
  return subnets.flatMap((subnet) => {
    const range = subnet ? parseCidr(text(subnet.inputs.cidrBlock) ?? "") : undefined;
    return range ? [range] : [];
  });
}

function routeTablesOf(index: PlanIndex, subnets: readonly PlannedResource[]): PlannedResource[] {
  return index
    .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
    .flatMap((association) => {
      const subnet = index.ref(association, association.inputs.subnetId);
      const table = index.ref(association, association.inputs.routeTableId);
      return subnet && table && subnets.includes(subnet) ? [table] : [];
    });
}

function vpcOf(
  index: PlanIndex,
  subnet: PlannedResource | undefined,
): { network?: PlannedResource } {
  const vpc = subnet ? index.ref(subnet, subnet.inputs.vpcId) : undefined;
  return vpc ? { network: vpc } : {};
}

function gcpHosts(index: PlanIndex): PlanHost[] {
  const hosts: PlanHost[] = [];
  for (const type of [
    "gcp:compute/instance:Instance",
    "gcp:compute/instanceTemplate:InstanceTemplate",
  ]) {
    for (const host of index.ofType(type)) {
      const nic = record(list(host.inputs.networkInterfaces)[0]);
      const subnetwork = index.ref(host, nic.subnetwork);
      const address = parseIpv4(text(nic.networkIp) ?? "");
      const subnetRange = subnetwork
        ? parseCidr(text(subnetwork.inputs.ipCidrRange) ?? "")
        : undefined;
      const network = subnetwork ? index.ref(subnetwork, subnetwork.inputs.network) : undefined;
      const account = text(record(host.inputs.serviceAccount).email);
      hosts.push({
        ...none,
        resource: host,
        cloud: "gcp",
        ranges:
          address !== undefined
            ? [{ base: address, prefix: 32 }]
            : subnetRange
              ? [subnetRange]
              : [],
        files: filesOfCloudInit(text(record(host.inputs.metadata)["user-data"])),
        ...(network ? { network } : {}),
        ...(account ? { serviceAccount: account } : {}),
      });
    }
  }
  return hosts;
}

function sakuraHosts(index: PlanIndex): PlanHost[] {
  const hosts: PlanHost[] = [];
  for (const server of index.ofType("pulumi-nodejs:dynamic/sakuracloud:Server")) {
    const files = filesOfCloudInit(text(server.inputs.cloudInitUserData));
    const nic = privateNic(files);
    const interfaces = list(server.inputs.interfaces);
    const switchAt = interfaces.findIndex((item) => item !== "shared");
    const network = switchAt >= 0 ? index.ref(server, interfaces[switchAt]) : undefined;
    const filterId = switchAt >= 0 ? list(server.inputs.packetFilterIds)[switchAt] : undefined;
    const filter = filterId ? index.ref(server, filterId) : undefined;
    hosts.push({
      ...none,
      resource: server,
      cloud: "sakura",
      ranges: nic ? [{ base: nic.address, prefix: 32 }] : [],
      files,
      nicRoutes: nic?.routes ?? [],
      ...(nic ? { switchRange: nic.range } : {}),
      ...(network ? { network } : {}),
      ...(filter ? { switchFilter: filter } : {}),
    });
  }
  return hosts;
}

/** Dedicated servers: their bootstrap's files; the address is the spec's (not in the plan). */
function metalHosts(index: PlanIndex, dedicated: Record<string, string>): PlanHost[] {
  const hosts: PlanHost[] = [];
  for (const command of index.ofType("command:remote:Command")) {
    const name = Object.keys(dedicated).find((host) => command.name.endsWith(`-${host}-bootstrap`));
    if (name === undefined) continue;
    const address = parseIpv4(dedicated[name] ?? "");
    hosts.push({
      ...none,
      resource: command,
      cloud: "metal",
      ranges: address === undefined ? [] : [{ base: address, prefix: 32 }],
      files: filesOfBootstrap(text(command.inputs.stdin)),
    });
  }
  return hosts;
}

/** The netplan file of a Sakura host's switch NIC: its address, its range, its routes. */
function privateNic(
  files: ReadonlyMap<string, string>,
): { address: number; range: Cidr; routes: { to: Cidr; via: number }[] } | undefined {
  for (const [path, content] of files) {
    if (!path.startsWith("/etc/netplan/")) continue;
    const ethernets = record(record(record(parse(content)).network).ethernets);
    for (const nic of Object.values(ethernets).map(record)) {
      const [address, prefix] = (text(list(nic.addresses)[0]) ?? "").split("/");
      const base = parseIpv4(address ?? "");
      if (base === undefined || prefix === undefined) continue;
      const size = 2 ** (32 - Number(prefix));
      const routes = list(nic.routes).flatMap((item) => {
        const route = record(item);
        const to = parseCidr(text(route.to) ?? "");
        const via = parseIpv4(text(route.via) ?? "");
        return to && via !== undefined ? [{ to, via }] : [];
      });
      return {
        address: base,
        range: { base: base - (base % size), prefix: Number(prefix) },
        routes,
      };
    }
  }
  return undefined;
}

export function readCluster(index: PlanIndex): PlanCluster | undefined {
  const cluster = index.ofType("gcp:container/cluster:Cluster")[0];
  if (!cluster) return undefined;
  const subnetwork = index.ref(cluster, cluster.inputs.subnetwork);
  const network = index.ref(cluster, cluster.inputs.network);
  const podRangeName = text(record(cluster.inputs.ipAllocationPolicy).clusterSecondaryRangeName);
  const secondary = list(subnetwork?.inputs.secondaryIpRanges).map(record);
  const pods = secondary.find((range) => range.rangeName === podRangeName);
  const nodes = subnetwork ? parseCidr(text(subnetwork.inputs.ipCidrRange) ?? "") : undefined;
  const podRange = pods ? parseCidr(text(pods.ipCidrRange) ?? "") : undefined;
  const masquerade = kubeSystemData(index, "ip-masq-agent").config;
  const nonMasquerade =
    masquerade === undefined
      ? undefined
      : list(record(parse(masquerade)).nonMasqueradeCIDRs).flatMap((item) => {
          const range = parseCidr(text(item) ?? "");
          return range ? [range] : [];
        });
  return {
    cluster,
    ...(network ? { network } : {}),
    ...(subnetwork ? { subnetwork } : {}),
    ...(nodes ? { nodes } : {}),
    ...(podRange ? { pods: podRange } : {}),
    stubDomains: stubDomains(kubeSystemData(index, "kube-dns").stubDomains),
    ...(nonMasquerade ? { nonMasquerade } : {}),
  };
}

/** The data of a ConfigMap (or a patch of one) in kube-system. */
function kubeSystemData(index: PlanIndex, name: string): Record<string, string | undefined> {
  const found = [
    ...index.ofType("kubernetes:core/v1:ConfigMap"),
    ...index.ofType("kubernetes:core/v1:ConfigMapPatch"),
  ].find((map) => {
    const metadata = record(map.inputs.metadata);
    return metadata.name === name && metadata.namespace === "kube-system";
  });
  const data = record(found?.inputs.data);
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, text(value)]));
}

function stubDomains(json: string | undefined): Map<string, { address: number; port: number }[]> {
  const domains = new Map<string, { address: number; port: number }[]>();
  if (json === undefined) return domains;
  for (const [domain, servers] of Object.entries(record(JSON.parse(json)))) {
    domains.set(
      domain,
      list(servers).flatMap((server) => {
        const [host, port] = (text(server) ?? "").split(":");
        const address = parseIpv4(host ?? "");
        return address === undefined
          ? []
          : [{ address, port: port === undefined ? 53 : Number(port) }];
      }),
    );
  }
  return domains;
}

/** The files a cloud-init document writes: plain, or gzip, either base64-encoded. */
export function filesOfCloudInit(userData: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  const document = readCloudConfig(userData);
  if (document === undefined) return files;
  for (const file of list(record(document).write_files).map(record)) {
    const path = text(file.path);
    if (path === undefined) continue;
    files.set(path, decode(text(file.content) ?? "", text(file.encoding)));
  }
  return files;
}

function decode(content: string, encoding: string | undefined): string {
  if (encoding === undefined) return content;
  const bytes = Buffer.from(content, "base64");
  return (/^gz/.test(encoding) ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** The files a bootstrap script writes with `put PATH MODE [OWNER] <<'MARK'` heredocs. */
export function filesOfBootstrap(script: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (!script) return files;
  const start = /^put '?([^' ]+)'? \S+.*<<'([A-Z0-9_]+)'$/gm;
  for (let match = start.exec(script); match; match = start.exec(script)) {
    const [, path, mark] = match;
    if (path === undefined || mark === undefined) continue;
    const body = script.slice(match.index + match[0].length + 1);
    const end = body.indexOf(`\n${mark}\n`);
    files.set(path, end >= 0 ? body.slice(0, end) : body);
  }
  return files;
}

/** A string input; some providers' inputs arrive JSON-encoded (a quoted string). */
export function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (value.startsWith('"')) {
    try {
      const decoded: unknown = JSON.parse(value);
      if (typeof decoded === "string") return decoded;
    } catch {
      // Not JSON: the string itself.
    }
  }
  return value;
}

/** An object, or an object parsed from JSON text, else {}. */
export function record(value: unknown): Json {
  if (typeof value === "string") {
    try {
      return record(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : {};
}

export function list(value: unknown): unknown[] {
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      return list(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return Array.isArray(value) ? value : [];
}
