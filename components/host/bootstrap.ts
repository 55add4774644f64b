// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The SSH bootstrap of a role, for dedicated servers: the same packages, files and commands as the
// cloud-init document, as an idempotent bash script. A file is written only when its content or
// mode differs; a service restarts only when one of its files changed; a second run changes
// nothing. `ROOT=/dir` writes every file under /dir and skips packages, commands and services
// (for tests). It holds no secret. Pure.
import type { HostPlan } from "./model";
import { shellQuote } from "./model";
import { SERVICE_TOOL } from "./scripts";

const DELIMITER = "MULTICLOUD_FILE_EOF";

export function renderBootstrap(plan: HostPlan): string {
  const out: string[] = [
    "#!/usr/bin/env bash",
    `# multicloud host bootstrap, role ${plan.role}, region ${plan.region}. Rendered; holds no secret.`,
    "# Safe to run again: files are written when they differ, services restart when their files did.",
    "# ROOT=/dir: write the files under /dir only; skip packages, commands and services.",
    "set -euo pipefail",
    "umask 022",
    'ROOT="${ROOT:-}"',
    'if [[ -z "$ROOT" && "$(id -u)" -ne 0 ]]; then',
    '  echo "bootstrap: run as root (or set ROOT for a scratch tree)" >&2',
    "  exit 1",
    "fi",
    "export DEBIAN_FRONTEND=noninteractive",
    "changed=0",
    "marks=()",
    "",
    "# put PATH MODE [UNIT...] <content: writes PATH when its content, mode or owner differ.",
    "put() {",
    '  local path="$ROOT$1" mode="$2" tmp',
    "  shift 2",
    '  tmp="$(mktemp)"',
    '  cat >"$tmp"',
    '  if [[ -f "$path" && ! -L "$path" ]] && cmp -s "$tmp" "$path" &&',
    '    [[ "$(stat -c %a "$path")" == "${mode#0}" ]] &&',
    '    [[ -n "$ROOT" || "$(stat -c %U:%G "$path")" == root:root ]]; then',
    '    rm -f "$tmp"',
    "    return 0",
    "  fi",
    '  mkdir -p "$(dirname "$path")"',
    '  install -m "$mode" "$tmp" "$path"',
    '  rm -f "$tmp"',
    '  echo "bootstrap: wrote ${path}"',
    "  changed=$((changed + 1))",
    '  marks+=("$@")',
    "}",
    "",
    'if [[ -z "$ROOT" ]]; then',
    "  missing=()",
    `  for package in ${plan.packages.map(shellQuote).join(" ")}; do`,
    "    # shellcheck disable=SC2016 # ${Status} is dpkg-query's field, not a shell variable",
    '    if ! dpkg-query -W -f=\'${Status}\' "$package" 2>/dev/null | grep -q "ok installed"; then',
    '      missing+=("$package")',
    "    fi",
    "  done",
    '  if [[ "${#missing[@]}" -gt 0 ]]; then',
    "    apt-get update -q",
    "    # A file of ours that a package ships as a conffile (unbound.conf) stays ours, no prompt.",
    "    apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \\",
    '      "${missing[@]}"',
    "  fi",
    "fi",
    "",
  ];
  for (const file of plan.files) {
    let delimiter = DELIMITER;
    for (let n = 1; file.content.split("\n").includes(delimiter); n++)
      delimiter = `${DELIMITER}_${n}`;
    const units = file.units.map(shellQuote).join(" ");
    out.push(
      `put ${shellQuote(file.path)} ${file.mode}${units ? ` ${units}` : ""} <<'${delimiter}'`,
      file.content.replace(/\n$/, ""),
      delimiter,
    );
  }
  out.push(
    "",
    'echo "bootstrap: ${changed} file(s) changed"',
    'if [[ -n "$ROOT" ]]; then',
    `  echo "bootstrap: ROOT is set; skipping ${plan.commands.length} command(s)"`,
    "  exit 0",
    "fi",
    'if [[ "${#marks[@]}" -gt 0 ]]; then',
    `  ${SERVICE_TOOL} mark "\${marks[@]}"`,
    "fi",
    "",
    ...plan.commands,
    "",
  );
  return out.join("\n");
}
