// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell and systemd text, whose ${...} expansions happen on the host
// The host side of the alerts' signals (components/alerts/signals.ts): a tool that measures this
// host's signals and sends them once, and a timer that runs it every minute. EC2 hosts sign
// CloudWatch's PutMetricData with the instance role (IMDSv2); GCE hosts write Cloud Monitoring time
// series on their own gce_instance with the service account's token. Sakura hosts sign for
// CloudWatch in us-east-1 with a static key the SSH push lays (only PutMetricData in the hosts'
// namespace). Pure.
import { HOST_NAMESPACE, HOST_SIGNALS, type HostSignal, type SignalId } from "../alerts/signals";
import type { Role } from "../spec/hosts";
import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import { CONSUL_API, CONSUL_CA_FILE, CONSUL_PRIVATE_DIR } from "./consul";
import { AWS_CURL_CONFIG, awsInstanceCredentialLines, gceTokenLines } from "./instance-identity";
import { type HostFile, hostFile, lines, shellQuote } from "./model";
import { mysqlCheckLines } from "./mysql-replication";
import { SBIN, SERVICE_TOOL } from "./scripts";
import { PUSHED_SECRETS_DIR } from "./site-facts";

export const HOST_SIGNALS_TOOL = `${SBIN}/multicloud-host-signals`;
export const HOST_SIGNALS_UNIT = "multicloud-host-signals";
/** The role's own Consul token, laid by the secrets tool. */
export const CONSUL_ROLE_TOKEN_FILE = `${CONSUL_PRIVATE_DIR}/consul-role.token`;

/** Sakura's CloudWatch region: beside the region's alert topic (components/alerts/signals.ts). */
export const SAKURA_SIGNALS_REGION = "us-east-1";

/** Where a host sends its signals, or undefined where it has no credential to. */
export type SignalTarget =
  | {
      kind: "cloudwatch";
      region: string;
      keyFiles?: { accessKeyId: string; secretAccessKey: string };
    }
  | { kind: "cloud-monitoring"; project: string };

export function signalTarget(spec: RegionSpec): SignalTarget | undefined {
  switch (spec.cloud) {
    case "aws":
      return { kind: "cloudwatch", region: spec.aws.region };
    case "gcp":
      return { kind: "cloud-monitoring", project: spec.gcp.project };
    case "sakura":
      return {
        kind: "cloudwatch",
        region: SAKURA_SIGNALS_REGION,
        keyFiles: {
          accessKeyId: `${PUSHED_SECRETS_DIR}/${secretName(spec, "signals-access-key-id")}`,
          secretAccessKey: `${PUSHED_SECRETS_DIR}/${secretName(spec, "signals-secret-access-key")}`,
        },
      };
  }
}

/** The signals this role's hosts publish. */
export function roleSignals(role: Role): HostSignal[] {
  return Object.values(HOST_SIGNALS).filter((signal) => signal.publisher === role);
}

/** What `measure` prints for a signal: its metric and unit (or value type) for the target. */
function fields(id: SignalId, target: SignalTarget): string {
  const signal = HOST_SIGNALS[id];
  return target.kind === "cloudwatch"
    ? `${signal.cloudWatch.metricName} ${signal.cloudWatch.unit}`
    : `${signal.cloudMonitoring.type} ${signal.cloudMonitoring.valueType}`;
}

/** Shell lines defining `measure`, which prints `<metric> <unit> <value>` per signal measured. */
function measureLines(role: Role, target: SignalTarget): string[] {
  const leaderMetric = fields("consul-leader", target);
  const broken = fields("mysql-replication-broken", target);
  const lag = fields("mysql-replica-lag", target);
  if (role === "util") {
    return [
      "measure() {",
      "  local leader",
      `  leader="$(printf 'header = "X-Consul-Token: %s"\\n' "$(cat ${CONSUL_ROLE_TOKEN_FILE})" |`,
      `    curl -fsS --max-time 5 -K - --cacert ${CONSUL_CA_FILE} ${CONSUL_API}/v1/status/leader)" || leader=""`,
      // The agent answers the leader's address in quotes, or "" when it knows none.
      `  if [[ "$leader" =~ ^\\"[^\\"]+\\"$ ]]; then echo "${leaderMetric} 1"; else echo "${leaderMetric} 0"; fi`,
      "}",
    ];
  }
  return [
    ...mysqlCheckLines(),
    "measure() {",
    "  local read_only state lag",
    '  read_only="$(stmt_is_read_only | sql)" && state="$(replica_state)" || return 1',
    // The primary (writable): nothing replicates, nothing lags.
    `  if [[ "$read_only" != 1 ]]; then echo "${broken} 0"; return 0; fi`,
    `  if [[ "$state" != running ]]; then echo "${broken} 1"; return 0; fi`,
    `  echo "${broken} 0"`,
    "  lag=\"$(echo 'SHOW REPLICA STATUS\\G' | sql_named | sed -n 's/^ *Seconds_Behind_Source: *\\([0-9][0-9]*\\)$/\\1/p')\"",
    `  if [[ -n "$lag" ]]; then echo "${lag} $lag"; fi`,
    "}",
  ];
}

/** The pushed static key (no session token) as curl's config, from root-only files. */
const STATIC_KEY_CURL_CONFIG =
  '  printf \'user = "%s:%s"\\n\' "$(tr -d \'\\n\' <"$KEY_ID_FILE")" "$(tr -d \'\\n\' <"$SECRET_KEY_FILE")" |';

/** Shell lines naming the pushed key's files. */
function staticKeyLines(files: { accessKeyId: string; secretAccessKey: string }): string[] {
  return [
    `readonly KEY_ID_FILE=${shellQuote(files.accessKeyId)}`,
    `readonly SECRET_KEY_FILE=${shellQuote(files.secretAccessKey)}`,
  ];
}

/** `send` reads `<id> <value>` lines and publishes them all in one request. */
function sendLines(target: SignalTarget): string[] {
  if (target.kind === "cloudwatch") {
    return [
      `readonly REGION=${shellQuote(target.region)}`,
      "send() {",
      "  local body n=0 name unit value m",
      `  body="Action=PutMetricData&Version=2010-08-01&Namespace=${encodeURIComponent(HOST_NAMESPACE)}"`,
      "  while read -r name unit value; do",
      "    n=$((n + 1))",
      '    m="&MetricData.member.$n"',
      '    body+="$m.MetricName=$name$m.Unit=$unit$m.Value=$value"',
      '    body+="$m.Dimensions.member.1.Name=Region$m.Dimensions.member.1.Value=$REGION_NAME"',
      "  done",
      "  # Credentials go to curl on stdin (-K -), never on a command line other users can read.",
      ...(target.keyFiles ? [STATIC_KEY_CURL_CONFIG] : [AWS_CURL_CONFIG]),
      "    curl -fsS --max-time 10 --retry 2 -K - -o /dev/null \\",
      '      --aws-sigv4 "aws:amz:$REGION:monitoring" \\',
      '      --data "$body" "https://monitoring.$REGION.amazonaws.com/"',
      "}",
    ];
  }
  return [
    `readonly PROJECT=${shellQuote(target.project)}`,
    "send() {",
    "  local series='[]' type value_type value now instance zone",
    '  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
    "  while read -r type value_type value; do",
    '    [[ -n "$type" ]] || continue',
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
  return lines(
    "#!/usr/bin/env bash",
    "# Sends this host's signals to the alerts, once (a timer runs it every minute).",
    "set -euo pipefail",
    `readonly REGION_NAME=${shellQuote(spec.name)}`,
    ...measureLines(role, target),
    ...sendLines(target),
    // Nothing is sent when a measure fails: the alarms take silence for trouble.
    'measured="$(measure)"',
    ...(target.kind === "cloud-monitoring"
      ? gceTokenLines()
      : target.keyFiles
        ? staticKeyLines(target.keyFiles)
        : awsInstanceCredentialLines()),
    'send <<<"$measured"',
  );
}

export function renderHostSignalsUnits(role: Role): { service: string; timer: string } {
  const after = role === "util" ? "consul.service" : "mysql.service";
  return {
    service: lines(
      "[Unit]",
      "Description=Send the host signals",
      `After=${after}`,
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${HOST_SIGNALS_TOOL}`,
    ),
    timer: lines(
      "[Unit]",
      "Description=Send the host signals every minute",
      "",
      "[Timer]",
      "OnCalendar=minutely",
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
