// A region's alerts: its notification targets (SNS topics on AWS, Cloud Monitoring channels on
// GCP, both fed from alerts.email) and an alert for each thing that would page an operator: the
// front (health checks, load balancer, error rate, certificate), the GKE API gateway where the
// region has one (uptime, certificate), the databases, and the Consul quorum. Route53 reports health checks to CloudWatch in us-east-1 only, so their alarms and a
// topic live there whatever the region's cloud; a Sakura region keeps its whole AWS side there.
import * as pulumi from "@pulumi/pulumi";
import { lookUpAccount } from "../aws/account";
import { type ApiGate, enableGoogleApi } from "../gcp/api-wait";
import { publicNames } from "../gcp/public-names";
import { GATEWAY as GKE_GATEWAY } from "../gke/contract";
import * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import type { Waits } from "../sdk/waits";
import { sakuraUptimeProject } from "../spec/alerts";
import { hostCount } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import { awsTags, gcpLabels } from "../tags";
import { type AlarmDefinition, type AlarmTarget, metricAlarm } from "./aws/alarm";
import { certificateAlarm } from "./aws/certificate";
import { hostSignalAlarm } from "./aws/host-signals";
import { loadBalancerAlarms } from "./aws/load-balancer";
import { grantPublishing } from "./aws/publishers";
import { freeStorageAlarm, PAGING_RDS_EVENTS } from "./aws/rds";
import { route53CheckAlarm } from "./aws/route53";
import { AlertTopic, type Publisher } from "./aws/topic";
import { AlertChannels } from "./gcp/channels";
import { hostSignalPolicy, metricDescriptor } from "./gcp/host-signals";
import {
  backendHealthPolicy,
  errorRatePolicy,
  unhealthyBackendsLogMetric,
} from "./gcp/load-balancer";
import { alertPolicy, type PolicyTarget } from "./gcp/policy";
import {
  API_GATEWAY,
  certificatePolicy,
  FRONT,
  UptimeChecks,
  type UptimeSubject,
  uptimePolicy,
} from "./gcp/uptime";
import { type PagerDutyKeys, type PagerDutyTarget, pagerDutyKey } from "./pagerduty";
import { type HostSignal, regionSignals } from "./signals";
import type { AwsWatch, GcpWatch, GkeWatch, SakuraWatch, SiteWatch } from "./watch";

/** Where Route53 publishes health-check metrics, and so where their alarms must be. */
export const ROUTE53_METRICS_REGION = "us-east-1";

export interface RegionAlertsArgs {
  readonly spec: RegionSpec;
  /** The AWS provider in us-east-1 (Route53's). */
  readonly dnsProvider: aws.Provider;
  readonly watch: SiteWatch;
  /** The GKE microservices, where the spec has them. */
  readonly gke?: GkeWatch;
  /** PagerDuty integration keys from config (used when alerts.pagerDuty is true). */
  readonly pagerDuty?: PagerDutyKeys;
}

export class RegionAlerts extends pulumi.ComponentResource {
  /** SNS topic ARNs by AWS region. */
  readonly topics: Record<string, pulumi.Output<string>> = {};
  /** Cloud Monitoring notification channel ids. */
  readonly channels: pulumi.Output<string>[] = [];
  private readonly spec: RegionSpec;
  private readonly keys: PagerDutyKeys;
  private readonly topicByRegion = new Map<string, AlertTopic>();
  /** The region's Cloud Monitoring channels and the project they are in, once made. */
  private monitoring?: { readonly target: PolicyTarget; readonly project: string };

  constructor(name: string, args: RegionAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:alerts:RegionAlerts", name, {}, opts);
    this.spec = args.spec;
    this.keys = args.pagerDuty ?? {};
    const signals = regionSignals(hostCount(args.spec, "mysql"));
    const { watch } = args;
    switch (watch.cloud) {
      case "aws":
        this.awsSite(name, args, watch, signals);
        break;
      case "gcp":
        this.gcpSite(name, args, watch, signals);
        break;
      case "sakura":
        this.sakuraSite(name, args, watch, signals);
        break;
    }
    if (args.gke && args.spec.gke)
      this.gatewayAlerts(name, args.gke, args.spec.gke.gateway.hostname);
    this.registerOutputs({ topics: this.topics, channels: this.channels });
  }

  /** The key of a PagerDuty target, when the spec pages through PagerDuty. */
  private pagerDuty(target: PagerDutyTarget): { pagerDutyKey?: pulumi.Input<string> } {
    return this.spec.alerts.pagerDuty
      ? { pagerDutyKey: pagerDutyKey(target, this.keys, pulumi.getStack()) }
      : {};
  }

  /** The region's topic in one AWS region, made once. */
  private topic(
    name: string,
    provider: aws.Provider,
    awsRegion: string,
    publishers: readonly Publisher[],
  ): AlarmTarget {
    let topic = this.topicByRegion.get(awsRegion);
    if (!topic) {
      topic = new AlertTopic(
        `${name}-${awsRegion}`,
        {
          spec: this.spec,
          provider,
          awsRegion,
          account: lookUpAccount(provider, this),
          purpose: "alerts",
          publishers,
          ...this.pagerDuty("cloudWatch"),
        },
        { parent: this },
      );
      this.topicByRegion.set(awsRegion, topic);
      this.topics[awsRegion] = topic.topicArn;
    }
    return {
      region: this.spec.name,
      topicArn: topic.topicArn,
      provider,
      parent: this,
      prefix: name,
    };
  }

  private route53Alarms(name: string, args: RegionAlertsArgs, checks: SiteWatch["route53Checks"]) {
    if (checks.length === 0) return;
    const target = this.topic(name, args.dnsProvider, ROUTE53_METRICS_REGION, ["cloudwatch"]);
    for (const check of checks) metricAlarm(route53CheckAlarm(check), target);
  }

  private signalAlarms(target: AlarmTarget, signals: readonly HostSignal[]): void {
    const { thresholds } = this.spec.alerts;
    for (const signal of signals) {
      metricAlarm(hostSignalAlarm(signal, this.spec.name, thresholds.replicaLagSeconds), target);
    }
  }

  private awsSite(
    name: string,
    args: RegionAlertsArgs,
    watch: AwsWatch,
    signals: readonly HostSignal[],
  ): void {
    const { thresholds } = this.spec.alerts;
    // Topics are made in this order so that a site in us-east-1 shares one topic with Route53's.
    const site = this.topic(name, watch.provider, watch.awsRegion, [
      "cloudwatch",
      ...(watch.databases.length > 0 ? (["rds-events"] as const) : []),
    ]);
    this.route53Alarms(name, args, watch.route53Checks);
    const definitions: AlarmDefinition[] = [];
    if (watch.loadBalancer) {
      definitions.push(...loadBalancerAlarms(watch.loadBalancer, thresholds.errorRatePercent));
      definitions.push(
        certificateAlarm(watch.loadBalancer.certificateArn, thresholds.certificateDays),
      );
    }
    for (const db of watch.databases) {
      definitions.push(freeStorageAlarm(db, thresholds.rdsFreeStoragePercent));
    }
    for (const definition of definitions) metricAlarm(definition, site);
    if (watch.databases.length > 0) {
      new aws.rds.EventSubscription(
        `${name}-db-events`,
        {
          name: `multicloud-${this.spec.name}-db-events`,
          snsTopic: site.topicArn,
          sourceType: "db-instance",
          sourceIds: watch.databases.map((db) => db.identifier),
          eventCategories: [...PAGING_RDS_EVENTS],
          enabled: true,
          tags: awsTags(this.spec, { Name: `multicloud-${this.spec.name}-db-events` }),
        },
        { parent: this, provider: watch.provider },
      );
    }
    this.signalAlarms(site, signals);
    for (const role of new Set(signals.map((signal) => signal.publisher))) {
      const roleName = watch.instanceRoleNames[role];
      if (roleName !== undefined) {
        grantPublishing(`${name}-${role}-publish`, roleName, watch.provider, this);
      }
    }
  }

  /** The region's channels, made once, in the first project that needs them. */
  private channelsIn(
    name: string,
    project: string,
    provider: gcp.Provider,
    dependsOn: Waits,
  ): PolicyTarget {
    if (this.monitoring) return this.monitoring.target;
    const labels = gcpLabels(this.spec);
    const channels = new AlertChannels(
      `${name}-channels`,
      {
        region: this.spec.name,
        emails: this.spec.alerts.email,
        labels,
        provider,
        dependsOn,
        ...this.pagerDuty("cloudMonitoring"),
      },
      { parent: this },
    );
    this.channels.push(...channels.channelIds);
    const target: PolicyTarget = {
      region: this.spec.name,
      channelIds: channels.channelIds,
      labels,
      provider,
      parent: this,
      prefix: name,
      dependsOn,
    };
    this.monitoring = { target, project };
    return target;
  }

  /** The site front's public names, checked from outside. */
  private uptimeChecks(name: string, project: string, target: PolicyTarget): UptimeChecks {
    return new UptimeChecks(
      `${name}-uptime`,
      {
        region: this.spec.name,
        subject: FRONT,
        project,
        names: publicNames(this.spec.domain, this.spec.front.names),
        path: this.spec.front.healthCheckPath,
        labels: target.labels,
        provider: target.provider,
        dependsOn: target.dependsOn,
      },
      { parent: this },
    );
  }

  /**
   * The GKE API gateway: an uptime check of its public name over HTTPS, paging when it fails and
   * when its certificate (Certificate Manager's) is close to expiry. The checks run beside the
   * region's other Cloud Monitoring alerts, or in the GKE project where the region has none.
   */
  private gatewayAlerts(name: string, gke: GkeWatch, hostname: string): void {
    const target = this.channelsIn(name, gke.project, gke.provider, gke.apis);
    const project = this.monitoring?.project ?? gke.project;
    const checks = new UptimeChecks(
      `${name}-gateway-checks`,
      {
        region: this.spec.name,
        subject: API_GATEWAY,
        project,
        names: publicNames(this.spec.domain, [hostname]),
        path: GKE_GATEWAY.healthPath,
        labels: target.labels,
        provider: target.provider,
        dependsOn: target.dependsOn,
      },
      { parent: this },
    );
    this.uptimePolicies(API_GATEWAY, checks, target);
  }

  private uptimePolicies(subject: UptimeSubject, checks: UptimeChecks, target: PolicyTarget) {
    alertPolicy(uptimePolicy(subject, checks.checkIds), target);
    alertPolicy(
      certificatePolicy(subject, checks.checkIds, this.spec.alerts.thresholds.certificateDays),
      target,
    );
  }

  private gcpSite(
    name: string,
    args: RegionAlertsArgs,
    watch: GcpWatch,
    signals: readonly HostSignal[],
  ): void {
    const { thresholds } = this.spec.alerts;
    this.route53Alarms(name, args, watch.route53Checks);
    const target = this.channelsIn(name, watch.project, watch.provider, watch.apis);
    this.uptimePolicies(FRONT, this.uptimeChecks(name, watch.project, target), target);
    alertPolicy(
      errorRatePolicy(watch.loadBalancer.urlMapName, thresholds.errorRatePercent),
      target,
    );
    const unhealthy = unhealthyBackendsLogMetric(`${name}-front-unhealthy-backends`, {
      region: this.spec.name,
      project: watch.project,
      backendGroupName: watch.loadBalancer.backendGroupName,
      provider: watch.provider,
      parent: this,
      dependsOn: watch.apis,
    });
    alertPolicy(backendHealthPolicy(this.spec.name), target, [unhealthy]);
    for (const signal of signals) {
      const descriptor = metricDescriptor(`${name}-${signal.id}-metric`, signal, {
        provider: watch.provider,
        parent: this,
        dependsOn: watch.apis,
      });
      alertPolicy(hostSignalPolicy(signal, this.spec.name, thresholds.replicaLagSeconds), target, [
        descriptor,
      ]);
    }
  }

  private sakuraSite(
    name: string,
    args: RegionAlertsArgs,
    watch: SakuraWatch,
    signals: readonly HostSignal[],
  ): void {
    // Sakura hosts publish their signals to CloudWatch beside the region's one AWS topic.
    const target = this.topic(name, args.dnsProvider, ROUTE53_METRICS_REGION, ["cloudwatch"]);
    this.route53Alarms(name, args, watch.route53Checks);
    this.signalAlarms(target, signals);
    // Route53 does not look at certificates: Cloud Monitoring's uptime checks do. In the GKE
    // project they go through its provider and wait for its APIs; elsewhere Monitoring's API is
    // enabled here.
    const project = sakuraUptimeProject(this.spec);
    const channels =
      args.gke?.project === project
        ? this.channelsIn(name, project, args.gke.provider, args.gke.apis)
        : this.channelsIn(name, project, ...this.monitoringApi(name, project));
    const uptime = this.uptimeChecks(name, project, channels);
    alertPolicy(
      certificatePolicy(FRONT, uptime.checkIds, this.spec.alerts.thresholds.certificateDays),
      channels,
    );
  }

  /** A provider for a project outside the site and the GKE cluster, with Monitoring's API enabled. */
  private monitoringApi(name: string, project: string): [gcp.Provider, ApiGate] {
    const provider = new gcp.Provider(
      `${name}-gcp`,
      { project, defaultLabels: gcpLabels(this.spec), addPulumiAttributionLabel: false },
      { parent: this },
    );
    const service = "monitoring.googleapis.com";
    const seconds = this.spec.googleApiWaitSeconds;
    const api = enableGoogleApi(
      `${name}-api-monitoring`,
      { project, service, seconds },
      { parent: this, provider },
    );
    return [provider, api.gate];
  }
}
