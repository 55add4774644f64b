// What Cloud Monitoring and Cloud Logging refuse, for the alerts the program creates. Each entry
// names its source in the pinned discovery documents (monitoring.v3, logging.v2): an enum, or a
// sentence of a field's description where the schema has no machine-readable form.
import { discoveryEnum } from "./discovery-enum";
import type { Limit } from "./types";

const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";
const DESCRIPTOR = "gcp:monitoring/metricDescriptor:MetricDescriptor";
const LOG_METRIC = "gcp:logging/metric:Metric";
const THRESHOLD = "conditions[].conditionThreshold";

/** An enum of Cloud Monitoring's schema (or of the document named last). */
function monitoringEnum(
  id: string,
  what: string,
  resourceType: string,
  input: string,
  field: string,
  values: readonly string[],
  document = "monitoring.v3",
): Limit {
  return discoveryEnum(id, what, resourceType, input, field, values, document);
}

const ALIGNERS = [
  "ALIGN_NONE",
  "ALIGN_DELTA",
  "ALIGN_RATE",
  "ALIGN_INTERPOLATE",
  "ALIGN_NEXT_OLDER",
  "ALIGN_MIN",
  "ALIGN_MAX",
  "ALIGN_MEAN",
  "ALIGN_COUNT",
  "ALIGN_SUM",
  "ALIGN_STDDEV",
  "ALIGN_COUNT_TRUE",
  "ALIGN_COUNT_FALSE",
  "ALIGN_FRACTION_TRUE",
  "ALIGN_PERCENTILE_99",
  "ALIGN_PERCENTILE_95",
  "ALIGN_PERCENTILE_50",
  "ALIGN_PERCENTILE_05",
  "ALIGN_PERCENT_CHANGE",
];

const REDUCERS = [
  "REDUCE_NONE",
  "REDUCE_MEAN",
  "REDUCE_MIN",
  "REDUCE_MAX",
  "REDUCE_SUM",
  "REDUCE_STDDEV",
  "REDUCE_COUNT",
  "REDUCE_COUNT_TRUE",
  "REDUCE_COUNT_FALSE",
  "REDUCE_FRACTION_TRUE",
  "REDUCE_PERCENTILE_99",
  "REDUCE_PERCENTILE_95",
  "REDUCE_PERCENTILE_50",
  "REDUCE_PERCENTILE_05",
];

const METRIC_KINDS = ["METRIC_KIND_UNSPECIFIED", "GAUGE", "DELTA", "CUMULATIVE"];
const VALUE_TYPES = [
  "VALUE_TYPE_UNSPECIFIED",
  "BOOL",
  "INT64",
  "DOUBLE",
  "STRING",
  "DISTRIBUTION",
  "MONEY",
];

export const gcpAlertLimits: readonly Limit[] = [
  {
    id: "alert-policy-display-name-length",
    cloud: "gcp",
    what: "alert policy display name, at most 512 characters",
    resourceTypes: [POLICY],
    input: "displayName",
    rule: { kind: "length", min: 1, max: 512 },
    source: {
      kind: "discovery-text",
      document: "monitoring.v3",
      field: "schemas.AlertPolicy.properties.displayName",
      text: "The name is limited to 512 Unicode characters.",
    },
  },
  monitoringEnum(
    "alert-policy-combiner",
    "alert policy combiner",
    POLICY,
    "combiner",
    "schemas.AlertPolicy.properties.combiner",
    ["COMBINE_UNSPECIFIED", "AND", "OR", "AND_WITH_MATCHING_RESOURCE"],
  ),
  monitoringEnum(
    "alert-policy-severity",
    "alert policy severity",
    POLICY,
    "severity",
    "schemas.AlertPolicy.properties.severity",
    ["SEVERITY_UNSPECIFIED", "CRITICAL", "ERROR", "WARNING"],
  ),
  monitoringEnum(
    "alert-condition-comparison",
    "alert condition comparison",
    POLICY,
    `${THRESHOLD}.comparison`,
    "schemas.MetricThreshold.properties.comparison",
    [
      "COMPARISON_UNSPECIFIED",
      "COMPARISON_GT",
      "COMPARISON_GE",
      "COMPARISON_LT",
      "COMPARISON_LE",
      "COMPARISON_EQ",
      "COMPARISON_NE",
    ],
  ),
  monitoringEnum(
    "alert-condition-missing-data",
    "how an alert condition treats data that stops arriving",
    POLICY,
    `${THRESHOLD}.evaluationMissingData`,
    "schemas.MetricThreshold.properties.evaluationMissingData",
    [
      "EVALUATION_MISSING_DATA_UNSPECIFIED",
      "EVALUATION_MISSING_DATA_INACTIVE",
      "EVALUATION_MISSING_DATA_ACTIVE",
      "EVALUATION_MISSING_DATA_NO_OP",
    ],
  ),
  monitoringEnum(
    "alert-condition-aligner",
    "alert condition per-series aligner",
    POLICY,
    `${THRESHOLD}.aggregations[].perSeriesAligner`,
    "schemas.Aggregation.properties.perSeriesAligner",
    ALIGNERS,
  ),
  monitoringEnum(
    "alert-condition-denominator-aligner",
    "alert condition per-series aligner of a ratio's denominator",
    POLICY,
    `${THRESHOLD}.denominatorAggregations[].perSeriesAligner`,
    "schemas.Aggregation.properties.perSeriesAligner",
    ALIGNERS,
  ),
  monitoringEnum(
    "alert-condition-reducer",
    "alert condition cross-series reducer",
    POLICY,
    `${THRESHOLD}.aggregations[].crossSeriesReducer`,
    "schemas.Aggregation.properties.crossSeriesReducer",
    REDUCERS,
  ),
  monitoringEnum(
    "alert-condition-denominator-reducer",
    "alert condition cross-series reducer of a ratio's denominator",
    POLICY,
    `${THRESHOLD}.denominatorAggregations[].crossSeriesReducer`,
    "schemas.Aggregation.properties.crossSeriesReducer",
    REDUCERS,
  ),
  {
    id: "alert-condition-duration",
    cloud: "gcp",
    what: "alert condition duration: a multiple of 60 seconds",
    resourceTypes: [POLICY],
    input: `${THRESHOLD}.duration`,
    rule: { kind: "multipleOf", of: 60, suffix: "s" },
    source: {
      kind: "discovery-text",
      document: "monitoring.v3",
      field: "schemas.MetricThreshold.properties.duration",
      text: "Currently, only values that are a multiple of a minute--e.g., 0, 60, 120, or 300 seconds--are supported.",
    },
  },
  {
    id: "alert-policy-user-label-key",
    cloud: "gcp",
    what: "alert policy user label key: lower-case letters, digits, _ and -, a letter first",
    resourceTypes: [POLICY],
    input: "userLabels{key}",
    rule: { kind: "pattern", pattern: "\\p{Ll}[\\p{Ll}\\p{N}_-]{0,62}" },
    source: {
      kind: "discovery-text",
      document: "monitoring.v3",
      field: "schemas.AlertPolicy.properties.userLabels",
      text: "Each key and value is limited to 63 Unicode characters or 128 bytes, whichever is smaller. Labels and values can contain only lowercase letters, numerals, underscores, and dashes. Keys must begin with a letter.",
    },
  },
  {
    id: "alert-policy-user-label-value",
    cloud: "gcp",
    what: "alert policy user label value: up to 63 lower-case letters, digits, _ and -",
    resourceTypes: [POLICY],
    input: "userLabels{}",
    rule: { kind: "pattern", pattern: "[\\p{Ll}\\p{N}_-]{0,63}" },
    source: {
      kind: "discovery-text",
      document: "monitoring.v3",
      field: "schemas.AlertPolicy.properties.userLabels",
      text: "Each key and value is limited to 63 Unicode characters or 128 bytes, whichever is smaller. Labels and values can contain only lowercase letters, numerals, underscores, and dashes.",
    },
  },
  {
    id: "uptime-check-period",
    cloud: "gcp",
    what: "uptime check period: 60s, 300s, 600s or 900s",
    resourceTypes: [UPTIME],
    input: "period",
    rule: { kind: "oneOf", values: ["60s", "300s", "600s", "900s"] },
    source: {
      kind: "discovery-text",
      document: "monitoring.v3",
      field: "schemas.UptimeCheckConfig.properties.period",
      text: "Currently, the only supported values are 60s (1 minute), 300s (5 minutes), 600s (10 minutes), and 900s (15 minutes).",
    },
  },
  monitoringEnum(
    "uptime-checker-type",
    "uptime check checker type",
    UPTIME,
    "checkerType",
    "schemas.UptimeCheckConfig.properties.checkerType",
    ["CHECKER_TYPE_UNSPECIFIED", "STATIC_IP_CHECKERS", "VPC_CHECKERS"],
  ),
  monitoringEnum(
    "uptime-request-method",
    "uptime check HTTP method",
    UPTIME,
    "httpCheck.requestMethod",
    "schemas.HttpCheck.properties.requestMethod",
    ["METHOD_UNSPECIFIED", "GET", "POST"],
  ),
  monitoringEnum(
    "metric-descriptor-kind",
    "custom metric kind",
    DESCRIPTOR,
    "metricKind",
    "schemas.MetricDescriptor.properties.metricKind",
    METRIC_KINDS,
  ),
  monitoringEnum(
    "metric-descriptor-value-type",
    "custom metric value type",
    DESCRIPTOR,
    "valueType",
    "schemas.MetricDescriptor.properties.valueType",
    VALUE_TYPES,
  ),
  monitoringEnum(
    "log-metric-kind",
    "log-based metric kind",
    LOG_METRIC,
    "metricDescriptor.metricKind",
    "schemas.MetricDescriptor.properties.metricKind",
    METRIC_KINDS,
    "logging.v2",
  ),
  {
    id: "log-metric-name-length",
    cloud: "gcp",
    what: "log-based metric id, at most 100 characters",
    resourceTypes: [LOG_METRIC],
    input: "name",
    naming: { auto: true },
    rule: { kind: "length", min: 1, max: 100 },
    source: {
      kind: "discovery-text",
      document: "logging.v2",
      field: "schemas.LogMetric.properties.name",
      text: "Metric identifiers are limited to 100 characters",
    },
  },
  {
    id: "log-metric-name-characters",
    cloud: "gcp",
    what: "log-based metric id characters, not starting with /",
    resourceTypes: [LOG_METRIC],
    input: "name",
    naming: { auto: true },
    rule: { kind: "pattern", pattern: "[A-Za-z0-9_\\-.,+!*'()%][A-Za-z0-9_\\-.,+!*'()%/]*" },
    source: {
      kind: "discovery-text",
      document: "logging.v2",
      field: "schemas.LogMetric.properties.name",
      text: "can include only the following characters: A-Z, a-z, 0-9, and the special characters _-.,+!*',()%/. The forward-slash character (/) denotes a hierarchy of name pieces, and it cannot be the first character of the name.",
    },
  },
];
