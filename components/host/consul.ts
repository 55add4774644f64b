// Consul on every host: one datacenter per region, servers on the util hosts, an agent elsewhere.
// Configuration is JSON (exact, and parseable by tests); secrets never appear in it: the rendered
// template carries placeholders that a boot step fills from the cloud's secret store. Pure.
import type { Role } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { consulTlsSecretId, consulTokenSecretId, secretName } from "../spec/secrets";
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

/** Where the secrets tool writes the role's TLS identity (0640 root:consul; the CA 0644). */
export const CONSUL_TLS_DIR = "/etc/consul.d/tls";
export const CONSUL_CA_FILE = `${CONSUL_TLS_DIR}/ca.pem`;
export const CONSUL_CERT_FILE = `${CONSUL_TLS_DIR}/agent.pem`;
export const CONSUL_KEY_FILE = `${CONSUL_TLS_DIR}/agent-key.pem`;
/** The agent's API: HTTPS on loopback only (plain HTTP is off). */
export const CONSUL_HTTPS_PORT = 8501;
export const CONSUL_API = `https://127.0.0.1:${CONSUL_HTTPS_PORT}`;
/** The node name, filled at boot (`<role>-<host>`), so that a role's token names its nodes. */
export const CONSUL_NODE_PATH = "/etc/consul.d/node.json";
/** Consul KV: where a restore reports the recovery point it reached. */
export const MYSQL_RECOVERY_POINT_KEY = "multicloud/mysql/recovery-point";
/** The anonymous token's accessor id (Consul's own constant). */
export const ANONYMOUS_TOKEN_ACCESSOR = "00000000-0000-0000-0000-000000000002";

export const PLACEHOLDERS = {
  gossipKey: "@@CONSUL_GOSSIP_KEY@@",
  roleToken: "@@CONSUL_ROLE_TOKEN@@",
  managementToken: "@@CONSUL_MANAGEMENT_TOKEN@@",
  privateAddress: "@@PRIVATE_ADDRESS@@",
  nodeName: "@@NODE_NAME@@",
} as const;

/** The management token lives beside the host secrets; only util hosts (servers) read it. */
export function consulManagementSecretName(spec: RegionSpec): string {
  return secretName(spec, "consul-management-token");
}

export function isConsulServer(role: Role): boolean {
  return role === "util";
}

/** What a role's certificate names: servers `server.<dc>.consul`, agents `client.<dc>.consul`. */
export function consulCertificateNames(
  datacenter: string,
  role: Role,
): { dnsNames: readonly string[]; ipAddresses: readonly string[] } {
  const kind = isConsulServer(role) ? "server" : "client";
  return { dnsNames: [`${kind}.${datacenter}.consul`, "localhost"], ipAddresses: ["127.0.0.1"] };
}

/** A service a role offers in Consul, with the check that decides whether it gets traffic. */
export interface RoleService {
  readonly name: string;
  readonly port: number;
  readonly check:
    | { readonly kind: "http"; readonly path: string }
    | { readonly kind: "tcp" }
    /** A local script (exit 0 passing, 1 warning, other critical); never deregistered. */
    | { readonly kind: "script"; readonly args: readonly string[] };
}

export const APP_PORT = 8080;
export const MYSQL_PORT = 3306;
/** Reads the MySQL server's real role: `multicloud-mysql-role primary|replica` (mysql-replication.ts). */
export const MYSQL_ROLE_CHECK = "/usr/local/sbin/multicloud-mysql-role";

export function roleServices(spec: RegionSpec, role: Role): RoleService[] {
  const health = spec.front.healthCheckPath;
  switch (role) {
    case "nginx":
      return [{ name: "nginx", port: 80, check: { kind: "http", path: health } }];
    case "app":
      return [{ name: "app", port: APP_PORT, check: { kind: "http", path: health } }];
    case "mysql":
      return [
        { name: "mysql", port: MYSQL_PORT, check: { kind: "tcp" } },
        // Every MySQL host registers both; the check that does not match the server fails, so
        // mysql-primary.service.consul names only the writable server.
        {
          name: "mysql-primary",
          port: MYSQL_PORT,
          check: { kind: "script", args: [MYSQL_ROLE_CHECK, "primary"] },
        },
        {
          name: "mysql-replica",
          port: MYSQL_PORT,
          check: { kind: "script", args: [MYSQL_ROLE_CHECK, "replica"] },
        },
      ];
    case "memcached":
      return [{ name: "memcached", port: 11211, check: { kind: "tcp" } }];
    case "chocon":
      return [{ name: "chocon", port: 80, check: { kind: "http", path: "/.api/stats" } }];
    case "util":
      // Consul servers register the built-in `consul` service themselves.
      return [];
  }
}

/** The address template of the host inside the region's network (go-sockaddr, Consul evaluates). */
function privateAddressTemplate(networkCidr: string): string {
  return `{{ GetPrivateInterfaces | include "network" "${networkCidr}" | attr "address" }}`;
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

/** The agent's configuration (no secrets: those come from secrets.json and tls/, written at boot). */
export function renderConsulConfig(spec: RegionSpec, facts: SiteFacts, role: Role): string {
  const server = isConsulServer(role);
  const scripts = roleServices(spec, role).some((service) => service.check.kind === "script");
  const config: Record<string, unknown> = {
    datacenter: spec.consul.datacenter,
    data_dir: "/opt/consul",
    // The host's address inside the region's network.
    bind_addr: privateAddressTemplate(facts.networkCidr),
    // The HTTPS API on loopback only; DNS too, except on the servers, which also answer it on
    // their private address for the GKE pods of the region (kube-dns forwards consul. to them).
    client_addr: "127.0.0.1",
    ...(server
      ? { addresses: { dns: `127.0.0.1 ${privateAddressTemplate(facts.networkCidr)}` } }
      : {}),
    ports: { dns: 8600, http: -1, https: CONSUL_HTTPS_PORT, grpc: -1, grpc_tls: -1 },
    retry_join: retryJoin(facts.consulJoin),
    encrypt_verify_incoming: true,
    encrypt_verify_outgoing: true,
    // RPC between agents and servers is TLS both ways, from the region's CA; agents accept only a
    // server's certificate for server.<dc>.consul. API callers authenticate with ACL tokens.
    tls: {
      defaults: {
        ca_file: CONSUL_CA_FILE,
        cert_file: CONSUL_CERT_FILE,
        key_file: CONSUL_KEY_FILE,
        verify_incoming: true,
        verify_outgoing: true,
        tls_min_version: "TLSv1_2",
      },
      internal_rpc: { verify_server_hostname: true },
      https: { verify_incoming: false },
    },
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
    // Scripts only from the rendered service files (MySQL's role checks), never from the API.
    enable_script_checks: false,
    enable_local_script_checks: scripts,
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

/** The node name template, filled at boot with `<role>-<host name>` (multicloud-host-facts). */
export function renderConsulNodeTemplate(): string {
  return `${JSON.stringify({ node_name: PLACEHOLDERS.nodeName }, null, 2)}\n`;
}

/**
 * secrets.json before the boot step fills it: placeholders only. The role's token is the agent's
 * own and registers the rendered services; no default token is set, so a request without a token
 * (DNS included) is the anonymous token's, which may only read services and nodes.
 */
export function renderConsulSecretsTemplate(role: Role): string {
  const tokens: Record<string, string> = {
    agent: PLACEHOLDERS.roleToken,
    config_file_service_registration: PLACEHOLDERS.roleToken,
  };
  if (isConsulServer(role)) tokens.initial_management = PLACEHOLDERS.managementToken;
  return `${JSON.stringify({ encrypt: PLACEHOLDERS.gossipKey, acl: { tokens } }, null, 2)}\n`;
}

function serviceCheck(service: RoleService): Record<string, unknown> {
  const target = `${PLACEHOLDERS.privateAddress}:${service.port}`;
  const common = {
    id: `${service.name}-health`,
    name: `${service.name} ${service.check.kind} health`,
    interval: "10s",
    timeout: "5s",
  };
  switch (service.check.kind) {
    case "http":
      return {
        ...common,
        http: `http://${target}${service.check.path}`,
        method: "GET",
        deregister_critical_service_after: "72h",
      };
    case "tcp":
      return { ...common, tcp: target, deregister_critical_service_after: "72h" };
    case "script":
      // A role check fails on every host but the one in that role: it must stay registered.
      return { ...common, args: [...service.check.args] };
  }
}

/** The role's service definitions; checks target the host's private address (filled at boot). */
export function renderConsulServiceTemplate(services: readonly RoleService[]): string {
  const definitions = services.map((service) => ({
    name: service.name,
    port: service.port,
    check: serviceCheck(service),
  }));
  return `${JSON.stringify({ services: definitions }, null, 2)}\n`;
}

/** Names of the secrets a role's hosts read at boot. */
export function consulSecretNames(
  spec: RegionSpec,
  role: Role,
): { gossipKey: string; roleToken: string; tls: string; managementToken?: string } {
  return {
    gossipKey: secretName(spec, "consul-gossip-key"),
    roleToken: secretName(spec, consulTokenSecretId(role)),
    tls: secretName(spec, consulTlsSecretId(role)),
    ...(isConsulServer(role) ? { managementToken: consulManagementSecretName(spec) } : {}),
  };
}

/** The Consul policy of a role's token. */
export function consulPolicyName(role: Role): string {
  return `multicloud-${role}`;
}
export const DNS_READ_POLICY = "multicloud-dns-read";

/**
 * A role's token: write its own nodes (named `<role>-...`) and register its own services, and read
 * the service catalog as an agent must for its anti-entropy sync. MySQL hosts also write the
 * recovery point a restore reached. Nothing else: no other service, node, key or ACL.
 */
export function renderRolePolicy(spec: RegionSpec, role: Role): string {
  const rule = (kind: string, name: string, policy: "read" | "write") => [
    `${kind} ${JSON.stringify(name)} {`,
    `  policy = "${policy}"`,
    "}",
  ];
  return `${[
    ...rule("node_prefix", `${role}-`, "write"),
    ...rule("service_prefix", "", "read"),
    ...roleServices(spec, role).flatMap((service) => rule("service", service.name, "write")),
    ...(role === "mysql" ? rule("key", MYSQL_RECOVERY_POINT_KEY, "write") : []),
  ].join("\n")}\n`;
}

/** The anonymous token: DNS reads of services and nodes, nothing else. */
export function renderDnsReadPolicy(): string {
  return [
    'service_prefix "" {',
    '  policy = "read"',
    "}",
    'node_prefix "" {',
    '  policy = "read"',
    "}",
    "",
  ].join("\n");
}
