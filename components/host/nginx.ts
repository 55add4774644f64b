// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// nginx on the front hosts: proxies to the app servers that Consul reports healthy. Pure.
//
// Ubuntu's open-source nginx (1.24; Debian 12 has 1.22) cannot re-resolve the servers of an
// `upstream` block (`server ... resolve` came to open source in 1.27.3), and a `proxy_pass` with a
// variable re-resolves but keeps no upstream connections alive. So the app servers are written into
// an upstream block from `app.service.consul` (through the local unbound) by a 10-second timer,
// which reloads nginx only when the set changes: keep-alive and fresh membership both.
import type { RegionSpec } from "../spec/schema";
import {
  FRONT_CERTIFICATE_PATH,
  FRONT_ISSUED_MARK,
  FRONT_KEY_PATH,
  type FrontCertificates,
} from "./acme";
import { APP_PORT } from "./consul";
import { lines } from "./model";
import { SBIN } from "./scripts";
import type { FrontProxy } from "./site-facts";

export const NGINX_CONF_PATH = "/etc/nginx/conf.d/multicloud.conf";
/** Generated on the host by the upstream timer; never rendered (its content is Consul's answer). */
export const NGINX_APP_SERVERS_PATH = "/etc/nginx/multicloud/app-servers.conf";
export const NGINX_UPSTREAMS_TOOL = `${SBIN}/multicloud-nginx-upstreams`;
export const APP_SERVICE_NAME = "app.service.consul";

export function renderNginxConf(
  spec: RegionSpec,
  front: FrontProxy,
  certificates?: FrontCertificates,
): string {
  return lines(
    "# The front: every request goes to the app servers Consul reports healthy. Rendered.",
    "server_tokens off;",
    "client_header_timeout 10s;",
    "client_body_timeout 30s;",
    "send_timeout 30s;",
    "client_max_body_size 16m;",
    "",
    ...renderClientIdentity(front),
    "",
    "upstream app {",
    "    zone app 64k;",
    `    # ${APP_SERVICE_NAME}, written by ${NGINX_UPSTREAMS_TOOL}.`,
    `    include ${NGINX_APP_SERVERS_PATH};`,
    "    keepalive 64;",
    "    keepalive_timeout 60s;",
    "    keepalive_requests 10000;",
    "}",
    "",
    ...(certificates ? tlsServers(spec) : plainServer(spec)),
  );
}

/** Behind a load balancer, which terminates TLS: plain HTTP on 80. */
function plainServer(spec: RegionSpec): string[] {
  return [
    "server {",
    "    listen 80 default_server;",
    "    listen [::]:80 default_server;",
    "    server_name _;",
    "",
    `    location = ${spec.front.healthCheckPath} {`,
    "        access_log off;",
    "        default_type text/plain;",
    '        return 200 "ok\\n";',
    "    }",
    "",
    ...proxyLocation(),
    "}",
  ];
}

/**
 * Clients connect directly: HTTP is redirected, HTTPS is served with the host's ACME certificate
 * and Mozilla's intermediate settings (guidelines 6.0: TLS 1.2 and 1.3, ECDHE with AEAD ciphers,
 * no session tickets, HSTS for two years). TLS 1.2 stays: Route53's HTTPS health checkers speak
 * TLS 1.0 to 1.2 only. X25519MLKEM768, first in the guidelines, needs OpenSSL 3.5 (Ubuntu 24.04
 * has 3.0). No OCSP stapling: Let's Encrypt ended OCSP in 2025 and its certificates name no
 * responder. The SSL settings sit in the server, since the packaged nginx.conf sets some in http.
 */
function tlsServers(spec: RegionSpec): string[] {
  return [
    "server {",
    "    listen 80 default_server;",
    "    listen [::]:80 default_server;",
    "    server_name _;",
    "    return 301 https://$host$request_uri;",
    "}",
    "",
    "server {",
    "    listen 443 ssl http2 default_server;",
    "    listen [::]:443 ssl http2 default_server;",
    "    server_name _;",
    "",
    `    ssl_certificate ${FRONT_CERTIFICATE_PATH};`,
    `    ssl_certificate_key ${FRONT_KEY_PATH};`,
    "    ssl_protocols TLSv1.2 TLSv1.3;",
    `    ssl_ciphers ${INTERMEDIATE_CIPHERS.join(":")};`,
    "    ssl_prefer_server_ciphers off;",
    "    ssl_ecdh_curve X25519:prime256v1:secp384r1;",
    "    ssl_session_timeout 1d;",
    "    ssl_session_cache shared:MozSSL:10m;",
    "    ssl_session_tickets off;",
    '    add_header Strict-Transport-Security "max-age=63072000" always;',
    "",
    "    # Ready once the CA's certificate is served: a host still on its stand-in stays out of the",
    "    # round robin (Route53 checks this path over HTTPS and does not validate certificates).",
    `    location = ${spec.front.healthCheckPath} {`,
    "        access_log off;",
    "        default_type text/plain;",
    `        if (!-f ${FRONT_ISSUED_MARK}) {`,
    '            return 503 "no certificate yet\\n";',
    "        }",
    '        return 200 "ok\\n";',
    "    }",
    "",
    ...proxyLocation(),
    "}",
  ];
}

/** Mozilla's intermediate TLS 1.2 ciphers (guidelines 6.0), in their order. */
export const INTERMEDIATE_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
];

function proxyLocation(): string[] {
  return [
    "    location / {",
    "        proxy_pass http://app;",
    "        proxy_http_version 1.1;",
    '        proxy_set_header Connection "";',
    "        proxy_set_header Host $host;",
    "        proxy_set_header X-Real-IP $client_address;",
    "        proxy_set_header X-Forwarded-For $client_forwarded_for;",
    "        proxy_set_header X-Forwarded-Proto $client_scheme;",
    "        proxy_connect_timeout 3s;",
    "        proxy_send_timeout 30s;",
    "        proxy_read_timeout 30s;",
    "        proxy_next_upstream error timeout http_502 http_503;",
    "        proxy_next_upstream_tries 2;",
    "        proxy_next_upstream_timeout 10s;",
    "    }",
  ];
}

/**
 * Who the client is and which scheme it used, as the app is told: `$client_address`,
 * `$client_forwarded_for` and `$client_scheme`. Headers that say so are believed only from the
 * cloud's load balancer (by the address the connection comes from); anyone else is the client.
 */
export function renderClientIdentity(front: FrontProxy): string[] {
  const geo = (ranges: readonly string[], variable: string) => [
    `geo ${variable} $from_load_balancer {`,
    "    default 0;",
    ...ranges.map((range) => `    ${range} 1;`),
    "}",
  ];
  const scheme = [
    "# The scheme the client used: the load balancer's word for it, else this connection's.",
    'map "$from_load_balancer:$http_x_forwarded_proto" $client_scheme {',
    '    "~^1:(?<proto>https?)$" $proto;',
    "    default $scheme;",
    "}",
  ];
  switch (front.kind) {
    case "none":
      return [
        "# Clients connect directly: the peer is the client; forwarded headers are not believed.",
        "map $remote_addr $client_address {",
        "    default $remote_addr;",
        "}",
        "map $remote_addr $client_forwarded_for {",
        "    default $proxy_add_x_forwarded_for;",
        "}",
        "map $remote_addr $client_scheme {",
        "    default $scheme;",
        "}",
      ];
    case "aws-alb":
      return [
        "# The Application Load Balancer's nodes are in the public subnets. From them, the client is",
        "# the last address of X-Forwarded-For (the one the load balancer appended), and becomes",
        "# $remote_addr for logs and the app; anything before it came from the client unchecked.",
        ...front.ranges.map((range) => `set_real_ip_from ${range};`),
        "real_ip_header X-Forwarded-For;",
        "real_ip_recursive on;",
        ...geo(front.ranges, "$realip_remote_addr"),
        "map $remote_addr $client_address {",
        "    default $remote_addr;",
        "}",
        "map $from_load_balancer $client_forwarded_for {",
        "    1 $http_x_forwarded_for;",
        "    default $proxy_add_x_forwarded_for;",
        "}",
        ...scheme,
      ];
    case "google-lb":
      return [
        "# Google's front ends connect from these ranges. Their X-Forwarded-For ends with",
        "# `<client>, <the load balancer's own address>`: the client is the second address from the",
        "# end (what precedes it came from the client unchecked).",
        ...geo(front.ranges, "$remote_addr"),
        'map "$from_load_balancer|$http_x_forwarded_for" $client_address {',
        '    "~^1\\|(?:.*,)?\\s*(?<client>[0-9A-Fa-f.:]+)\\s*,\\s*[0-9A-Fa-f.:]+\\s*$" $client;',
        "    default $remote_addr;",
        "}",
        'map "$from_load_balancer|$http_x_forwarded_for" $client_forwarded_for {',
        '    "~^1\\|(?<chain>.*?)\\s*,\\s*[0-9A-Fa-f.:]+\\s*$" $chain;',
        "    default $proxy_add_x_forwarded_for;",
        "}",
        ...scheme,
      ];
  }
}

/** Writes the app servers from Consul DNS; reloads nginx when they change. */
export function renderNginxUpstreamsTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    `# Writes ${NGINX_APP_SERVERS_PATH} from ${APP_SERVICE_NAME} (healthy app servers, through`,
    "# unbound and Consul) and reloads nginx when the set changed. A failed lookup keeps the last set.",
    "# --no-reload: write only (before nginx first starts).",
    "set -euo pipefail",
    `readonly TARGET=${NGINX_APP_SERVERS_PATH}`,
    `readonly NAME=${APP_SERVICE_NAME}`,
    `readonly PORT=${APP_PORT}`,
    "",
    "mapfile -t addresses < <(getent ahostsv4 \"$NAME\" | awk '{print $1}' | sort -u -t . -k1,1n -k2,2n -k3,3n -k4,4n)",
    'work="$(mktemp)"',
    "trap 'rm -f \"$work\"' EXIT",
    'if [[ "${#addresses[@]}" -gt 0 ]]; then',
    '  for address in "${addresses[@]}"; do',
    '    printf \'server %s:%s max_fails=2 fail_timeout=10s;\\n\' "$address" "$PORT"',
    '  done >"$work"',
    'elif [[ -s "$TARGET" ]]; then',
    "  exit 0",
    "else",
    "  # No app server yet: a placeholder that nginx accepts and never sends to.",
    '  printf \'server 127.0.0.1:%s down;\\n\' "$PORT" >"$work"',
    "fi",
    'if cmp -s "$work" "$TARGET"; then',
    "  exit 0",
    "fi",
    'install -D -m 0644 "$work" "$TARGET"',
    'echo "multicloud-nginx-upstreams: app servers now ${addresses[*]:-none}"',
    'if [[ "${1:-}" != --no-reload ]] && systemctl is-active --quiet nginx; then',
    "  nginx -t -q && systemctl reload nginx",
    "fi",
  );
}

export function renderNginxUpstreamsUnits(): { service: string; timer: string } {
  return {
    service: lines(
      "[Unit]",
      `Description=Refresh nginx's app servers from ${APP_SERVICE_NAME}`,
      "After=nginx.service consul.service unbound.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${NGINX_UPSTREAMS_TOOL}`,
    ),
    timer: lines(
      "[Unit]",
      "Description=Refresh nginx's app servers every 10 seconds",
      "",
      "[Timer]",
      "OnActiveSec=10s",
      "OnUnitActiveSec=10s",
      "AccuracySec=1s",
      "",
      "[Install]",
      "WantedBy=timers.target",
    ),
  };
}
