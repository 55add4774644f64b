// Alerts on what would page an operator, per region: see region-alerts.ts; the host signals'
// contract is signals.ts.
export type { Route53Check } from "./aws/route53";
export { lastSegment } from "./gcp/policy";
export { PAGERDUTY_KEYS, type PagerDutyKeys } from "./pagerduty";
export { RegionAlerts, type RegionAlertsArgs } from "./region-alerts";
export { HOST_NAMESPACE, HOST_SIGNALS } from "./signals";
export type { AwsWatch, GcpWatch, GkeWatch, SakuraWatch, SiteWatch } from "./watch";
