// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// chocon, the keep-alive proxy for calls to other clouds: a pinned release binary, verified by its
// SHA-256, run by a hardened systemd unit on port 80 of the host's private address. Pure.
import { CHOCON_VERSION } from "../spec/chocon";
import type { RegionSpec } from "../spec/schema";
import { lines, shellQuote } from "./model";
import { HOST_ENV_PATH, SBIN, SERVICE_TOOL } from "./scripts";

export interface ChoconRelease {
  readonly version: string;
  /** Release asset for linux/amd64 (a .zip or .tar.gz holding the `chocon` binary). */
  readonly url: string;
  /** SHA-256 of the asset, lowercase hex; the installer refuses anything else. */
  readonly sha256: string;
}

/**
 * The chocon release every chocon host runs. The checksum must be recorded from the release's asset
 * (`curl -fsSL URL | sha256sum`) when the version changes; until it is, the installer refuses to
 * install (fail closed) and says so in the boot log.
 */
export const CHOCON_RELEASE: ChoconRelease = {
  version: CHOCON_VERSION,
  url: `https://github.com/kazeburo/chocon/releases/download/v${CHOCON_VERSION}/chocon_linux_amd64.zip`,
  sha256: "",
};

export const CHOCON_BIN = "/usr/local/bin/chocon";
export const CHOCON_INSTALL_TOOL = `${SBIN}/multicloud-chocon-install`;
export const CHOCON_UNIT_PATH = "/etc/systemd/system/chocon.service";
const STAMP = "/usr/local/lib/multicloud/chocon.sha256";

export function isRecordedSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

export function renderChoconInstallTool(release: ChoconRelease = CHOCON_RELEASE): string {
  return lines(
    "#!/usr/bin/env bash",
    `# Installs chocon ${release.version} from its release asset, verified against the pinned SHA-256.`,
    "set -euo pipefail",
    `readonly URL=${shellQuote(release.url)}`,
    `readonly SHA256=${shellQuote(release.sha256)}`,
    `readonly BIN=${CHOCON_BIN}`,
    `readonly STAMP=${STAMP}`,
    "",
    'if [[ -x "$BIN" && "$(cat "$STAMP" 2>/dev/null || true)" == "$SHA256" ]]; then',
    "  exit 0",
    "fi",
    "if [[ ! $SHA256 =~ ^[0-9a-f]{64}$ ]]; then",
    `  echo "multicloud-chocon-install: no SHA-256 recorded for chocon ${release.version}; refusing to install" >&2`,
    "  exit 1",
    "fi",
    'work="$(mktemp -d)"',
    "trap 'rm -rf \"$work\"' EXIT",
    'curl -fsSL --retry 5 --retry-connrefused -o "$work/asset" "$URL"',
    'if ! echo "$SHA256  $work/asset" | sha256sum --check --quiet --strict -; then',
    '  echo "multicloud-chocon-install: $URL does not have the pinned SHA-256" >&2',
    "  exit 1",
    "fi",
    'mkdir "$work/unpacked"',
    'case "$URL" in',
    '  *.zip) unzip -q "$work/asset" -d "$work/unpacked" ;;',
    '  *.tar.gz) tar -xzf "$work/asset" -C "$work/unpacked" ;;',
    '  *) install -m 0755 "$work/asset" "$work/unpacked/chocon" ;;',
    "esac",
    'binary="$(find "$work/unpacked" -type f -name chocon | head -n 1)"',
    'if [[ -z "$binary" ]]; then',
    '  echo "multicloud-chocon-install: no chocon binary in $URL" >&2',
    "  exit 1",
    "fi",
    'install -m 0755 "$binary" "$BIN"',
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
