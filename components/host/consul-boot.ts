// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// Boot-time Consul steps: fetching the gossip key and tokens from the cloud's secret store (they are
// never rendered), creating the agent token's policy once (servers), and snapshots (servers). Pure.
import { type Role, roles } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { consulTokenSecretId, secretName } from "../spec/secrets";
import {
  ANONYMOUS_TOKEN_ACCESSOR,
  CONSUL_API,
  CONSUL_CA_FILE,
  CONSUL_CERT_FILE,
  CONSUL_KEY_FILE,
  CONSUL_PRIVATE_DIR,
  CONSUL_SECRETS_PATH,
  CONSUL_SECRETS_TEMPLATE_PATH,
  CONSUL_SNAPSHOT_DIR,
  CONSUL_SNAPSHOT_KEEP_DAYS,
  CONSUL_TLS_DIR,
  consulSecretNames,
  DNS_READ_POLICY,
  isConsulServer,
  PLACEHOLDERS,
} from "./consul";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines } from "./instance-identity";
import { lines, shellQuote } from "./model";
import { OFFSITE_UPLOAD_TOOL } from "./offsite";
import { SBIN, SERVICE_TOOL } from "./scripts";
import type { SecretSource } from "./site-facts";

export const CONSUL_SECRETS_TOOL = `${SBIN}/multicloud-consul-secrets`;
export const CONSUL_ACL_TOOL = `${SBIN}/multicloud-consul-acl-init`;
export const CONSUL_SNAPSHOT_TOOL = `${SBIN}/multicloud-consul-snapshot`;
/** The policies the servers create: one per role, and the anonymous token's. */
export const CONSUL_POLICY_DIR = "/etc/multicloud/consul-policies";

/** Shell lines that point the consul CLI at the local agent's HTTPS API. */
export function consulCliEnvironment(): string[] {
  return [`export CONSUL_HTTP_ADDR=${CONSUL_API}`, `export CONSUL_CACERT=${CONSUL_CA_FILE}`];
}

/**
 * Shell lines defining `fetch NAME`, which prints one secret's value, for each kind of store.
 * `tool` names the script in its error messages.
 */
export function fetchFunction(source: SecretSource, tool = "multicloud-consul-secrets"): string[] {
  switch (source.kind) {
    case "aws-secrets-manager":
      return [
        "# AWS Secrets Manager, signed with the instance role's credentials from IMDSv2.",
        `readonly REGION=${shellQuote(source.region)}`,
        ...awsInstanceCredentialLines(),
        "fetch() {",
        "  # Credentials go to curl on stdin (-K -), never on a command line other users can read.",
        AWS_CURL_CONFIG,
        "    curl -fsS --max-time 10 --retry 5 -K - \\",
        '      --aws-sigv4 "aws:amz:$REGION:secretsmanager" \\',
        "      -H 'Content-Type: application/x-amz-json-1.1' \\",
        "      -H 'X-Amz-Target: secretsmanager.GetSecretValue' \\",
        '      --data "$(jq -cn --arg id "$1" \'{SecretId: $id}\')" \\',
        '      "https://secretsmanager.$REGION.amazonaws.com/" | jq -er .SecretString',
        "}",
      ];
    case "gcp-secret-manager":
      return [
        "# GCP Secret Manager, with the VM service account's token from the metadata server.",
        `readonly PROJECT=${shellQuote(source.project)}`,
        "access_token=\"$(curl -fsS --max-time 5 --retry 5 -H 'Metadata-Flavor: Google' \\",
        "  http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token |",
        '  jq -er .access_token)"',
        "fetch() {",
        "  # The token goes to curl on stdin (-K -), never on a command line other users can read.",
        '  printf \'header = "Authorization: Bearer %s"\\n\' "$access_token" |',
        "    curl -fsS --max-time 10 --retry 5 -K - \\",
        '      "https://secretmanager.googleapis.com/v1/projects/$PROJECT/secrets/$1/versions/latest:access" |',
        "    jq -er .payload.data | base64 -d",
        "}",
      ];
    case "ssh-push":
      return [
        "# Pushed over SSH into a root-only directory, one file per secret.",
        `readonly PUSHED=${shellQuote(source.directory)}`,
        "fetch() {",
        '  if [[ ! -s "$PUSHED/$1" ]]; then',
        `    echo "${tool}: $PUSHED/$1 is missing (the SSH push writes it)" >&2`,
        "    exit 1",
        "  fi",
        "  tr -d '\\n' <\"$PUSHED/$1\"",
        "}",
      ];
  }
}

/**
 * Fetches the secrets and writes secrets.json (0640 root:consul) from the placeholder template, the
 * role's TLS identity under tls/, and root-only token files for the CLI. Marks consul for a restart
 * only when something changed.
 */
export function renderConsulSecretsTool(
  spec: RegionSpec,
  source: SecretSource,
  role: Role,
): string {
  const names = consulSecretNames(spec, role);
  const server = isConsulServer(role);
  const tokenFiles = server
    ? roles.flatMap((each) => [
        `token="$(fetch ${shellQuote(secretName(spec, consulTokenSecretId(each)))})"`,
        `shape ${each}-token "$token" "$UUID"`,
        `printf '%s' "$token" >"$work/${each}.token"`,
        `install -m 0600 "$work/${each}.token" "$PRIVATE_DIR/consul-token-${each}.token"`,
      ])
    : [];
  return lines(
    "#!/usr/bin/env bash",
    `# Fills ${CONSUL_SECRETS_PATH} from ${CONSUL_SECRETS_TEMPLATE_PATH} with the Consul gossip key`,
    `# and this role's token, and lays the role's TLS identity in ${CONSUL_TLS_DIR}, all read from the`,
    "# secret store at boot. Values are checked for shape and passed to jq through its environment,",
    "# never through a command line.",
    "set -euo pipefail",
    "umask 077",
    `readonly TEMPLATE=${CONSUL_SECRETS_TEMPLATE_PATH}`,
    `readonly TARGET=${CONSUL_SECRETS_PATH}`,
    `readonly PRIVATE_DIR=${CONSUL_PRIVATE_DIR}`,
    `readonly TLS_DIR=${CONSUL_TLS_DIR}`,
    "readonly UUID='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'",
    "readonly GOSSIP='^[A-Za-z0-9+/]{43}=$'",
    "",
    ...fetchFunction(source),
    "",
    "# shape NAME VALUE REGEX: refuses a value that is not what Consul expects.",
    "shape() {",
    '  if [[ ! "$2" =~ $3 ]]; then',
    '    echo "multicloud-consul-secrets: $1 does not have the expected shape" >&2',
    "    exit 1",
    "  fi",
    "}",
    "",
    "changed=false",
    "# place FILE TARGET MODE: installs FILE as TARGET (group consul) when it differs.",
    "place() {",
    '  if ! cmp -s "$1" "$2"; then',
    '    install -m "$3" -o root -g consul "$1" "$2"',
    "    changed=true",
    "  fi",
    "}",
    "",
    `MC_GOSSIP_KEY="$(fetch ${shellQuote(names.gossipKey)})"`,
    `MC_ROLE_TOKEN="$(fetch ${shellQuote(names.roleToken)})"`,
    `tls_identity="$(fetch ${shellQuote(names.tls)})"`,
    'shape gossip-key "$MC_GOSSIP_KEY" "$GOSSIP"',
    'shape role-token "$MC_ROLE_TOKEN" "$UUID"',
    ...(server && names.managementToken
      ? [
          `MC_MANAGEMENT_TOKEN="$(fetch ${shellQuote(names.managementToken)})"`,
          'shape management-token "$MC_MANAGEMENT_TOKEN" "$UUID"',
        ]
      : ['MC_MANAGEMENT_TOKEN=""']),
    "export MC_GOSSIP_KEY MC_ROLE_TOKEN MC_MANAGEMENT_TOKEN",
    "",
    'work="$(mktemp -d)"',
    "trap 'rm -rf \"$work\"' EXIT",
    "for part in ca cert key; do",
    '  if ! jq -ej --arg part "$part" \'.[$part]\' <<<"$tls_identity" >"$work/$part.pem" ||',
    '    ! grep -q -- "-----BEGIN " "$work/$part.pem"; then',
    '    echo "multicloud-consul-secrets: the TLS identity has no PEM $part" >&2',
    "    exit 1",
    "  fi",
    "done",
    'install -d -m 0750 -o root -g consul "$TLS_DIR"',
    `place "$work/ca.pem" ${CONSUL_CA_FILE} 0644`,
    `place "$work/cert.pem" ${CONSUL_CERT_FILE} 0640`,
    `place "$work/key.pem" ${CONSUL_KEY_FILE} 0640`,
    "",
    "jq '",
    "  walk(",
    `    if . == "${PLACEHOLDERS.gossipKey}" then $ENV.MC_GOSSIP_KEY`,
    `    elif . == "${PLACEHOLDERS.roleToken}" then $ENV.MC_ROLE_TOKEN`,
    `    elif . == "${PLACEHOLDERS.managementToken}" then $ENV.MC_MANAGEMENT_TOKEN`,
    '    else . end)\' "$TEMPLATE" >"$work/secrets.json"',
    "if grep -q '@@' \"$work/secrets.json\"; then",
    '  echo "multicloud-consul-secrets: a placeholder is left in $TEMPLATE" >&2',
    "  exit 1",
    "fi",
    'place "$work/secrets.json" "$TARGET" 0640',
    "if $changed; then",
    `  ${SERVICE_TOOL} mark consul`,
    "fi",
    'install -d -m 0700 "$PRIVATE_DIR"',
    'printf \'%s\' "$MC_ROLE_TOKEN" >"$work/role.token"',
    'install -m 0600 "$work/role.token" "$PRIVATE_DIR/consul-role.token"',
    'if [[ -n "$MC_MANAGEMENT_TOKEN" ]]; then',
    '  printf \'%s\' "$MC_MANAGEMENT_TOKEN" >"$work/management.token"',
    '  install -m 0600 "$work/management.token" "$PRIVATE_DIR/consul-management.token"',
    "fi",
    ...tokenFiles,
  );
}

/**
 * Servers: the anonymous token limited to DNS reads, then one policy and one token per role (its
 * secret id is the stored one). Policies are updated to the rendered rules on every run; tokens are
 * created once. Runs on every server; whichever comes first does the work. Retried by systemd.
 */
export function renderConsulAclTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Limits the anonymous token to DNS reads, and keeps one policy and one token per role.",
    "set -euo pipefail",
    ...consulCliEnvironment(),
    `export CONSUL_HTTP_TOKEN_FILE=${CONSUL_PRIVATE_DIR}/consul-management.token`,
    `readonly PRIVATE_DIR=${CONSUL_PRIVATE_DIR}`,
    `readonly POLICIES=${CONSUL_POLICY_DIR}`,
    "",
    `leader="$(curl -fsS --max-time 5 --cacert ${CONSUL_CA_FILE} ${CONSUL_API}/v1/status/leader || true)"`,
    'if [[ -z "$leader" || "$leader" == \'""\' ]]; then',
    '  echo "multicloud-consul-acl-init: no leader yet" >&2',
    "  exit 1",
    "fi",
    "",
    "# policy NAME DESCRIPTION: creates the policy from $POLICIES/NAME.hcl, or updates its rules.",
    "policy() {",
    '  if consul acl policy read -name "$1" >/dev/null 2>&1; then',
    '    consul acl policy update -name "$1" -rules "@$POLICIES/$1.hcl" >/dev/null',
    "  else",
    '    consul acl policy create -name "$1" -description "$2" -rules "@$POLICIES/$1.hcl" >/dev/null ||',
    '      consul acl policy read -name "$1" >/dev/null',
    "  fi",
    "}",
    "",
    `policy ${DNS_READ_POLICY} "DNS: read services and nodes"`,
    "# The anonymous token's accessor id, Consul's public constant (spelled out of its parts).",
    `anonymous="$(printf '%08d-%04d-%04d-%04d-%012d' ${ANONYMOUS_TOKEN_ACCESSOR.split("-")
      .map((part) => Number.parseInt(part, 10))
      .join(" ")})"`,
    `consul acl token update -accessor-id "$anonymous" -policy-name ${DNS_READ_POLICY} \\`,
    '  -description "Anonymous: DNS reads only" >/dev/null',
    "",
    `for role in ${roles.join(" ")}; do`,
    '  name="multicloud-$role"',
    '  policy "$name" "the $role hosts: their nodes and services"',
    '  token_file="$PRIVATE_DIR/consul-token-$role.token"',
    '  if ! CONSUL_HTTP_TOKEN_FILE="$token_file" consul acl token read -self >/dev/null 2>&1; then',
    '    consul acl token create -description "the $role hosts" -policy-name "$name" \\',
    '      -secret "$(cat "$token_file")" >/dev/null ||',
    '      CONSUL_HTTP_TOKEN_FILE="$token_file" consul acl token read -self >/dev/null',
    "  fi",
    "done",
    'echo "multicloud-consul-acl-init: the anonymous policy and every role\'s policy and token are in place"',
  );
}

export function renderConsulAclUnit(): string {
  return lines(
    "[Unit]",
    "Description=Create the Consul role policies and tokens once the servers have a leader",
    "After=consul.service",
    "Wants=consul.service",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${CONSUL_ACL_TOOL}`,
    "Restart=on-failure",
    "RestartSec=30s",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/**
 * Servers: `consul snapshot save` into a local directory (a week is kept for quick restores), then
 * the snapshot is shipped to the off-site store in another region.
 */
export function renderConsulSnapshotTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    `# Saves a Consul snapshot into ${CONSUL_SNAPSHOT_DIR}, drops those older than`,
    `# ${CONSUL_SNAPSHOT_KEEP_DAYS} days, and ships the new one to the off-site store.`,
    "set -euo pipefail",
    "umask 077",
    ...consulCliEnvironment(),
    `export CONSUL_HTTP_TOKEN_FILE=${CONSUL_PRIVATE_DIR}/consul-management.token`,
    `readonly DIR=${CONSUL_SNAPSHOT_DIR}`,
    'install -d -m 0700 "$DIR"',
    'file="consul-$(hostname -s)-$(date -u +%Y%m%dT%H%M%SZ).snap"',
    'consul snapshot save "$DIR/$file.partial" >/dev/null',
    'mv "$DIR/$file.partial" "$DIR/$file"',
    `find "$DIR" -name 'consul-*.snap' -mtime +${CONSUL_SNAPSHOT_KEEP_DAYS} -delete`,
    `find "$DIR" -name '*.partial' -mmin +60 -delete`,
    `${OFFSITE_UPLOAD_TOOL} "$DIR/$file" "$file"`,
  );
}

export function renderConsulSnapshotUnits(): { service: string; timer: string } {
  return {
    service: lines(
      "[Unit]",
      "Description=Save a Consul snapshot",
      "After=consul.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${CONSUL_SNAPSHOT_TOOL}`,
      "Nice=10",
    ),
    timer: lines(
      "[Unit]",
      "Description=Hourly Consul snapshots",
      "",
      "[Timer]",
      "OnCalendar=hourly",
      "RandomizedDelaySec=10m",
      "Persistent=true",
      "",
      "[Install]",
      "WantedBy=timers.target",
    ),
  };
}
