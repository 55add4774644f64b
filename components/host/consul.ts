// Consul on every host: one datacenter per region, servers on the util hosts, an agent elsewhere.
// Configuration is JSON (exact, and parseable by tests); secrets never appear in it: the rendered
// template carries placeholders that a boot step fills from the cloud's secret store. Pure.
import type { Role } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import type { ConsulJoin, SiteFacts } from "./site-facts";

/** Pinned Consul package from HashiCorp's apt repository (same version on every host of a region). */
export const CONSUL_APT_VERSION = "1.20.2-1";
/** HashiCorp's package signing key; the download is refused unless it has this fingerprint. */
export const HASHICORP_KEY_FINGERPRINT = "798AEC654E5C15428C8E42EEAA16FCBCA621E701";
export const HASHICORP_KEYRING = "/usr/share/keyrings/hashicorp-archive-keyring.gpg";

export const CONSUL_CONFIG_PATH = "/etc/consul.d/multicloud.json";
export const CONSUL_SECRETS_TEMPLATE_PATH = "/etc/multicloud/consul-secrets.json.in";
/** Written at boot by multicloud-consul-secrets, 0640 root:consul; never rendered. */
export const CONSUL_SECRETS_PATH = "/etc/consul.d/secrets.json";
/** Root-only copies of the tokens for the CLI (ACL setup, snapshots). */
export const CONSUL_PRIVATE_DIR = "/etc/multicloud/private";
export const CONSUL_SNAPSHOT_DIR = "/var/lib/consul-snapshots";
export const CONSUL_SNAPSHOT_KEEP_DAYS = 7;

export const PLACEHOLDERS = {
  gossipKey: "@@CONSUL_GOSSIP_KEY@@",
  agentToken: "@@CONSUL_AGENT_TOKEN@@",
  managementToken: "@@CONSUL_MANAGEMENT_TOKEN@@",
  privateAddress: "@@PRIVATE_ADDRESS@@",
} as const;

/** The management token lives beside the host secrets; only util hosts (servers) read it. */
export function consulManagementSecretName(spec: RegionSpec): string {
  return `multicloud-${spec.name}-consul-management-token`;
}

export function isConsulServer(role: Role): boolean {
  return role === "util";
}

/** The service each role offers in Consul, with the check that decides whether it gets traffic. */
export interface RoleService {
  readonly name: string;
  readonly port: number;
  readonly check: { readonly kind: "http"; readonly path: string } | { readonly kind: "tcp" };
}

export const APP_PORT = 8080;

export function roleService(spec: RegionSpec, role: Role): RoleService | undefined {
  const health = spec.front.healthCheckPath;
  switch (role) {
    case "nginx":
      return { name: "nginx", port: 80, check: { kind: "http", path: health } };
    case "app":
      return { name: "app", port: APP_PORT, check: { kind: "http", path: health } };
    case "mysql":
      return { name: "mysql", port: 3306, check: { kind: "tcp" } };
    case "memcached":
      return { name: "memcached", port: 11211, check: { kind: "tcp" } };
    case "chocon":
      return { name: "chocon", port: 80, check: { kind: "http", path: "/.api/stats" } };
    case "util":
      // Consul servers register the built-in `consul` service themselves.
      return undefined;
  }
}

export function retryJoin(join: ConsulJoin): string[] {
  switch (join.kind) {
    case "aws-tag":
      return [
        `provider=aws region=${join.region} tag_key=${join.tagKey} tag_value=${join.tagValue}`,
      ];
    case "gce-tag":
      return [`provider=gce project_name=${join.project} tag_value=${join.tagValue}`];
    case "static":
      return [...join.addresses];
  }
}

/** The agent's configuration (no secrets: those come from secrets.json, written at boot). */
export function renderConsulConfig(spec: RegionSpec, facts: SiteFacts, role: Role): string {
  const server = isConsulServer(role);
  const config: Record<string, unknown> = {
    datacenter: spec.consul.datacenter,
    data_dir: "/opt/consul",
    // The host's address inside the region's network (a go-sockaddr template Consul evaluates).
    bind_addr: `{{ GetPrivateInterfaces | include "network" "${facts.networkCidr}" | attr "address" }}`,
    // HTTP and DNS on loopback only: unbound is the only DNS client.
    client_addr: "127.0.0.1",
    ports: { dns: 8600, http: 8500, https: -1, grpc: -1, grpc_tls: -1 },
    retry_join: retryJoin(facts.consulJoin),
    encrypt_verify_incoming: true,
    encrypt_verify_outgoing: true,
    acl: {
      enabled: true,
      default_policy: "deny",
      down_policy: "extend-cache",
      enable_token_persistence: true,
    },
    dns_config: {
      allow_stale: true,
      only_passing: true,
      enable_truncate: true,
      // Consul answers with TTL 0 by default, which defeats unbound's cache.
      node_ttl: "30s",
      service_ttl: { "*": "10s" },
    },
    disable_update_check: true,
    enable_script_checks: false,
    enable_local_script_checks: false,
    leave_on_terminate: !server,
    rejoin_after_leave: true,
    log_level: "INFO",
  };
  if (server) {
    Object.assign(config, {
      server: true,
      bootstrap_expect: spec.consul.servers,
      ...(spec.consul.wanJoin.length > 0 ? { retry_join_wan: [...spec.consul.wanJoin] } : {}),
      performance: { raft_multiplier: 1 },
      autopilot: { cleanup_dead_servers: true },
      ui_config: { enabled: false },
    });
  } else {
    config.server = false;
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** secrets.json before the boot step fills it: placeholders only. */
export function renderConsulSecretsTemplate(role: Role): string {
  const tokens: Record<string, string> = {
    agent: PLACEHOLDERS.agentToken,
    // DNS and service registration from config files use the default token.
    default: PLACEHOLDERS.agentToken,
  };
  if (isConsulServer(role)) tokens.initial_management = PLACEHOLDERS.managementToken;
  return `${JSON.stringify({ encrypt: PLACEHOLDERS.gossipKey, acl: { tokens } }, null, 2)}\n`;
}

/** The role's service definition; the check targets the host's private address (filled at boot). */
export function renderConsulServiceTemplate(service: RoleService): string {
  const target = `${PLACEHOLDERS.privateAddress}:${service.port}`;
  const check =
    service.check.kind === "http"
      ? { http: `http://${target}${service.check.path}`, method: "GET" }
      : { tcp: target };
  const definition = {
    service: {
      name: service.name,
      port: service.port,
      check: {
        id: `${service.name}-health`,
        name: `${service.name} ${service.check.kind} health`,
        ...check,
        interval: "10s",
        timeout: "2s",
        deregister_critical_service_after: "72h",
      },
    },
  };
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** Names of the secrets a role's hosts read, in the order the boot step reads them. */
export function consulSecretNames(
  spec: RegionSpec,
  role: Role,
): { gossipKey: string; agentToken: string; managementToken?: string } {
  return {
    gossipKey: secretName(spec, "consul-gossip-key"),
    agentToken: secretName(spec, "consul-agent-token"),
    ...(isConsulServer(role) ? { managementToken: consulManagementSecretName(spec) } : {}),
  };
}

/** The policy of the agent token: register this node and its services, read the catalog (DNS). */
export function renderAgentPolicy(): string {
  return [
    'node_prefix "" {',
    '  policy = "write"',
    "}",
    'service_prefix "" {',
    '  policy = "write"',
    "}",
    'query_prefix "" {',
    '  policy = "read"',
    "}",
    "",
  ].join("\n");
}
