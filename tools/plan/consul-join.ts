// Does Consul's join find exactly the Consul servers? Read from the plan as the clouds would see
// it: each host's Consul configuration from the user data or bootstrap it is given (its
// `retry_join` and whether it is a server), and what the join's query matches: EC2 instance tags
// in the region (cloud auto-join, `provider=aws`), GCE network tags in the project (`provider=gce`),
// or the hosts' own addresses (a static list). The servers and the matched hosts must be the same.
import { gunzipSync } from "node:zlib";
import { readCloudConfig } from "./cloud-config-read";
import type { Plan, PlannedResource } from "./plan";

/** Where the host layer writes the agent's configuration. */
const CONSUL_CONFIG = "/etc/consul.d/multicloud.json";

interface Host {
  /** The resource that makes the host (or the hosts of a group). */
  readonly name: string;
  readonly cloud: "aws" | "gcp" | "address";
  /** AWS: the instance's tags; GCP: its network tags (as keys with value ""). */
  readonly tags: Record<string, string>;
  /** AWS: the provider's region; GCP: the project. */
  readonly scope?: string;
  readonly address?: string;
  readonly consul: { server: boolean; retryJoin: string[] };
}

/**
 * Problems, one sentence each (none when every join matches exactly the servers). `addresses`
 * names the private address of hosts whose address is not in the plan (dedicated servers, by host
 * name as it appears in the resource name `<site>-<host>-bootstrap`).
 */
export function checkConsulJoin(plan: Plan, addresses: Record<string, string> = {}): string[] {
  const hosts = consulHosts(plan, addresses);
  if (hosts.length === 0) return [];
  const problems: string[] = [];
  const servers = new Set(hosts.filter((host) => host.consul.server).map((host) => host.name));
  if (servers.size === 0) problems.push("no host runs a Consul server");
  const joins = new Set(hosts.map((host) => JSON.stringify(host.consul.retryJoin)));
  if (joins.size > 1) problems.push(`hosts join differently: ${[...joins].join(" / ")}`);
  // Agents try every entry: together they must find every server and nothing else, and each
  // entry must find some server (a stale address or tag is a join that can never succeed).
  const found = new Set<string>();
  for (const query of new Set(hosts.flatMap((host) => host.consul.retryJoin))) {
    const matched = hosts.filter((host) => matches(query, host)).map((host) => host.name);
    for (const name of matched) found.add(name);
    if (!matched.some((name) => servers.has(name)))
      problems.push(`retry_join "${query}" finds no Consul server`);
  }
  const missing = [...servers].filter((name) => !found.has(name));
  const extra = [...found].filter((name) => !servers.has(name));
  const all = [...new Set(hosts.flatMap((host) => host.consul.retryJoin))].join(", ");
  if (missing.length > 0)
    problems.push(`retry_join (${all}) does not find the Consul servers ${missing.join(", ")}`);
  if (extra.length > 0)
    problems.push(
      `retry_join (${all}) also finds ${extra.join(", ")}, which are no Consul servers`,
    );
  return problems;
}

function matches(query: string, host: Host): boolean {
  if (!query.includes("provider=")) return host.address === query;
  const fields = Object.fromEntries(
    query.split(/\s+/).map((pair) => pair.split("=", 2) as [string, string]),
  );
  switch (fields.provider) {
    case "aws":
      return (
        host.cloud === "aws" &&
        host.scope === fields.region &&
        fields.tag_key !== undefined &&
        host.tags[fields.tag_key] === fields.tag_value
      );
    case "gce":
      return (
        host.cloud === "gcp" &&
        host.scope === fields.project_name &&
        fields.tag_value !== undefined &&
        fields.tag_value in host.tags
      );
    default:
      return false;
  }
}

function consulHosts(plan: Plan, addresses: Record<string, string>): Host[] {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const hosts: Host[] = [];
  for (const resource of plan.resources) {
    const host = toHost(resource, plan.resources, byUrn, addresses);
    if (host) hosts.push(host);
  }
  return hosts;
}

function toHost(
  resource: PlannedResource,
  all: readonly PlannedResource[],
  byUrn: ReadonlyMap<string, PlannedResource>,
  addresses: Record<string, string>,
): Host | undefined {
  const inputs = resource.inputs;
  switch (resource.type) {
    case "aws:ec2/instance:Instance": {
      const consul = consulFromUserData(text(inputs.userData) ?? text(inputs.userDataBase64));
      if (!consul) return undefined;
      const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
      const defaults = record(record(provider?.inputs.defaultTags).tags);
      const tags = strings({ ...defaults, ...record(inputs.tags) });
      return {
        name: resource.name,
        cloud: "aws",
        tags,
        scope: text(provider?.inputs.region),
        consul,
      };
    }
    case "aws:ec2/launchTemplate:LaunchTemplate": {
      const consul = consulFromUserData(text(inputs.userData));
      if (!consul) return undefined;
      const specs = Array.isArray(inputs.tagSpecifications) ? inputs.tagSpecifications : [];
      const instanceTags = specs
        .map(record)
        .filter((spec) => spec.resourceType === "instance")
        .map((spec) => record(spec.tags));
      // Tags an auto-scaling group built from this template puts on its instances.
      const groupTags = all
        .filter(
          (r) => r.type === "aws:autoscaling/group:Group" && r.dependencies.includes(resource.urn),
        )
        .flatMap((group) => (Array.isArray(group.inputs.tags) ? group.inputs.tags.map(record) : []))
        .filter((tag) => tag.propagateAtLaunch === true)
        .map((tag) => ({ [String(tag.key)]: String(tag.value) }));
      const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
      const tags = strings(Object.assign({}, ...instanceTags, ...groupTags));
      return {
        name: resource.name,
        cloud: "aws",
        tags,
        scope: text(provider?.inputs.region),
        consul,
      };
    }
    case "gcp:compute/instance:Instance":
    case "gcp:compute/instanceTemplate:InstanceTemplate": {
      const metadata = record(inputs.metadata);
      const consul = consulFromUserData(text(metadata["user-data"]));
      if (!consul) return undefined;
      const networkTags = Array.isArray(inputs.tags) ? inputs.tags.map(String) : [];
      const tags = Object.fromEntries(networkTags.map((tag) => [tag, ""]));
      const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
      const project = text(inputs.project) ?? text(provider?.inputs.project);
      return { name: resource.name, cloud: "gcp", tags, scope: project, consul };
    }
    case "pulumi-nodejs:dynamic/sakuracloud:Server": {
      const userData = text(inputs.cloudInitUserData);
      const consul = consulFromUserData(userData);
      if (!consul) return undefined;
      return {
        name: resource.name,
        cloud: "address",
        tags: {},
        address: netplanAddress(userData),
        consul,
      };
    }
    case "command:remote:Command": {
      const consul = consulFromBootstrap(text(inputs.stdin));
      if (!consul) return undefined;
      const host = Object.keys(addresses).find((name) =>
        resource.name.endsWith(`-${name}-bootstrap`),
      );
      return {
        name: resource.name,
        cloud: "address",
        tags: {},
        ...(host ? { address: addresses[host] } : {}),
        consul,
      };
    }
    default:
      return undefined;
  }
}

/** The agent's configuration from a cloud-init document: plain, or gzip, either base64-encoded. */
export function consulFromUserData(userData: string | undefined): Host["consul"] | undefined {
  const document = cloudConfig(userData);
  const files = Array.isArray(document?.write_files) ? document.write_files.map(record) : [];
  const file = files.find((entry) => entry.path === CONSUL_CONFIG);
  if (!file) return undefined;
  return consulFromJson(decodeContent(String(file.content ?? ""), text(file.encoding)));
}

function cloudConfig(userData: string | undefined): Record<string, unknown> | undefined {
  const document = readCloudConfig(userData);
  return document === undefined ? undefined : record(document);
}

function decodeContent(content: string, encoding: string | undefined): string {
  switch (encoding) {
    case "b64":
    case "base64":
      return Buffer.from(content, "base64").toString("utf8");
    case "gz+b64":
    case "gzip+base64":
    case "gz+base64":
    case "gzip+b64":
      return gunzipSync(Buffer.from(content, "base64")).toString("utf8");
    default:
      return content;
  }
}

/** The agent's configuration from a bootstrap script: the heredoc that `put` writes it from. */
export function consulFromBootstrap(script: string | undefined): Host["consul"] | undefined {
  if (!script) return undefined;
  const start = new RegExp(`^put '?${CONSUL_CONFIG}'? \\S+.*<<'([A-Z0-9_]+)'$`, "m").exec(script);
  if (!start) return undefined;
  const body = script.slice(start.index + start[0].length + 1);
  const end = body.indexOf(`\n${start[1]}\n`);
  return consulFromJson(end >= 0 ? body.slice(0, end) : body);
}

function consulFromJson(json: string): Host["consul"] {
  const config = record(JSON.parse(json));
  const retryJoin = Array.isArray(config.retry_join) ? config.retry_join.map(String) : [];
  return { server: config.server === true, retryJoin };
}

function netplanAddress(userData: string | undefined): string | undefined {
  const files = cloudConfig(userData)?.write_files;
  for (const file of Array.isArray(files) ? files.map(record) : []) {
    if (!String(file.path ?? "").startsWith("/etc/netplan/")) continue;
    const match = /addresses:\s*\n\s*-\s*([0-9.]+)\//.exec(String(file.content ?? ""));
    if (match) return match[1];
  }
  return undefined;
}

function strings(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}

/** A string input; some providers' inputs arrive JSON-encoded (a quoted string). */
function text(value: unknown): string | undefined {
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

/** An object, or an object parsed from JSON text (providers' inputs are strings), else {}. */
function record(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      return record(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
