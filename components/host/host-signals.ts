// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The host side of the alerts' signals (components/alerts/signals.ts): a tool that measures this
// host's signals and sends them once, and a timer that runs it every minute. EC2 hosts sign
// CloudWatch's PutMetricData with the instance role (IMDSv2); GCE hosts write Cloud Monitoring time
// series on their own gce_instance with the service account's token. Sakura hosts hold no
// credential for CloudWatch, so they render nothing here. Pure.
import { HOST_NAMESPACE, HOST_SIGNALS, type HostSignal } from "../alerts/signals";
import type { Role } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { CONSUL_API, CONSUL_CA_FILE, CONSUL_PRIVATE_DIR } from "./consul";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { type HostFile, hostFile, lines, shellQuote } from "./model";
import { mysqlCheckLines } from "./mysql-replication";
import { SBIN, SERVICE_TOOL } from "./scripts";

export const HOST_SIGNALS_TOOL = `${SBIN}/multicloud-host-signals`;
export const HOST_SIGNALS_UNIT = "multicloud-host-signals";
/** The role's own Consul token, laid by the secrets tool. */
export const CONSUL_ROLE_TOKEN_FILE = `${CONSUL_PRIVATE_DIR}/consul-role.token`;

/** Where a host sends its signals, or undefined where it has no credential to. */
export type SignalTarget =
  | { kind: "cloudwatch"; region: string }
  | { kind: "cloud-monitoring"; project: string };

export function signalTarget(spec: RegionSpec): SignalTarget | undefined {
  switch (spec.cloud) {
    case "aws":
      return { kind: "cloudwatch", region: spec.aws.region };
    case "gcp":
      return { kind: "cloud-monitoring", project: spec.gcp.project };
    case "sakura":
      return undefined;
  }
}

/** The signals this role's hosts publish. */
export function roleSignals(role: Role): HostSignal[] {
  return Object.values(HOST_SIGNALS).filter((signal) => signal.publisher === role);
}

/** Shell lines that print `<signal id> <value>` for each signal measured. */
function measureLines(role: Role): string[] {
  if (role === "util") {
    return [
      "measure() {",
      "  local leader",
      "  # The token goes to curl on stdin (-K -), never on a command line other users can read.",
      '  leader="$(printf \'header = "X-Consul-Token: %s"\\n\' "$(cat "$CONSUL_TOKEN_FILE")" |',
      `    curl -fsS --max-time 5 -K - --cacert ${CONSUL_CA_FILE} ${CONSUL_API}/v1/status/leader)" || leader=""`,
      '  # The agent answers the leader\'s address in quotes, or "" when it knows none.',
      '  if [[ "$leader" =~ ^\\"[^\\"]+\\"$ ]]; then echo "consul-leader 1"; else echo "consul-leader 0"; fi',
      "}",
    ];
  }
  return [
    "# shellcheck disable=SC2317 # the statements are one shared set: not every tool calls each",
    ...mysqlCheckLines(),
    "measure() {",
    "  local read_only state lag",
    '  read_only="$(stmt_is_read_only | sql)" || { echo "multicloud-host-signals: MySQL does not answer" >&2; return 1; }',
    '  state="$(replica_state)" || { echo "multicloud-host-signals: MySQL does not answer" >&2; return 1; }',
    "  # The primary: nothing replicates, nothing lags.",
    '  if [[ "$read_only" != 1 ]]; then echo "mysql-replication-broken 0"; return 0; fi',
    '  if [[ "$state" != running ]]; then echo "mysql-replication-broken 1"; return 0; fi',
    '  echo "mysql-replication-broken 0"',
    "  lag=\"$(echo 'SHOW REPLICA STATUS\\G' | sql_named | sed -n 's/^ *Seconds_Behind_Source: *\\([0-9][0-9]*\\)$/\\1/p')\"",
    '  if [[ -n "$lag" ]]; then echo "mysql-replica-lag $lag"; fi',
    "}",
  ];
}

/** `signal_fields ID` prints the metric's name, unit and value type for the target. */
function fieldLines(signals: readonly HostSignal[], target: SignalTarget): string[] {
  return [
    "signal_fields() {",
    '  case "$1" in',
    ...signals.map((signal) =>
      target.kind === "cloudwatch"
        ? `    ${signal.id}) echo ${signal.cloudWatch.metricName} ${signal.cloudWatch.unit} ;;`
        : `    ${signal.id}) echo ${signal.cloudMonitoring.type} ${signal.cloudMonitoring.valueType} ;;`,
    ),
    '    *) echo "multicloud-host-signals: unknown signal $1" >&2; return 1 ;;',
    "  esac",
    "}",
  ];
}

/** `send` reads `<id> <value>` lines and publishes them all in one request. */
function sendLines(target: SignalTarget): string[] {
  if (target.kind === "cloudwatch") {
    return [
      `readonly REGION=${shellQuote(target.region)}`,
      "send() {",
      "  local body n=0 id value name unit",
      '  body="Action=PutMetricData&Version=2010-08-01&Namespace=$(jq -rn --arg v "$NAMESPACE" \'$v|@uri\')"',
      "  while read -r id value; do",
      '    [[ -n "$id" ]] || continue',
      "    n=$((n + 1))",
      '    read -r name unit < <(signal_fields "$id")',
      '    body+="&MetricData.member.$n.MetricName=$name&MetricData.member.$n.Unit=$unit&MetricData.member.$n.Value=$value"',
      '    body+="&MetricData.member.$n.Dimensions.member.1.Name=Region&MetricData.member.$n.Dimensions.member.1.Value=$REGION_NAME"',
      "  done",
      '  [[ "$n" -gt 0 ]] || return 0',
      "  # Credentials go to curl on stdin (-K -), never on a command line other users can read.",
      AWS_CURL_CONFIG,
      "    curl -fsS --max-time 10 --retry 2 -K - -o /dev/null \\",
      '      --aws-sigv4 "aws:amz:$REGION:monitoring" \\',
      "      -H 'Content-Type: application/x-www-form-urlencoded' \\",
      '      --data "$body" "https://monitoring.$REGION.amazonaws.com/"',
      "}",
    ];
  }
  return [
    `readonly PROJECT=${shellQuote(target.project)}`,
    "send() {",
    "  local series='[]' id value type value_type now instance zone",
    '  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
    "  while read -r id value; do",
    '    [[ -n "$id" ]] || continue',
    '    read -r type value_type < <(signal_fields "$id")',
    '    series="$(jq -c --arg type "$type" --arg vt "$value_type" --arg value "$value" \\',
    '      --arg region "$REGION_NAME" --arg now "$now" \'. + [{metric: {type: $type, labels: {region: $region}},',
    '      points: [{interval: {endTime: $now}, value: (if $vt == "INT64" then {int64Value: $value}',
    '      else {doubleValue: ($value | tonumber)} end)}]}]\' <<<"$series")"',
    "  done",
    '  [[ "$(jq length <<<"$series")" -gt 0 ]] || return 0',
    '  instance="$(gce_metadata instance/id)"',
    '  zone="$(gce_metadata instance/zone)"',
    '  zone="${zone##*/}"',
    "  # The token goes to curl on stdin (-K -), never on a command line other users can read.",
    '  printf \'header = "Authorization: Bearer %s"\\n\' "$access_token" |',
    "    curl -fsS --max-time 10 --retry 2 -K - -o /dev/null \\",
    "      -H 'Content-Type: application/json' \\",
    '      --data "$(jq -c --arg project "$PROJECT" --arg instance "$instance" --arg zone "$zone" \\',
    '        \'{timeSeries: [.[] | . + {resource: {type: "gce_instance",',
    '        labels: {project_id: $project, instance_id: $instance, zone: $zone}}}]}\' <<<"$series")" \\',
    '      "https://monitoring.googleapis.com/v3/projects/$PROJECT/timeSeries"',
    "}",
  ];
}

/** `multicloud-host-signals`: measures this host's signals and sends them once. */
export function renderHostSignalsTool(spec: RegionSpec, role: Role, target: SignalTarget): string {
  const signals = roleSignals(role);
  return lines(
    "#!/usr/bin/env bash",
    "# Measures this host's signals for the alerts and sends them, once (a timer runs it each minute).",
    "set -euo pipefail",
    `readonly REGION_NAME=${shellQuote(spec.name)}`,
    ...(target.kind === "cloudwatch" ? [`readonly NAMESPACE=${shellQuote(HOST_NAMESPACE)}`] : []),
    ...(role === "util" ? [`readonly CONSUL_TOKEN_FILE=${CONSUL_ROLE_TOKEN_FILE}`] : []),
    ...measureLines(role),
    ...fieldLines(signals, target),
    ...sendLines(target),
    "# Nothing is sent when a measure fails: the alarms take silence for trouble.",
    'measured="$(measure)"',
    "echo \"multicloud-host-signals: ${measured//$'\\n'/, }\"",
    ...(target.kind === "cloudwatch" ? awsInstanceCredentialLines() : gceTokenLines()),
    'send <<<"$measured"',
  );
}

export function renderHostSignalsUnits(role: Role): { service: string; timer: string } {
  const after = role === "util" ? "consul.service" : "mysql.service";
  return {
    service: lines(
      "[Unit]",
      "Description=Send this host's signals to the alerts",
      `After=${after}`,
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${HOST_SIGNALS_TOOL}`,
    ),
    timer: lines(
      "[Unit]",
      "Description=Send this host's signals every minute",
      "",
      "[Timer]",
      "OnBootSec=1min",
      "OnUnitActiveSec=1min",
      "AccuracySec=5s",
      "",
      "[Install]",
      "WantedBy=timers.target",
    ),
  };
}

/** The tool and units for a publishing role on a host that can publish; none otherwise. */
export function hostSignalFiles(spec: RegionSpec, role: Role): HostFile[] {
  const target = signalTarget(spec);
  if (!target || roleSignals(role).length === 0) return [];
  const units = renderHostSignalsUnits(role);
  return [
    hostFile(HOST_SIGNALS_TOOL, renderHostSignalsTool(spec, role, target), { mode: "0755" }),
    hostFile(`/etc/systemd/system/${HOST_SIGNALS_UNIT}.service`, units.service),
    hostFile(`/etc/systemd/system/${HOST_SIGNALS_UNIT}.timer`, units.timer, {
      units: [`${HOST_SIGNALS_UNIT}.timer`],
    }),
  ];
}

export function hostSignalCommands(spec: RegionSpec, role: Role): string[] {
  return hostSignalFiles(spec, role).length > 0
    ? [`${SERVICE_TOOL} apply ${HOST_SIGNALS_UNIT}.timer`]
    : [];
}
