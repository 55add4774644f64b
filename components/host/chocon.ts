// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// chocon, the keep-alive proxy for calls to other clouds: the build of the artifacts workflow,
// downloaded from the region's artifact store and installed only when its SHA-256 is the pinned
// one, run by a hardened systemd unit on port 80 of the host's private address. Pure.
import type { RegionSpec } from "../spec/schema";
import { type ChoconBuild, choconObjectKey, isSha256Hex } from "./chocon-build";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { lines, shellQuote } from "./model";
import { S3_ENDPOINT } from "./offsite";
import { HOST_ENV_PATH, SBIN, SERVICE_TOOL } from "./scripts";
import type { ArtifactStore } from "./site-facts";

export const CHOCON_BIN = "/usr/local/bin/chocon";
export const CHOCON_INSTALL_TOOL = `${SBIN}/multicloud-chocon-install`;
export const CHOCON_UNIT_PATH = "/etc/systemd/system/chocon.service";
export const CHOCON_STAMP = "/usr/local/lib/multicloud/chocon.sha256";
export const GCS_DOWNLOAD_ENDPOINT = "https://storage.googleapis.com/storage/v1";
/** SHA-256 of an empty body: the payload hash S3 expects on a GET. */
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Downloads tried before the installer gives up, and the pause between them. */
export const DOWNLOAD_ATTEMPTS = 6;
export const RETRY_DELAY_SECONDS = 10;
/** How long a Sakura host waits for the SSH push to leave the bucket's name and key. */
const PUSH_WAIT_SECONDS = 900;

/** Shell lines that set `$bucket` and define `get KEY FILE` for one kind of store (read only). */
function downloadLines(store: ArtifactStore, bucketKey: string): string[] {
  const s3Get = (signWith: string[]) => [
    "get() {",
    ...signWith,
    "    curl -fsS --max-time 600 --retry 5 --retry-connrefused -K - \\",
    '      --aws-sigv4 "aws:amz:$REGION:s3" -H "x-amz-content-sha256: $EMPTY_SHA256" \\',
    `      -o "$2" "${S3_ENDPOINT}/$1"`,
    "}",
  ];
  switch (store.kind) {
    case "s3-instance-role":
      return [
        "# S3 in the region, signed with the instance role's credentials; the bucket is an instance tag.",
        `readonly REGION=${shellQuote(store.region)}`,
        `readonly EMPTY_SHA256=${EMPTY_SHA256}`,
        ...awsInstanceCredentialLines(),
        `bucket="$(imds tags/instance/${bucketKey})"`,
        ...s3Get([AWS_CURL_CONFIG]),
      ];
    case "s3-pushed-key":
      return [
        "# S3 in AWS, signed with the read-only key that the SSH push left on the host; a host that",
        "# boots before the push waits for it.",
        `readonly REGION=${shellQuote(store.region)}`,
        `readonly EMPTY_SHA256=${EMPTY_SHA256}`,
        `readonly PUSHED=${shellQuote(store.directory)}`,
        "pushed() {",
        "  local waited=0",
        '  until [[ -s "$PUSHED/$1" ]]; do',
        `    if ((waited >= ${PUSH_WAIT_SECONDS})); then`,
        '      echo "multicloud-chocon-install: $PUSHED/$1 is missing (the SSH push writes it)" >&2',
        "      exit 1",
        "    fi",
        "    sleep 5",
        "    waited=$((waited + 5))",
        "  done",
        "  tr -d '\\n' <\"$PUSHED/$1\"",
        "}",
        `bucket="$(pushed ${shellQuote(store.names.bucket)})"`,
        ...s3Get([
          "  # The key goes to curl on stdin (-K -), never on a command line other users can read.",
          `  printf 'user = "%s:%s"\\n' "$(pushed ${shellQuote(store.names.accessKeyId)})" \\`,
          `    "$(pushed ${shellQuote(store.names.secretAccessKey)})" |`,
        ]),
      ];
    case "gcs-service-account":
      return [
        "# Cloud Storage in the region, with the VM service account's token; the bucket is metadata.",
        ...gceTokenLines(),
        `bucket="$(gce_metadata instance/attributes/${bucketKey})"`,
        "get() {",
        "  local name",
        '  name="$(jq -rn --arg key "$1" \'$key | @uri\')"',
        '  printf \'header = "Authorization: Bearer %s"\\n\' "$access_token" |',
        "    curl -fsS --max-time 600 --retry 5 --retry-connrefused -K - \\",
        `      -o "$2" "${GCS_DOWNLOAD_ENDPOINT}/b/$bucket/o/$name?alt=media"`,
        "}",
      ];
  }
}

/**
 * `multicloud-chocon-install`: downloads the pinned build from the region's artifact store,
 * checks its SHA-256 and installs it; exits non-zero, installing nothing, when the object is
 * missing or its bytes differ. Without a build (`undefined`) it refuses to install at all.
 */
export function renderChoconInstallTool(
  build: ChoconBuild | undefined,
  store: ArtifactStore,
  bucketKey: string,
): string {
  const pinned = build && isSha256Hex(build.sha256) ? build : undefined;
  const head = [
    "#!/usr/bin/env bash",
    pinned
      ? `# Installs chocon ${pinned.version}, the build with the SHA-256 below, from the region's artifact store.`
      : "# No chocon build is pinned: this installer refuses to install anything.",
    "set -euo pipefail",
    `readonly SHA256=${shellQuote(pinned?.sha256 ?? "")}`,
    `readonly BIN=${CHOCON_BIN}`,
    `readonly STAMP=${CHOCON_STAMP}`,
    "",
    "if [[ ! $SHA256 =~ ^[0-9a-f]{64}$ ]]; then",
    '  echo "multicloud-chocon-install: no chocon build is pinned; refusing to install" >&2',
    "  exit 1",
    "fi",
  ];
  if (!pinned) return lines(...head);
  return lines(
    ...head,
    "# Already there: the installed binary still has the pinned bytes.",
    'if [[ "$(cat "$STAMP" 2>/dev/null || true)" == "$SHA256" ]] &&',
    '  echo "$SHA256  $BIN" | sha256sum --check --quiet --strict - 2>/dev/null; then',
    "  exit 0",
    "fi",
    `readonly KEY=${shellQuote(choconObjectKey(pinned))}`,
    `readonly ATTEMPTS=${DOWNLOAD_ATTEMPTS}`,
    `readonly RETRY_DELAY=${RETRY_DELAY_SECONDS}`,
    "",
    ...downloadLines(store, bucketKey),
    "",
    'if [[ -z "$bucket" ]]; then',
    '  echo "multicloud-chocon-install: this host is not told which artifact bucket to use" >&2',
    "  exit 1",
    "fi",
    'work="$(mktemp -d)"',
    "trap 'rm -rf \"$work\"' EXIT",
    "# A new host's grant may take a moment to reach the store: a few attempts before giving up.",
    "attempt=1",
    'until get "$KEY" "$work/chocon"; do',
    "  if ((attempt >= ATTEMPTS)); then",
    '    echo "multicloud-chocon-install: could not download $KEY from $bucket ($attempt attempts); chocon is not installed" >&2',
    "    exit 1",
    "  fi",
    "  attempt=$((attempt + 1))",
    '  sleep "$RETRY_DELAY"',
    "done",
    'if ! echo "$SHA256  $work/chocon" | sha256sum --check --quiet --strict -; then',
    '  echo "multicloud-chocon-install: $KEY does not have the pinned SHA-256; chocon is not installed" >&2',
    "  exit 1",
    "fi",
    "# Replaced in one rename, so a running unit never sees half a binary.",
    'install -m 0755 "$work/chocon" "$BIN.new"',
    'mv -f "$BIN.new" "$BIN"',
    'install -D -m 0644 /dev/null "$STAMP"',
    'printf \'%s\\n\' "$SHA256" >"$STAMP"',
    `${SERVICE_TOOL} mark chocon`,
  );
}

/**
 * The unit: port 80 (chocon keeps the Host header's port, so port-less URLs must reach port 80),
 * the host's private address only (an open proxy must not face the Internet), no user of its own.
 */
export function renderChoconUnit(spec: RegionSpec): string {
  const c = spec.chocon;
  return lines(
    "[Unit]",
    "Description=chocon keep-alive proxy for calls to other clouds",
    "Documentation=https://github.com/kazeburo/chocon",
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    `EnvironmentFile=${HOST_ENV_PATH}`,
    "# --read-timeout is also how long an idle client connection is kept (Go uses it when no idle",
    "# timeout is set); chocon's own upstream idle timeout is fixed at 30 s in the binary.",
    `ExecStart=${CHOCON_BIN} --listen \${PRIVATE_ADDRESS} --port 80 \\`,
    `    --keepalive-conns ${c.maxIdleConnsPerHost} \\`,
    `    --proxy-read-timeout ${c.upstreamTimeoutSeconds} \\`,
    `    --read-timeout ${c.idleTimeoutSeconds} \\`,
    `    --write-timeout ${c.upstreamTimeoutSeconds + 30} \\`,
    "    --shutdown-timeout 25s \\",
    "    --access-log-dir stdout",
    "Restart=always",
    "RestartSec=2s",
    "TimeoutStopSec=30s",
    "LimitNOFILE=65536",
    "DynamicUser=yes",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "ProtectProc=invisible",
    "ProcSubset=pid",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "MemoryDenyWriteExecute=yes",
    "RemoveIPC=yes",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallFilter=~@privileged",
    "SystemCallErrorNumber=EPERM",
    "UMask=0077",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}
