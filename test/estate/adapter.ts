// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the shim below is bash, whose ${...} expansions happen in the namespace
// The estate's one adapter: everything that differs between a real host and a host of the estate,
// and nothing else. Every rendered file is laid down as cloud-init would lay it (path, mode) and
// its role's boot commands run as cloud-init would run them, except for what follows.
//
// 1. Consul's cloud auto-join (EC2 or GCE tags) becomes the static join list of the util hosts'
//    addresses, as the program renders it where a cloud has no auto-join (Sakura).
// 2. The cloud's resolvers (forward-addr of `.` and of a forwarded internal zone) are played by the
//    estate's stand-in resolver: link-local addresses (the AWS VPC resolver, the GCE metadata
//    server) are kept, since the stand-in holds them; Sakura's public resolvers are moved to it.
// 3. The estate's outside names (the partner's HTTPS name, the secret stores' API names) are
//    declared insecure to unbound: no DNSSEC chain from the root exists offline.
// 4. Programs that hosts download are put where their installers put them, and the installers are
//    not run: Consul (HashiCorp's apt package: its unit, its consul.hcl, its user, /opt/consul; the
//    binary at /usr/local/bin instead of /usr/bin) and chocon (the release asset at CHOCON_BIN).
//    The estate's test CA is a trusted root, as a public CA is on a real host.
// 5. systemd units become processes: `systemctl` is a shim that reads the same unit files (the
//    rendered ones, the packages' own) and starts, stops and reloads their commands in the host's
//    namespaces. Timers are accepted but not scheduled (the test runs their service when it means
//    "the timer's next run"), a crashed service is not restarted (the faults are stops), and a
//    oneshot's RestartSec is capped at 2 s so that the ACL setup does not wait 30 s for a leader.
import { readFileSync } from "node:fs";

export const SHIM_PATH = "/usr/local/sbin/systemctl";
export const CONSUL_BIN = "/usr/local/bin/consul";
/** HashiCorp's package installs its unit here; systemd also reads /usr/local/lib. */
export const CONSUL_UNIT_PATH = "/usr/local/lib/systemd/system/consul.service";
/** What the shim writes: main pids under /run/estate, each unit's output under /var/log/estate. */
export const SHIM_LOG_DIR = "/var/log/estate";
/** The user HashiCorp's package creates (a system account: an id no account here uses). */
export const CONSUL_UID = 2917;

/** Boot commands the estate does not run: the installers of downloaded programs (item 4). */
const INSTALLERS = [
  "/usr/local/sbin/multicloud-consul-install",
  "/usr/local/sbin/multicloud-chocon-install",
];

export interface AdapterContext {
  /** The util hosts' addresses in the estate. */
  readonly consulServers: readonly string[];
  /** Where the stand-in resolver answers for resolvers that cannot be held here. */
  readonly standInResolver: string;
  /** Outside names with no DNSSEC chain (the partner, the secret stores). */
  readonly insecureDomains: readonly string[];
}

/** A rendered file as the estate lays it down (items 1-3); every other file is unchanged. */
export function adaptFile(path: string, content: string, context: AdapterContext): string {
  if (path === "/etc/consul.d/multicloud.json") {
    const config = JSON.parse(content) as Record<string, unknown>;
    config.retry_join = [...context.consulServers];
    return `${JSON.stringify(config, null, 2)}\n`;
  }
  if (path === "/etc/unbound/unbound.conf") {
    const resolvers = content.replace(/^( {4}forward-addr: )(\S+)$/gm, (line, lead, address) =>
      address.startsWith("127.") || address.startsWith("169.254.")
        ? line
        : `${lead}${context.standInResolver}`,
    );
    const insecure = context.insecureDomains.map((domain) => `    domain-insecure: "${domain}"`);
    return resolvers.replace(/^(server:\n)/m, `$1${insecure.join("\n")}\n`);
  }
  return content;
}

/** The role's boot commands (cloud-init's runcmd) without the installers (item 4). */
export function bootCommands(runcmd: readonly string[]): string[] {
  return runcmd.filter((command) => !INSTALLERS.includes(command.trim()));
}

export interface PeerBinaries {
  readonly consul: string;
  readonly chocon: string;
}

/** A file, directory or link on a host, and who owns it (root unless said). */
export type PackageFile =
  | { kind: "file"; path: string; content: string; mode: number; owner?: number }
  | { kind: "directory"; path: string; mode: number; owner?: number }
  | { kind: "symlink"; path: string; target: string };

/** What a real host gets from its packages and installers (item 4), and the shim (item 5). */
export function packageFiles(binaries: PeerBinaries, testCaPem: string): PackageFile[] {
  const passwd = readFileSync("/etc/passwd", "utf8");
  const group = readFileSync("/etc/group", "utf8");
  const bundle = readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8");
  const file = (path: string, content: string, mode = 0o644): PackageFile => ({
    kind: "file",
    path,
    content,
    mode,
  });
  return [
    file(SHIM_PATH, SYSTEMCTL_SHIM, 0o755),
    file(CONSUL_UNIT_PATH, CONSUL_UNIT),
    // The package's own consul.hcl (its one setting; the rest of it is comments).
    file("/etc/consul.d/consul.hcl", 'data_dir = "/opt/consul"\n'),
    file(
      "/etc/passwd",
      `${passwd}consul:x:${CONSUL_UID}:${CONSUL_UID}::/etc/consul.d:/usr/sbin/nologin\n`,
    ),
    file("/etc/group", `${group}consul:x:${CONSUL_UID}:\n`),
    { kind: "directory", path: "/opt/consul", mode: 0o750, owner: CONSUL_UID },
    file("/etc/ssl/certs/ca-certificates.crt", `${bundle}${testCaPem}`),
    { kind: "symlink", path: CONSUL_BIN, target: binaries.consul },
    { kind: "symlink", path: "/usr/local/bin/chocon", target: binaries.chocon },
  ];
}

/** HashiCorp's consul.service as its package installs it (the binary's path moved, item 4). */
const CONSUL_UNIT = `[Unit]
Description="HashiCorp Consul - A service mesh solution"
Documentation=https://developer.hashicorp.com/
Requires=network-online.target
After=network-online.target
ConditionFileNotEmpty=/etc/consul.d/consul.hcl

[Service]
EnvironmentFile=-/etc/consul.d/consul.env
User=consul
Group=consul
ExecStart=${CONSUL_BIN} agent -config-dir=/etc/consul.d/
ExecReload=/bin/kill --signal HUP $MAINPID
KillMode=process
KillSignal=SIGTERM
Restart=on-failure
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;

/** Units a real host has that play no part here: accepted and left alone. */
const ABSENT_UNITS = ["systemd-resolved.service"];

/** `systemctl` for a host of the estate (item 5). */
export const SYSTEMCTL_SHIM = `#!/usr/bin/env bash
# systemctl for a host of the estate: runs the commands of the same unit files systemd would read.
set -euo pipefail
readonly RUN=/run/estate LOG=${SHIM_LOG_DIR}
mkdir -p "$RUN" "$LOG"
quiet=false no_block=false
args=()
for arg in "$@"; do
  case "$arg" in
    --quiet | -q) quiet=true ;;
    --no-block) no_block=true ;;
    --*) ;;
    *) args+=("$arg") ;;
  esac
done
say() { if ! $quiet; then echo "$@"; fi; }
action="\${args[0]:-}"
units=("\${args[@]:1}")

unit_name() { case "$1" in *.*) echo "$1" ;; *) echo "$1.service" ;; esac; }
unit_file() {
  local dir
  for dir in /etc/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system; do
    if [[ -f "$dir/$1" ]]; then echo "$dir/$1"; return 0; fi
  done
  return 1
}
# key FILE KEY: every value of KEY, continuation lines joined, one per line.
key() {
  sed -e ':a' -e '/\\\\$/N; s/\\\\\\n[[:space:]]*/ /; ta' "$1" | sed -n "s/^$2=//p"
}
# shellcheck disable=SC2194 # the list is written into this script
absent() { case " ${ABSENT_UNITS.join(" ")} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
main_pid() { cat "$RUN/$1.pid" 2>/dev/null || true; }
active() {
  local pid
  pid="$(main_pid "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# prefix FILE: how the unit's user and capabilities become a setpriv command.
prefix() {
  local user group caps
  user="$(key "$1" User | tail -n 1)" group="$(key "$1" Group | tail -n 1)"
  caps="$(key "$1" AmbientCapabilities | tail -n 1 | tr '[:upper:]' '[:lower:]' | sed 's/cap_/+/g; s/ /,/g')"
  if [[ "$(key "$1" DynamicUser | tail -n 1)" == yes ]]; then user=nobody group=nogroup; fi
  if [[ -z "$user" ]]; then return 0; fi
  printf 'setpriv --reuid=%s --regid=%s --clear-groups' "$user" "\${group:-$user}"
  if [[ -n "$caps" ]]; then printf ' --inh-caps=%s --ambient-caps=%s' "$caps" "$caps"; fi
}

# script FILE UNIT LINE: writes a script that runs one Exec line with the unit's environment.
script() {
  local file="$1" unit="$2" line="$3" env_file target="$RUN/$2.$RANDOM.sh"
  {
    echo "set -a"
    while read -r env_file; do
      [[ -z "$env_file" ]] && continue
      if [[ "$env_file" == -* ]]; then echo "[[ -r \${env_file#-} ]] && . \${env_file#-}"
      else echo ". $env_file"; fi
    done < <(key "$file" EnvironmentFile)
    echo "set +a"
    echo "MAINPID=\\"\\$(cat $RUN/$unit.pid 2>/dev/null)\\""
    echo "exec $line"
  } >"$target"
  echo "$target"
}
# bare LINE: an Exec line without systemd's prefixes (-, @, !, +).
bare() { local line="$1"; while [[ "$line" == [-@!+]* ]]; do line="\${line:1}"; done; echo "$line"; }

conditions_hold() {
  local condition
  while read -r condition; do
    [[ -z "$condition" ]] && continue
    if [[ "$condition" == !* ]]; then [[ ! -e "\${condition#!}" ]] || return 1
    else [[ -e "$condition" ]] || return 1; fi
  done < <(key "$1" ConditionPathExists)
  while read -r condition; do
    [[ -z "$condition" ]] && continue
    [[ -s "$condition" ]] || return 1
  done < <(key "$1" ConditionFileNotEmpty)
}

run_pre() {
  local file="$1" unit="$2" line
  while read -r line; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == -* ]]; then
      bash "$(script "$file" "$unit" "$(bare "$line")")" >>"$LOG/$unit.log" 2>&1 || true
    else
      bash "$(script "$file" "$unit" "$(bare "$line")")" >>"$LOG/$unit.log" 2>&1
    fi
  done < <(key "$file" ExecStartPre)
}

start() {
  local unit="$1" file type line restart_sec
  if [[ "$unit" == *.timer ]]; then : >"$RUN/$unit.active"; return 0; fi
  if absent "$unit"; then return 0; fi
  file="$(unit_file "$unit")" || { echo "Unit $unit not found." >&2; return 5; }
  if active "$unit"; then return 0; fi
  conditions_hold "$file" || { say "$unit: a condition does not hold; not started"; return 0; }
  type="$(key "$file" Type | tail -n 1)"
  line="$(prefix "$file") $(bare "$(key "$file" ExecStart | tail -n 1)")"
  if [[ "$type" == oneshot ]]; then
    run_pre "$file" "$unit"
    if $no_block && [[ "$(key "$file" Restart | tail -n 1)" == on-failure ]]; then
      restart_sec="$(key "$file" RestartSec | tail -n 1 | tr -dc 0-9)"
      restart_sec=$(( \${restart_sec:-1} > 2 ? 2 : \${restart_sec:-1} ))
      # Retried until it succeeds, as Restart=on-failure does.
      # shellcheck disable=SC2016 # expanded by the inner shell
      setsid bash -c 'for _ in $(seq 1 150); do if bash "$1"; then exit 0; fi; sleep "$2"; done; exit 1' \
        _ "$(script "$file" "$unit" "$line")" "$restart_sec" >>"$LOG/$unit.log" 2>&1 </dev/null &
      echo $! >"$RUN/$unit.pid"
      return 0
    fi
    bash "$(script "$file" "$unit" "$line")" >>"$LOG/$unit.log" 2>&1
    return
  fi
  run_pre "$file" "$unit"
  if [[ "$type" == forking ]]; then
    bash "$(script "$file" "$unit" "$line")" >>"$LOG/$unit.log" 2>&1 </dev/null
    local pid_file
    pid_file="$(key "$file" PIDFile | tail -n 1)"
    for _ in $(seq 1 50); do [[ -s "$pid_file" ]] && break; sleep 0.1; done
    cp "$pid_file" "$RUN/$unit.pid"
  else
    setsid bash "$(script "$file" "$unit" "$line")" >>"$LOG/$unit.log" 2>&1 </dev/null &
    echo $! >"$RUN/$unit.pid"
  fi
  say "started $unit"
}

stop() {
  local unit="$1" pid
  rm -f "$RUN/$unit.active"
  pid="$(main_pid "$unit")"
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$RUN/$unit.pid"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  # The rest of the unit's processes (its process group), as KillMode=control-group does.
  pkill -KILL -g "$pid" 2>/dev/null || true
  rm -f "$RUN/$unit.pid"
}

reload() {
  local unit="$1" file line
  file="$(unit_file "$unit")" || { echo "Unit $unit not found." >&2; return 5; }
  line="$(bare "$(key "$file" ExecReload | tail -n 1)")"
  [[ -n "$line" ]] || { echo "$unit has no ExecReload" >&2; return 1; }
  bash "$(script "$file" "$unit" "$line")" >>"$LOG/$unit.log" 2>&1
}

case "$action" in
  daemon-reload | enable | disable) exit 0 ;;
  is-active)
    for unit in "\${units[@]}"; do
      unit="$(unit_name "$unit")"
      if [[ "$unit" == *.timer && -e "$RUN/$unit.active" ]] || absent "$unit" || active "$unit"; then
        say active
      else
        say inactive
        exit 3
      fi
    done
    ;;
  start) for unit in "\${units[@]}"; do start "$(unit_name "$unit")"; done ;;
  stop) for unit in "\${units[@]}"; do stop "$(unit_name "$unit")"; done ;;
  restart)
    for unit in "\${units[@]}"; do
      unit="$(unit_name "$unit")"
      absent "$unit" && continue
      stop "$unit"
      start "$unit"
    done
    ;;
  reload) for unit in "\${units[@]}"; do reload "$(unit_name "$unit")"; done ;;
  *) echo "systemctl (estate): $action is not supported" >&2; exit 1 ;;
esac
`;
