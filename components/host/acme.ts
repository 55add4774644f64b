// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The certificate of a front that terminates TLS itself (the Sakura fronts, DNS round robin): each
// nginx host orders its own from Let's Encrypt with certbot, by DNS-01 in the region's Route53 zone,
// for the region's public names and its own name. Pure.
//
// Why each host orders for itself: its private key never leaves it, and no host depends on another
// (or on Consul) to serve. Its own name makes its set of names unique, so the CA's limit of 5 new
// certificates per exact set of names a week applies to each host apart; the limit of 50 new
// certificates per registered domain a week bounds how many fronts can be (re)built in a week.
// Two hosts must never order at once: certbot's Route53 plugin replaces the whole TXT set of
// `_acme-challenge.<name>` with its own value, so the second would erase the first's. Host k of N
// therefore starts an order only in the first half of the k-th slot of every N-slot cycle.
import { ACME_CA_IDENTITY } from "../spec/acme";
import { frontNames } from "../spec/front-names";
import { fixedHosts } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import { lines, shellQuote } from "./model";
import { HOST_ENV_PATH, SBIN } from "./scripts";

export const ACME_TOOL = `${SBIN}/multicloud-acme`;
export const ACME_DEPLOY_HOOK = `${SBIN}/multicloud-acme-deploy`;
export const CERTBOT_CONFIG_PATH = "/etc/multicloud/acme/certbot.ini";
/** Where nginx reads the front's certificate and key (installed by the deploy hook). */
export const FRONT_TLS_DIR = "/etc/nginx/multicloud/tls";
export const FRONT_CERTIFICATE_PATH = `${FRONT_TLS_DIR}/front.crt`;
export const FRONT_KEY_PATH = `${FRONT_TLS_DIR}/front.key`;
/** Present once a CA-issued certificate is installed: the health check answers 200 only then. */
export const FRONT_ISSUED_MARK = `${FRONT_TLS_DIR}/issued`;
/** certbot's name for the lineage under /etc/letsencrypt/live/. */
export const CERT_NAME = "front";
export const LETS_ENCRYPT_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory";
/** Ubuntu 24.04's certbot (2.9.0) and its Route53 plugin, from the archive like every package. */
export const ACME_PACKAGES = ["certbot", "python3-certbot-dns-route53"] as const;
/** certbot renews when fewer days than this remain (its own default, said here for the tool). */
export const RENEW_BEFORE_DAYS = 30;
/** Length of a host's ordering slot; a cycle is one slot per front host. */
export const ORDER_SLOT_SECONDS = 300;
export const ACME_UNIT = "multicloud-acme";

/** What the host layer needs to keep a front's certificate. */
export interface FrontCertificates {
  /** The ACME directory (Let's Encrypt's; the tests point it at Pebble). */
  readonly directory: string;
  /** The CA's CAA identity, which the zone must allow. */
  readonly caaIdentity: string;
  /** The account's contact. */
  readonly email: string;
  /** The region's public names that every front's certificate covers, absolute. */
  readonly names: readonly string[];
  /** The region's domain: a host's own name is `<host>.<domain>`. */
  readonly domain: string;
  /** The front hosts in order, by private address: the order gives each its slot. */
  readonly hosts: readonly { readonly address: string; readonly name: string }[];
  /** The pushed files that hold the key allowed to write the challenge records. */
  readonly credentials: {
    readonly directory: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
  };
}

/** Every name some front's certificate holds: the public names and each front host's own. */
export function certificateNames(facts: FrontCertificates): string[] {
  return [...facts.names, ...facts.hosts.map((host) => `${host.name}.${facts.domain}`)];
}

/** The front certificates of a region whose nginx hosts order their own, pushed key and all. */
export function frontCertificates(spec: RegionSpec, pushedDirectory: string): FrontCertificates {
  return {
    directory: LETS_ENCRYPT_DIRECTORY,
    caaIdentity: ACME_CA_IDENTITY,
    email: `hostmaster@${spec.domain}`,
    names: frontNames(spec),
    domain: spec.domain,
    hosts: fixedHosts(spec)
      .filter((host) => host.role === "nginx")
      .map((host) => ({ address: host.address, name: host.name })),
    credentials: {
      directory: pushedDirectory,
      accessKeyId: secretName(spec, "acme-access-key-id"),
      secretAccessKey: secretName(spec, "acme-secret-access-key"),
    },
  };
}

/** certbot's settings (long option names, as its config files take them); names come from the tool. */
export function renderCertbotConfig(facts: FrontCertificates): string {
  return lines(
    "# certbot's settings for this front's certificate. Rendered. multicloud-acme passes the names.",
    `server = ${facts.directory}`,
    `email = ${facts.email}`,
    "agree-tos = true",
    "no-eff-email = true",
    "non-interactive = true",
    "authenticator = dns-route53",
    "key-type = ecdsa",
    "elliptic-curve = secp256r1",
    `cert-name = ${CERT_NAME}`,
    `deploy-hook = ${ACME_DEPLOY_HOOK}`,
    "# multicloud-acme picks the time (its slot): certbot adds no random wait of its own.",
    "no-random-sleep-on-renew = true",
  );
}

/** `multicloud-acme [--stand-in-only]`: keeps this front's certificate; run by its timer. */
export function renderAcmeTool(facts: FrontCertificates): string {
  const live = `/etc/letsencrypt/live/${CERT_NAME}`;
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-acme: keeps this front host's certificate. Until the first is issued nginx serves a",
    "# self-signed stand-in (and the health check says not ready); then certbot orders one for the",
    "# region's public names and this host's own name, by DNS-01 in the region's Route53 zone, again",
    `# when fewer than ${RENEW_BEFORE_DAYS} days remain or the names changed. An order starts only in this host's slot,`,
    "# so that no two fronts write one challenge record at once. Safe to run at any time.",
    "# --stand-in-only: make sure nginx has a certificate to start with, and stop there.",
    "set -euo pipefail",
    "umask 077",
    `readonly CONFIG=${CERTBOT_CONFIG_PATH}`,
    `readonly LIVE=${live}`,
    `readonly TLS_DIR=${FRONT_TLS_DIR}`,
    `readonly DEPLOY=${ACME_DEPLOY_HOOK}`,
    `readonly PUSHED=${shellQuote(facts.credentials.directory)}`,
    `readonly DOMAIN=${shellQuote(facts.domain)}`,
    `readonly NAMES=(${facts.names.map(shellQuote).join(" ")})`,
    '# The front hosts in order, "private-address name": the k-th orders in the k-th slot.',
    "readonly HOSTS=(",
    ...facts.hosts.map((host) => `  ${shellQuote(`${host.address} ${host.name}`)}`),
    ")",
    `readonly SLOT_SECONDS="\${MULTICLOUD_ACME_SLOT_SECONDS:-${ORDER_SLOT_SECONDS}}"`,
    `readonly RENEW_SECONDS=$((${RENEW_BEFORE_DAYS} * 86400))`,
    "",
    'if [[ ! -s "$TLS_DIR/front.crt" || ! -s "$TLS_DIR/front.key" ]]; then',
    '  install -d -m 0755 "$TLS_DIR"',
    '  rm -f "$TLS_DIR/issued"',
    "  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \\",
    '    -subj "/CN=multicloud front stand-in" -keyout "$TLS_DIR/front.key.new" \\',
    '    -out "$TLS_DIR/front.crt.new" 2>/dev/null',
    '  chmod 0644 "$TLS_DIR/front.crt.new"',
    '  mv -f "$TLS_DIR/front.key.new" "$TLS_DIR/front.key"',
    '  mv -f "$TLS_DIR/front.crt.new" "$TLS_DIR/front.crt"',
    '  echo "multicloud-acme: nginx has a self-signed stand-in until a certificate is issued"',
    "fi",
    'if [[ "${1:-}" == --stand-in-only ]]; then',
    "  exit 0",
    "fi",
    "",
    `# shellcheck source=/dev/null # written at boot by multicloud-host-facts`,
    `. ${HOST_ENV_PATH}`,
    "slot=-1",
    'for i in "${!HOSTS[@]}"; do',
    '  read -r address name <<<"${HOSTS[$i]}"',
    '  if [[ "$address" == "${PRIVATE_ADDRESS:-}" ]]; then',
    '    slot="$i"',
    '    own="$name.$DOMAIN"',
    "  fi",
    "done",
    'if [[ "$slot" -lt 0 ]]; then',
    '  echo "multicloud-acme: ${PRIVATE_ADDRESS:-this host} is not a front host of $DOMAIN" >&2',
    "  exit 1",
    "fi",
    'names=("${NAMES[@]}" "$own")',
    "",
    "# An order is due without a certificate, with fewer days left than certbot waits for, or when",
    "# the names changed.",
    "due() {",
    '  [[ -s "$LIVE/cert.pem" ]] || return 0',
    '  openssl x509 -noout -checkend "$RENEW_SECONDS" -in "$LIVE/cert.pem" >/dev/null || return 0',
    "  local wanted held",
    '  wanted="$(printf \'%s\\n\' "${names[@]}" | sort -u)"',
    '  held="$(openssl x509 -noout -ext subjectAltName -in "$LIVE/cert.pem" |',
    "    tr ',' '\\n' | sed -n 's/^ *DNS://p' | sort -u)\"",
    '  [[ "$wanted" != "$held" ]]',
    "}",
    "",
    "# Waits for the first half of this host's slot (clocks are kept by NTP on every host).",
    "wait_for_slot() {",
    "  local cycle now start",
    "  cycle=$((SLOT_SECONDS * ${#HOSTS[@]}))",
    '  now="$(date +%s)"',
    "  start=$((now - now % cycle + slot * SLOT_SECONDS))",
    "  if ((now >= start + SLOT_SECONDS / 2)); then",
    "    start=$((start + cycle))",
    "  fi",
    "  if ((now < start)); then",
    '    echo "multicloud-acme: waiting $((start - now)) s for this host\'s slot"',
    '    sleep "$((start - now))"',
    "  fi",
    "}",
    "",
    "pushed() {",
    '  if [[ ! -s "$PUSHED/$1" ]]; then',
    '    echo "multicloud-acme: $PUSHED/$1 is missing (the SSH push writes it)" >&2',
    "    exit 1",
    "  fi",
    "  tr -d '\\n' <\"$PUSHED/$1\"",
    "}",
    "",
    "if due; then",
    "  # The key that may change the zone's challenge records only, in certbot's environment alone:",
    "  # no other AWS configuration or instance metadata is consulted.",
    `  AWS_ACCESS_KEY_ID="$(pushed ${shellQuote(facts.credentials.accessKeyId)})"`,
    `  AWS_SECRET_ACCESS_KEY="$(pushed ${shellQuote(facts.credentials.secretAccessKey)})"`,
    "  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY",
    "  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true",
    "  wait_for_slot",
    "  args=()",
    '  for name in "${names[@]}"; do',
    '    args+=(-d "$name")',
    "  done",
    `  certbot certonly --config "$CONFIG" --cert-name ${CERT_NAME} --keep-until-expiring "\${args[@]}"`,
    "fi",
    "",
    "# nginx serves what certbot holds: the deploy hook installs it, and does again here should it",
    "# have failed after an order.",
    'if [[ -s "$LIVE/fullchain.pem" ]] && ! cmp -s "$LIVE/fullchain.pem" "$TLS_DIR/front.crt"; then',
    '  RENEWED_LINEAGE="$LIVE" "$DEPLOY"',
    "fi",
  );
}

/** certbot's deploy hook: installs the lineage where nginx reads it, marks it ready, reloads. */
export function renderAcmeDeployHook(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-acme-deploy: run by certbot after it obtained a certificate ($RENEWED_LINEAGE):",
    "# installs it where nginx reads it, marks the front ready for its health check, reloads nginx.",
    "set -euo pipefail",
    "umask 077",
    `readonly TLS_DIR=${FRONT_TLS_DIR}`,
    'lineage="${RENEWED_LINEAGE:?set by certbot: the directory of the new certificate}"',
    'install -d -m 0755 "$TLS_DIR"',
    'install -m 0600 "$lineage/privkey.pem" "$TLS_DIR/front.key.new"',
    'install -m 0644 "$lineage/fullchain.pem" "$TLS_DIR/front.crt.new"',
    'mv -f "$TLS_DIR/front.key.new" "$TLS_DIR/front.key"',
    'mv -f "$TLS_DIR/front.crt.new" "$TLS_DIR/front.crt"',
    ': >"$TLS_DIR/issued"',
    "if systemctl is-active --quiet nginx; then",
    "  nginx -t -q && systemctl reload nginx",
    "fi",
    "echo \"multicloud-acme-deploy: nginx serves $(openssl x509 -noout -serial -enddate -in \"$TLS_DIR/front.crt\" | tr '\\n' ' ')\"",
  );
}

export function renderAcmeUnits(): { service: string; timer: string } {
  return {
    service: lines(
      "[Unit]",
      "Description=Order or renew this front's certificate (ACME DNS-01 in Route53)",
      "Wants=network-online.target",
      "After=network-online.target unbound.service nginx.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${ACME_TOOL}`,
    ),
    timer: lines(
      "[Unit]",
      "Description=Check this front's certificate after boot and every hour",
      "",
      "[Timer]",
      // A boot-relative time already past when the timer starts (cloud-init) elapses at once.
      "OnBootSec=1min",
      "OnCalendar=hourly",
      "RandomizedDelaySec=10min",
      "Persistent=true",
      "",
      "[Install]",
      "WantedBy=timers.target",
    ),
  };
}
