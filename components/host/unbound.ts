// unbound, the caching resolver on every host: the only name server in /etc/resolv.conf. Pure.
//
// Routing: consul. -> the local Consul agent; the internal zone -> the cloud's private zone or its
// own data (SiteFacts.internalZone); *.ccnproxy* -> a CNAME to chocon.service.consul, so Consul's
// health checks pick the live proxies (a CNAME out of a redirect zone is chased upstream, never into
// unbound's own local data); everything else -> the region's upstream resolvers.
import type { InternalRecord } from "../spec/internal-zone";
import { lines } from "./model";
import type { SiteFacts } from "./site-facts";

/**
 * unbound's main configuration, rendered whole: it replaces the package's unbound.conf (a dpkg
 * conffile, kept by `--force-confold` in both deliveries) and includes nothing else.
 */
export const UNBOUND_CONF_PATH = "/etc/unbound/unbound.conf";
/** Where an earlier version put its drop-in; removed from hosts (nothing includes it any more). */
export const UNBOUND_FORMER_DROP_IN_PATH = "/etc/unbound/unbound.conf.d/multicloud.conf";
/**
 * The root trust anchor, as the Debian/Ubuntu package keeps it: its unit's ExecStartPre
 * (`unbound-helper root_trust_anchor_update`) copies dns-root-data's key here before each start
 * unless this copy is newer, and unbound tracks key rollovers in it (RFC 5011).
 */
export const ROOT_TRUST_ANCHOR_PATH = "/var/lib/unbound/root.key";
/** unbound-control's local socket, where the package puts it (and its AppArmor profile allows). */
export const UNBOUND_CONTROL_SOCKET = "/run/unbound.ctl";
/** The static resolv.conf that /etc/resolv.conf links to once unbound answers. */
export const RESOLV_CONF_PATH = "/etc/multicloud/resolv.conf";
/** Stops systemd-resolved's stub listener, which would otherwise also claim port 53. */
export const RESOLVED_DROP_IN_PATH = "/etc/systemd/resolved.conf.d/multicloud-no-stub.conf";

export const CONSUL_DNS = { address: "127.0.0.1", port: 8600 } as const;
/** Suffixes that send a call to chocon; `.ccnproxy` is plain http upstream, the others https. */
export const CHOCON_SUFFIXES = [
  "ccnproxy-https",
  "ccnproxy-secure",
  "ccnproxy-ssl",
  "ccnproxy",
] as const;
/** The name every chocon suffix points at: Consul answers only with healthy proxies. */
export const CHOCON_SERVICE_NAME = "chocon.service.consul";

/** Cache policy: how long an answer may be served past its TTL while upstreams are down. */
export const SERVE_EXPIRED_TTL_SECONDS = 86400;
/** How long a client waits for a fresh answer before it is given an expired one. */
export const SERVE_EXPIRED_CLIENT_TIMEOUT_MS = 100;
/** TTL of the internal zone's records (A and PTR) where this resolver carries them. */
export const INTERNAL_RECORD_TTL_SECONDS = 300;

export function renderUnboundConf(facts: SiteFacts): string {
  const zone = facts.internalZone.zone;
  const insecure = ["consul", zone, ...(facts.cloud === "sakura" ? [] : ["internal"])];
  return lines(
    "# unbound on every host of the region: a local cache, the only resolver in /etc/resolv.conf.",
    `# Region ${facts.region} (${facts.cloud}). Rendered; changes are overwritten.`,
    "# This is the whole configuration: it includes nothing, so no file in unbound.conf.d (the",
    "# package's own or any other) changes how this resolver behaves.",
    "server:",
    "    interface: 127.0.0.1",
    "    port: 53",
    "    # Loopback only: this resolver serves the host it runs on and nothing else.",
    "    access-control: 0.0.0.0/0 refuse",
    "    access-control: ::0/0 refuse",
    "    access-control: 127.0.0.0/8 allow",
    "    access-control: ::1 allow",
    "    hide-identity: yes",
    "    hide-version: yes",
    "    msg-cache-size: 16m",
    "    rrset-cache-size: 32m",
    "    # Refresh popular names before they expire.",
    "    prefetch: yes",
    "    prefetch-key: yes",
    "    # Keep answering from cache when upstreams are down (RFC 8767), for a bounded time. The",
    "    # upstreams are local or in the same data centre and answer within milliseconds, so a client",
    "    # waits at most this long for a fresh answer before it gets the expired one.",
    "    serve-expired: yes",
    `    serve-expired-ttl: ${SERVE_EXPIRED_TTL_SECONDS}`,
    "    serve-expired-ttl-reset: no",
    "    serve-expired-reply-ttl: 5",
    `    serve-expired-client-timeout: ${SERVE_EXPIRED_CLIENT_TIMEOUT_MS}`,
    "    # New hosts and services become visible quickly.",
    "    cache-max-negative-ttl: 60",
    "    # Consul answers with TTL 0 unless told otherwise, and such an answer is never cached: a",
    "    # Consul restart would then fail the name instead of serving the last answer. unbound has no",
    "    # minimum per zone, so this floor is global; it is below every TTL Consul is configured with.",
    "    cache-min-ttl: 5",
    ...upstreamHealth(),
    "    # The Consul agent listens on 127.0.0.1, which unbound refuses to query by default.",
    "    do-not-query-localhost: no",
    "    # Private names have no DNSSEC chain from the root: do not expect one.",
    ...insecure.map((name) => `    domain-insecure: "${name}"`),
    ...(facts.dnssecValidation
      ? [
          "    # DNSSEC for public names: the root key that the package's unit keeps up to date.",
          `    auto-trust-anchor-file: "${ROOT_TRUST_ANCHOR_PATH}"`,
        ]
      : ['    module-config: "iterator"']),
    ...(facts.cloud === "sakura"
      ? []
      : [
          "    # The cloud resolver answers reverse lookups of private addresses.",
          "    unblock-lan-zones: yes",
          "    insecure-lan-zones: yes",
        ]),
    "",
    ...internalZoneServer(facts),
    "",
    "    # chocon: every name under these suffixes is answered with the live chocon proxies.",
    ...CHOCON_SUFFIXES.flatMap((suffix) => [
      `    local-zone: "${suffix}." redirect`,
      `    local-data: "${suffix}. 30 IN CNAME ${CHOCON_SERVICE_NAME}."`,
    ]),
    "",
    "# unbound-control on this host only (root and the unbound group): a socket, not the network.",
    "remote-control:",
    "    control-enable: yes",
    `    control-interface: ${UNBOUND_CONTROL_SOCKET}`,
    "",
    "# Service discovery: the local Consul agent answers consul. (a forwarder, not a stub: Consul",
    "# answers recursive queries the same way and is not a full authoritative server).",
    "forward-zone:",
    '    name: "consul."',
    `    forward-addr: ${CONSUL_DNS.address}@${CONSUL_DNS.port}`,
    ...internalZoneForward(facts),
    "",
    "forward-zone:",
    '    name: "."',
    ...facts.upstreamResolvers.map((address) => `    forward-addr: ${address}`),
  );
}

/**
 * How unbound judges its upstreams. All of them are on this host (Consul) or in its data centre
 * (the cloud's resolvers) and answer within milliseconds. unbound's defaults suit far-away servers:
 * a silent server's retry timeout doubles up to 2 minutes and what was learnt about it is kept 15
 * minutes, so a restarted Consul agent went unasked for up to 49 s and a host cut off from its
 * resolvers left clients without any answer for minutes. The source files and functions named below
 * are unbound's; their logic is the same in 1.17.1 (Debian 12, the tests) and 1.19.2 (Ubuntu 24.04,
 * the hosts).
 */
function upstreamHealth(): string[] {
  return [
    "    # Upstreams are near: a lost packet is sent again after at least 200 ms and no retry waits",
    "    # more than 0.6 s. unbound also takes the ceiling as its mark of a dead server",
    "    # (util/config_file.c, config_apply), so a server that stays silent through a try is skipped",
    "    # (iterator/iter_utils.c, iter_filter_unsuitable) and the next one asked, and a server leaves",
    "    # a question's list after its 2nd try (iter_server_selection). A client whose resolvers are",
    "    # all silent gets SERVFAIL within seconds.",
    "    infra-cache-min-rtt: 200",
    "    infra-cache-max-rtt: 600",
    "    outbound-msg-retry: 2",
    "    # What unbound learns of a server (round trip, EDNS, lameness, time-outs) is kept for this",
    "    # many whole seconds from when it was first learnt (services/cache/infra.c, data_entry_init),",
    "    # so 1 to 2 s. Once that runs out a server marked dead is asked again, still with",
    "    # the 0.6 s time-out (infra_get_lame_rtt, infra_host): an answer clears the mark",
    "    # (infra_rtt_update), silence renews it. So a restarted Consul agent is asked within 2 s.",
    "    infra-host-ttl: 1",
    "    # infra-keep-probing stays off: unbound reads it only for a server whose time-out has reached",
    "    # 12 s (services/cache/infra.c, PROBE_MAXRTO), which the 0.6 s ceiling never allows.",
  ];
}

function internalZoneServer(facts: SiteFacts): string[] {
  const internal = facts.internalZone;
  if (internal.kind === "forward") {
    return [
      `    # ${internal.zone}. is a private zone of the cloud; transparent keeps any built-in`,
      "    # answer for the name (mDNS-style special use) out of the way of the forward below.",
      `    local-zone: "${internal.zone}." transparent`,
    ];
  }
  const reverse = reverseZone(facts.networkCidr);
  return [
    `    # ${internal.zone}.: the region's hosts, answered from this copy of the zone.`,
    `    local-zone: "${internal.zone}." static`,
    ...internal.records.flatMap((record) => recordLines(internal.zone, record)),
    `    # Reverse lookups of the hosts' addresses: each points back at the host's name.`,
    `    local-zone: "${reverse}" static`,
    ...internal.pointers.map(
      (pointer) =>
        `    local-data-ptr: "${pointer.address} ${INTERNAL_RECORD_TTL_SECONDS} ${pointer.name}.${internal.zone}."`,
    ),
  ];
}

function recordLines(zone: string, record: InternalRecord): string[] {
  const owner = `${record.name}.${zone}.`;
  return record.values.map(
    (value) =>
      `    local-data: "${owner} ${INTERNAL_RECORD_TTL_SECONDS} IN ${record.type} ${value}"`,
  );
}

/** The in-addr.arpa zone that holds the reverse names of a network (whole octets of its prefix). */
export function reverseZone(cidr: string): string {
  const [address = "", prefix = "0"] = cidr.split("/");
  const octets = address.split(".").slice(0, Math.floor(Number(prefix) / 8));
  return `${[...octets].reverse().join(".")}${octets.length > 0 ? "." : ""}in-addr.arpa.`;
}

function internalZoneForward(facts: SiteFacts): string[] {
  const internal = facts.internalZone;
  if (internal.kind !== "forward") return [];
  // GCE's own names (`<vm>.<zone>.c.<project>.internal`) are answered by the metadata server only,
  // whatever resolvers the spec names for public names.
  const zones = facts.cloud === "gcp" ? [internal.zone, "internal"] : [internal.zone];
  return zones.flatMap((zone) => [
    "",
    "forward-zone:",
    `    name: "${zone}."`,
    ...internal.resolvers.map((address) => `    forward-addr: ${address}`),
  ]);
}

/** resolv.conf: unbound only; short names are looked up in the internal zone. */
export function renderResolvConf(facts: SiteFacts): string {
  return lines(
    "# Rendered: unbound on 127.0.0.1 is this host's only resolver.",
    "nameserver 127.0.0.1",
    `search ${facts.internalZone.zone}`,
    "# The same query is sent again every second, five times: a client learns unbound's answer (or",
    "# SERVFAIL) as soon as unbound has it, and never waits more than 5 s (glibc: 5 s twice).",
    "options edns0 trust-ad timeout:1 attempts:5",
  );
}

export function renderResolvedDropIn(): string {
  return lines(
    "# unbound owns port 53 on this host; systemd-resolved keeps running without its stub.",
    "[Resolve]",
    "DNSStubListener=no",
  );
}
