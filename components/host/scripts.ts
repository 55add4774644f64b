// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// Small tools every host carries: service application, host facts, the HashiCorp repository,
// the data disk. Plain bash, checked by shellcheck in the tests. Pure.
import { CONSUL_APT_VERSION, HASHICORP_KEY_FINGERPRINT, HASHICORP_KEYRING } from "./consul";
import { lines, shellQuote } from "./model";

export const SBIN = "/usr/local/sbin";
export const SERVICE_TOOL = `${SBIN}/multicloud-service`;
export const HOST_FACTS_TOOL = `${SBIN}/multicloud-host-facts`;
export const HASHICORP_TOOL = `${SBIN}/multicloud-consul-install`;
export const DATA_DISK_TOOL = `${SBIN}/multicloud-data-disk`;
export const APT_TOOL = `${SBIN}/multicloud-apt-install`;
export const USE_UNBOUND_TOOL = `${SBIN}/multicloud-use-unbound`;
/** Host-specific values found at boot (PRIVATE_ADDRESS, CACHE_MB); read by systemd units. */
export const HOST_ENV_PATH = "/etc/multicloud/host.env";
export const HASHICORP_LIST_PATH = "/etc/apt/sources.list.d/hashicorp.list";
/** Ubuntu 24.04 LTS, the OS of every host. */
export const UBUNTU_CODENAME = "noble";

/** Marks services whose files changed; applies them (restart when marked, start when stopped). */
export function renderServiceTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-service mark UNIT...   remember that UNIT's files changed",
    "# multicloud-service apply UNIT...  enable UNIT; restart it when marked, else start it if stopped",
    "# Marks live in /run, so after a reboot every service simply starts.",
    "set -euo pipefail",
    "readonly MARKS=/run/multicloud/changed",
    "",
    "usage() {",
    '  echo "usage: multicloud-service mark|apply UNIT..." >&2',
    "  exit 2",
    "}",
    "",
    "[[ $# -ge 2 ]] || usage",
    'action="$1"',
    "shift",
    'case "$action" in',
    "  mark)",
    '    mkdir -p "$MARKS"',
    '    for unit in "$@"; do',
    '      : >"$MARKS/$unit"',
    "    done",
    "    ;;",
    "  apply)",
    "    systemctl daemon-reload",
    '    for unit in "$@"; do',
    '      systemctl enable --quiet "$unit"',
    '      if [[ -e "$MARKS/$unit" ]]; then',
    '        echo "multicloud-service: restarting $unit (its files changed)"',
    '        systemctl restart "$unit"',
    '        rm -f "$MARKS/$unit"',
    '      elif ! systemctl is-active --quiet "$unit"; then',
    '        systemctl start "$unit"',
    "      fi",
    "    done",
    "    ;;",
    "  *) usage ;;",
    "esac",
  );
}

/** Installs the packages that are missing (and only those): `multicloud-apt-install PACKAGE...`. */
export function renderAptTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-apt-install PACKAGE...: installs the packages that are not installed yet.",
    "set -euo pipefail",
    "export DEBIAN_FRONTEND=noninteractive",
    "missing=()",
    'for package in "$@"; do',
    "  # shellcheck disable=SC2016 # ${Status} is dpkg-query's field, not a shell variable",
    '  if ! dpkg-query -W -f=\'${Status}\' "$package" 2>/dev/null | grep -q "ok installed"; then',
    '    missing+=("$package")',
    "  fi",
    "done",
    'if [[ "${#missing[@]}" -gt 0 ]]; then',
    "  apt-get update -q",
    "  apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \\",
    '    "${missing[@]}"',
    "fi",
  );
}

/**
 * Makes unbound the host's only resolver, once it answers: /etc/resolv.conf links to the rendered
 * one, systemd-resolved drops its stub, and `hosts:` in nsswitch.conf asks DNS (no mDNS, which would
 * swallow the internal zone when it is `local`).
 */
export function renderUseUnboundTool(resolvConfPath: string): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Points the host at unbound on 127.0.0.1 once unbound answers.",
    "set -euo pipefail",
    `readonly RESOLV=${resolvConfPath}`,
    "for attempt in $(seq 1 30); do",
    "  if dig @127.0.0.1 +time=1 +tries=1 +short localhost A >/dev/null 2>&1; then",
    "    break",
    "  fi",
    '  if [[ "$attempt" -eq 30 ]]; then',
    '    echo "multicloud-use-unbound: unbound does not answer on 127.0.0.1; resolv.conf left alone" >&2',
    "    exit 1",
    "  fi",
    "  sleep 1",
    "done",
    "# Every process reads resolv.conf: its folder is world-readable even where the SSH push of the",
    "# host secrets created it root-only (only the secrets folder inside it is private).",
    'install -d -m 0755 "$(dirname "$RESOLV")"',
    'chmod 0644 "$RESOLV"',
    'if [[ "$(readlink /etc/resolv.conf || true)" != "$RESOLV" ]]; then',
    '  ln -sfn "$RESOLV" /etc/resolv.conf',
    "fi",
    `${SERVICE_TOOL} apply systemd-resolved`,
    "readonly HOSTS_LINE='hosts:          files dns'",
    'if ! grep -qx "$HOSTS_LINE" /etc/nsswitch.conf; then',
    '  sed -i "s/^hosts:.*/$HOSTS_LINE/" /etc/nsswitch.conf',
    "fi",
  );
}

/**
 * Finds the host's address inside the region's network, writes HOST_ENV_PATH (PRIVATE_ADDRESS,
 * SERVER_ID: the address as a number, CACHE_MB), and fills `@@PRIVATE_ADDRESS@@` and
 * `@@NODE_NAME@@` (`<role>-<host name>`, or the host name when it starts so) in templates:
 * `multicloud-host-facts [TEMPLATE TARGET UNIT]...`.
 */
export function renderHostFactsTool(
  networkCidr: string,
  envUnits: readonly string[],
  role: string,
): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Writes this host's facts (its address in the region's network) and fills them into templates:",
    "#   multicloud-host-facts [TEMPLATE TARGET UNIT]...",
    "set -euo pipefail",
    `readonly NETWORK=${shellQuote(networkCidr)}`,
    `readonly ENV_FILE=${HOST_ENV_PATH}`,
    `readonly ENV_UNITS=(${envUnits.map(shellQuote).join(" ")})`,
    `readonly ROLE=${shellQuote(role)}`,
    "",
    "to_int() {",
    "  local a b c d",
    '  IFS=. read -r a b c d <<<"$1"',
    "  echo $(((a << 24) | (b << 16) | (c << 8) | d))",
    "}",
    "",
    "# write_if_changed TARGET UNIT... <content: installs TARGET (0644) only when it differs.",
    "write_if_changed() {",
    '  local target="$1" tmp',
    "  shift",
    '  tmp="$(mktemp)"',
    '  cat >"$tmp"',
    '  if cmp -s "$tmp" "$target"; then',
    '    rm -f "$tmp"',
    "    return 0",
    "  fi",
    '  install -D -m 0644 "$tmp" "$target"',
    '  rm -f "$tmp"',
    '  echo "multicloud-host-facts: wrote $target"',
    "  if [[ $# -gt 0 ]]; then",
    `    ${SERVICE_TOOL} mark "$@"`,
    "  fi",
    "}",
    "",
    'bits="${NETWORK#*/}"',
    "mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))",
    'want=$(($(to_int "${NETWORK%/*}") & mask))',
    'address=""',
    "while read -r cidr; do",
    '  candidate="${cidr%/*}"',
    '  if ((($(to_int "$candidate") & mask) == want)); then',
    '    address="$candidate"',
    "    break",
    "  fi",
    "done < <(ip -o -4 addr show scope global | awk '{print $4}')",
    'if [[ -z "$address" ]]; then',
    '  echo "multicloud-host-facts: no address in $NETWORK on this host" >&2',
    "  exit 1",
    "fi",
    "",
    "# Three quarters of the memory for a cache (memcached, InnoDB's buffer pool).",
    "cache_mb=$(($(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo) * 3 / 4))",
    "# The node name starts with the role: a role's Consul token may write only such nodes.",
    'host="$(hostname -s)"',
    'node="$host"',
    'if [[ "$host" != "$ROLE"-* ]]; then node="$ROLE-$host"; fi',
    'printf \'PRIVATE_ADDRESS=%s\\nSERVER_ID=%s\\nCACHE_MB=%s\\n\' "$address" "$(to_int "$address")" "$cache_mb" |',
    '  write_if_changed "$ENV_FILE" "${ENV_UNITS[@]}"',
    "while [[ $# -ge 3 ]]; do",
    '  sed -e "s/@@PRIVATE_ADDRESS@@/$address/g" -e "s/@@NODE_NAME@@/$node/g" "$1" | write_if_changed "$2" "$3"',
    "  shift 3",
    "done",
  );
}

/** The HashiCorp apt source for Ubuntu 24.04, signed by the pinned key. */
export function renderHashicorpList(): string {
  return lines(
    "# HashiCorp's packages (Consul); the keyring is checked against a pinned fingerprint.",
    `deb [signed-by=${HASHICORP_KEYRING}] https://apt.releases.hashicorp.com ${UBUNTU_CODENAME} main`,
  );
}

/** Installs HashiCorp's key (only with the pinned fingerprint) and the pinned Consul package. */
export function renderConsulInstallTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# Installs HashiCorp's signing key, refused unless its fingerprint is the pinned one, then the",
    "# pinned Consul package; does nothing when both are in place.",
    "set -euo pipefail",
    `readonly FINGERPRINT=${HASHICORP_KEY_FINGERPRINT}`,
    `readonly KEYRING=${HASHICORP_KEYRING}`,
    `readonly VERSION=${CONSUL_APT_VERSION}`,
    "export DEBIAN_FRONTEND=noninteractive",
    "",
    "fingerprints() {",
    '  gpg --batch --show-keys --with-colons "$1" 2>/dev/null | awk -F: \'$1 == "fpr" {print $10}\'',
    "}",
    "",
    'if [[ ! -s "$KEYRING" ]] || ! fingerprints "$KEYRING" | grep -qx "$FINGERPRINT"; then',
    '  work="$(mktemp -d)"',
    "  trap 'rm -rf \"$work\"' EXIT",
    '  curl -fsSL --retry 5 --retry-connrefused -o "$work/key.asc" https://apt.releases.hashicorp.com/gpg',
    '  if ! fingerprints "$work/key.asc" | grep -qx "$FINGERPRINT"; then',
    '    echo "multicloud-consul-install: HashiCorp key does not have fingerprint $FINGERPRINT" >&2',
    "    exit 1",
    "  fi",
    '  gpg --batch --dearmor <"$work/key.asc" >"$work/keyring.gpg"',
    '  install -m 0644 "$work/keyring.gpg" "$KEYRING"',
    "fi",
    "",
    "# shellcheck disable=SC2016 # ${Version} is dpkg-query's field, not a shell variable",
    "installed=\"$(dpkg-query -W -f='${Version}' consul 2>/dev/null || true)\"",
    'if [[ "$installed" != "$VERSION" ]]; then',
    "  apt-get update -q",
    "  apt-get install -y -q --allow-change-held-packages \\",
    "    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \\",
    '    "consul=$VERSION"',
    "  apt-mark hold consul >/dev/null",
    `  ${SERVICE_TOOL} mark consul`,
    "fi",
  );
}

/**
 * Mounts the data disk before the daemon that uses it is installed:
 * `multicloud-data-disk MOUNTPOINT LABEL DEVICE|auto [BIND_TARGET]`. DEVICE `auto` is the one blank
 * whole disk; BIND_TARGET (the daemon's data directory) is bind-mounted from MOUNTPOINT/<its name>,
 * so the daemon sees an empty directory (no lost+found) at its usual path. Never formats a disk that
 * has a filesystem, never mounts over a non-empty directory. No disk: the root disk is used.
 */
export function renderDataDiskTool(): string {
  return lines(
    "#!/usr/bin/env bash",
    "# multicloud-data-disk MOUNTPOINT LABEL DEVICE|auto [BIND_TARGET]",
    "set -euo pipefail",
    "if [[ $# -lt 3 || $# -gt 4 ]]; then",
    '  echo "usage: multicloud-data-disk MOUNTPOINT LABEL DEVICE|auto [BIND_TARGET]" >&2',
    "  exit 2",
    "fi",
    'mount_dir="$1" label="$2" device="$3" bind_target="${4:-}"',
    "",
    "# fstab_add LINE: appends LINE to /etc/fstab unless its first two fields are there already.",
    "fstab_add() {",
    "  local source target",
    '  read -r source target _ <<<"$1"',
    '  if ! awk -v s="$source" -v t="$target" \'$1 == s && $2 == t {found = 1} END {exit !found}\' /etc/fstab; then',
    "    printf '%s\\n' \"$1\" >>/etc/fstab",
    "  fi",
    "}",
    "",
    "# empty_dir DIR: true when DIR is missing or empty.",
    "empty_dir() {",
    '  [[ ! -d "$1" || -z "$(ls -A "$1")" ]]',
    "}",
    "",
    'if ! mountpoint -q "$mount_dir"; then',
    "  # A disk that already carries the label is the data disk (a rebuilt host keeps its data).",
    '  if labelled="$(blkid -L "$label" 2>/dev/null)"; then',
    '    device="$labelled"',
    '  elif [[ "$device" == auto ]]; then',
    "    # Whole disks with no partition and no filesystem: exactly one is wanted.",
    '    mapfile -t blank < <(lsblk -dpno NAME,TYPE,FSTYPE | awk \'$2 == "disk" && $3 == "" {print $1}\' |',
    '      while read -r disk; do [[ "$(lsblk -no NAME "$disk" | wc -l)" -eq 1 ]] && echo "$disk"; done)',
    '    if [[ "${#blank[@]}" -ne 1 ]]; then',
    '      echo "multicloud-data-disk: no single blank disk for $mount_dir; data stays on the root disk" >&2',
    "      exit 0",
    "    fi",
    '    device="${blank[0]}"',
    "  fi",
    '  if [[ ! -b "$device" ]]; then',
    '    echo "multicloud-data-disk: $device is not a block device; data stays on the root disk" >&2',
    "    exit 0",
    "  fi",
    '  if [[ -z "$(blkid -o value -s TYPE "$device" || true)" ]]; then',
    '    mkfs.ext4 -q -L "$label" "$device"',
    "  fi",
    '  if ! empty_dir "$mount_dir"; then',
    '    echo "multicloud-data-disk: $mount_dir is not empty; not mounting $device over it" >&2',
    "    exit 1",
    "  fi",
    '  mkdir -p "$mount_dir"',
    '  fstab_add "LABEL=$label $mount_dir ext4 defaults,noatime,nofail 0 2"',
    '  mount "$mount_dir"',
    "fi",
    "",
    'if [[ -n "$bind_target" ]] && ! mountpoint -q "$bind_target"; then',
    '  source_dir="$mount_dir/$(basename "$bind_target")"',
    '  if ! empty_dir "$bind_target"; then',
    '    echo "multicloud-data-disk: $bind_target is not empty; leaving it on the root disk" >&2',
    "    exit 1",
    "  fi",
    '  mkdir -p "$source_dir" "$bind_target"',
    '  fstab_add "$source_dir $bind_target none bind,nofail,x-systemd.requires-mounts-for=$mount_dir 0 0"',
    '  mount "$bind_target"',
    "fi",
  );
}
