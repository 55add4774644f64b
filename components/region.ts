// A whole region, built from its spec: public DNS (Route53), the Consul secrets, the host layer
// rendered once per role, the cloud's site, the GKE microservices where the spec has them, and
// the alerts on what the site runs, sent to the region's notification targets.
// Disaster recovery: every site keeps backups in another region, a rebuild of a lost region
// restores its databases from them (dr.restore) and serves the names from the existing zone.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { type GkeWatch, type PagerDutyKeys, RegionAlerts, type SiteWatch } from "./alerts";
import { SignalsKey } from "./alerts/aws/signals-key";
import { AwsArtifactReader } from "./artifacts/aws-reader";
import { type ChoconRelease, unknownOutput } from "./artifacts/publish";
import { OffsiteDumpReader } from "./aws/offsite-reader";
import { OffsiteWriter } from "./aws/offsite-writer";
import { AwsSite } from "./aws/site";
import { deployKey } from "./deploy-key";
import { AcmeWriter } from "./dns/acme-writer";
import { existingPublicZone } from "./dns/existing-zone";
import { PublicZone } from "./dns/public-zone";
import { GcpDumpReadGrant } from "./gcp/offsite-bucket";
import { GcpSite } from "./gcp/site";
import { Microservices } from "./gke";
import {
  ConsulSecrets,
  ConsulTls,
  MysqlSecrets,
  PUSHED_SECRETS_DIR,
  type RoleArtifacts,
  renderRegionHosts,
  siteFacts,
} from "./host";
import { certificateNames } from "./host/acme";
import { OFFSITE_PREFIXES } from "./host/offsite";
import { sakuraArtifactRegion } from "./host/site-facts";
import { RegionLinks, type RegionLinksArgs } from "./links";
import {
  databaseRestores,
  diskSnapshots,
  latestSnapshotSources,
  mysqlDumpSource,
} from "./restores";
import { sakuraRoleSecrets } from "./sakura/site/role-secrets";
import { SakuraSite } from "./sakura/site/site";
import * as aws from "./sdk/aws";
import { offsiteAwsRegion } from "./spec/dr";
import { type Role, roles } from "./spec/hosts";
import { fixedHosts, hostCount } from "./spec/layout";
import type { RegionSpec } from "./spec/schema";
import {
  consulTlsSecretId,
  consulTokenSecretId,
  type HostSecretId,
  type PushedSecretId,
} from "./spec/secrets";
import { awsTags } from "./tags";

export interface RegionArgs {
  spec: RegionSpec;
  /**
   * The private key that reaches Sakura hosts over SSH (a config secret). Required by `pulumi up`
   * on Sakura; a preview goes without it, since nothing connects during a preview.
   */
  sshPrivateKey?: pulumi.Input<string>;
  /**
   * The chocon build of this deploy (the artifacts workflow's): chocon hosts install it from the
   * region's artifact store and GKE runs its image. Unknown only in a preview run without it.
   */
  chocon: ChoconRelease;
  /** PagerDuty integration keys (config secrets), used when alerts.pagerDuty is true. */
  pagerDuty?: PagerDutyKeys;
}

export class Region extends pulumi.ComponentResource {
  readonly publicZoneId: pulumi.Output<string>;
  readonly nameServers: pulumi.Output<string[]>;
  /** The rendered host files per role (pure data; written by the offline plan's --out). */
  readonly hosts: Partial<Record<Role, RoleArtifacts>>;
  /** What the site exposes that people ask for first: the front's address or name. */
  readonly front: pulumi.Output<unknown>;
  readonly gatewayHostname?: string;
  /** Where the region's backups are, for a rebuild elsewhere (the program's `drBackups`). */
  readonly backups: pulumi.Output<unknown>;
  /** The region's alerts and their notification targets. */
  readonly alerts: RegionAlerts;

  constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:index:Region", name, {}, opts);
    const { spec } = args;
    // Route53 is global; its API lives in us-east-1 whatever the region's own cloud is.
    const dnsProvider = new aws.Provider(
      `${name}-dns`,
      { region: "us-east-1", defaultTags: { tags: awsTags(spec) } },
      { parent: this },
    );
    // A rebuild of another stack's region serves its names from that stack's zone.
    const zone = spec.dns.existingZone
      ? existingPublicZone(spec.domain, dnsProvider, this)
      : new PublicZone(
          `${name}-public`,
          {
            domain: spec.domain,
            caaIssuers: spec.dns.caaIssuers,
            iodefEmail: `hostmaster@${spec.domain}`,
            tags: awsTags(spec, { Name: spec.domain }),
            provider: dnsProvider,
          },
          { parent: this },
        );
    const randomProvider = new random.Provider(`${name}-random`, {}, { parent: this });
    const consul = new ConsulSecrets(
      `${name}-consul`,
      { provider: randomProvider },
      { parent: this },
    );
    const tlsProvider = new tls.Provider(`${name}-tls`, {}, { parent: this });
    const consulTls = new ConsulTls(
      `${name}-consul-tls`,
      { provider: tlsProvider, datacenter: spec.consul.datacenter },
      { parent: this },
    );
    const mysql = new MysqlSecrets(`${name}-mysql`, { provider: randomProvider }, { parent: this });
    // Typed by hostSecretIds; Object.fromEntries cannot carry the template-literal keys.
    const hostSecrets = {
      "consul-gossip-key": consul.gossipKey,
      "consul-management-token": consul.managementToken,
      ...Object.fromEntries(
        roles.map((role) => [consulTokenSecretId(role), consul.roleTokens[role]]),
      ),
      ...Object.fromEntries(
        roles.map((role) => [consulTlsSecretId(role), consulTls.identities[role]]),
      ),
      "mysql-replication-password": mysql.replicationPassword,
    } as Record<HostSecretId, pulumi.Output<string>>;
    const chocon = args.chocon;
    this.hosts = renderRegionHosts(spec, {
      ...siteFacts(spec),
      ...(chocon.kind === "built" ? { chocon: chocon.artifacts } : {}),
    });
    const userData: Partial<Record<Role, pulumi.Input<string>>> = {};
    const bootstrap: Partial<Record<Role, pulumi.Input<string>>> = {};
    for (const [role, artifacts] of Object.entries(this.hosts) as [Role, RoleArtifacts][]) {
      // A preview without the build cannot know what chocon hosts will install: planned unknown.
      const unknown = role === "chocon" && chocon.kind === "unknown";
      userData[role] = unknown ? unknownOutput<string>() : artifacts.cloudInit;
      bootstrap[role] = unknown ? unknownOutput<string>() : artifacts.bootstrap;
    }
    const common = { publicZoneId: zone.zoneId, dnsProvider, userData, hostSecrets };
    const restore = spec.dr.restore;
    const dataSnapshots = restore ? diskSnapshots(restore) : undefined;
    // A rebuild's MySQL hosts load the lost region's newest dump at first boot: read access to it.
    const mysqlDumps = spec.dr.replaces === undefined ? undefined : mysqlDumpSource(restore, this);
    // Where the private links end on the site's side.
    let linkEnds: Pick<RegionLinksArgs, "aws" | "sakura"> = {};
    let watch: SiteWatch;
    switch (spec.cloud) {
      case "aws": {
        const site = new AwsSite(
          `${name}-aws`,
          {
            ...common,
            spec,
            chocon,
            ...(restore ? { databaseRestores: databaseRestores(restore, this) } : {}),
            ...(dataSnapshots ? { dataSnapshots } : {}),
            ...(mysqlDumps ? { mysqlDumps } : {}),
          },
          { parent: this },
        );
        this.front = site.albDnsName ?? pulumi.output(site.frontAddresses);
        this.backups = pulumi.output({ cloud: spec.cloud, ...site.backups });
        linkEnds = {
          aws: {
            provider: site.provider,
            vpcId: site.vpcId,
            routeTableIds: site.privateRouteTableIds,
          },
        };
        watch = site.watch;
        break;
      }
      case "gcp": {
        const site = new GcpSite(
          `${name}-gcp`,
          {
            ...common,
            spec,
            chocon,
            ...(dataSnapshots ? { dataSnapshots } : {}),
            ...(restore ? { latestDataSnapshotsOf: latestSnapshotSources(restore) } : {}),
            ...(mysqlDumps ? { mysqlDumpBucket: mysqlDumps.bucket } : {}),
          },
          { parent: this },
        );
        const mysqlAccount = site.serviceAccounts.mysql;
        if (mysqlDumps && mysqlAccount) {
          new GcpDumpReadGrant(
            `${name}-dump-reader`,
            {
              provider: site.provider,
              bucket: mysqlDumps.bucket,
              serviceAccountEmail: mysqlAccount,
            },
            { parent: this },
          );
        }
        this.front = site.loadBalancerAddress;
        this.backups = pulumi.output({ cloud: spec.cloud, ...site.backups });
        watch = site.watch;
        break;
      }
      case "sakura": {
        const sshPrivateKey = deployKey(args.sshPrivateKey);
        // Sakura hosts have no cloud identity: they ship backups to S3 in AWS with a write-only
        // key that travels with the other pushed secrets.
        const offsite = new OffsiteWriter(
          `${name}-offsite`,
          {
            spec,
            awsRegion: offsiteAwsRegion(spec) ?? spec.dr.backupLocation,
            prefixes: Object.values(OFFSITE_PREFIXES),
          },
          { parent: this },
        );
        // chocon hosts download the deploy's chocon build from S3 with a read-only key, pushed too.
        const artifacts =
          hostCount(spec, "chocon") > 0
            ? new AwsArtifactReader(
                `${name}-artifacts`,
                { spec, awsRegion: sakuraArtifactRegion(spec), release: chocon },
                { parent: this },
              )
            : undefined;
        const pushed: Record<HostSecretId, pulumi.Output<string>> &
          Partial<Record<PushedSecretId, pulumi.Output<string>>> = {
          ...hostSecrets,
          "backup-bucket": offsite.bucketName,
          "backup-access-key-id": offsite.accessKeyId,
          "backup-secret-access-key": offsite.secretAccessKey,
          ...(artifacts
            ? {
                "artifact-bucket": artifacts.bucketName,
                "artifact-access-key-id": artifacts.accessKeyId,
                "artifact-secret-access-key": artifacts.secretAccessKey,
              }
            : {}),
        };
        // The front hosts order their certificates with a key that may write challenge records only.
        const certificates = siteFacts(spec).frontCertificates;
        const acme = certificates
          ? new AcmeWriter(
              `${name}-acme`,
              {
                region: spec.name,
                zoneId: zone.zoneId,
                names: certificateNames(certificates),
                provider: dnsProvider,
              },
              { parent: this },
            )
          : undefined;
        // The publishing roles sign their signals with a key that may put metric data only.
        const signals = new SignalsKey(
          `${name}-signals`,
          { region: spec.name, provider: dnsProvider },
          { parent: this },
        );
        // A rebuild's MySQL hosts read the lost region's dumps with a key that may read only those.
        const dumpReader = mysqlDumps
          ? new OffsiteDumpReader(
              `${name}-dump-reader`,
              { region: spec.name, dumps: mysqlDumps, provider: dnsProvider },
              { parent: this },
            )
          : undefined;
        const site = new SakuraSite(
          `${name}-sakura`,
          {
            ...common,
            hostSecrets: pushed,
            roleSecrets: sakuraRoleSecrets({
              signals: {
                "signals-access-key-id": signals.accessKeyId,
                "signals-secret-access-key": signals.secretAccessKey,
              },
              ...(dumpReader
                ? {
                    restore: {
                      "restore-bucket": dumpReader.bucketName,
                      "restore-access-key-id": dumpReader.accessKeyId,
                      "restore-secret-access-key": dumpReader.secretAccessKey,
                    },
                  }
                : {}),
              ...(acme
                ? {
                    acme: {
                      "acme-access-key-id": acme.accessKeyId,
                      "acme-secret-access-key": acme.secretAccessKey,
                    },
                  }
                : {}),
            }),
            spec,
            bootstrap,
            secretsDir: PUSHED_SECRETS_DIR,
            sshPrivateKey,
          },
          { parent: this },
        );
        this.front = pulumi.output(site.publicAddresses);
        linkEnds = { sakura: { switchId: site.switchId } };
        watch = site.watch;
        this.backups = pulumi.output({
          cloud: spec.cloud,
          offsite: {
            region: offsite.awsRegion,
            bucket: offsite.bucketName,
            keyArn: offsite.keyArn,
          },
        });
        break;
      }
    }
    let gke: GkeWatch | undefined;
    if (spec.gke) {
      const consulServers = fixedHosts(spec)
        .filter((host) => host.consulServer)
        .map((host) => `${host.address}:8600`);
      const microservices = new Microservices(
        `${name}-gke`,
        {
          spec,
          gke: spec.gke,
          publicZoneId: zone.zoneId,
          dnsProvider,
          consulDnsServers: consulServers,
          chocon,
        },
        { parent: this },
      );
      this.gatewayHostname = microservices.gatewayHostname;
      if (spec.links.some((link) => link.kind === "haVpn" || link.kind === "ipsecVpn")) {
        new RegionLinks(
          `${name}-links`,
          {
            spec,
            keyProvider: randomProvider,
            ...linkEnds,
            gke: {
              gcpProvider: microservices.gcpProvider,
              k8sProvider: microservices.k8sProvider,
              networkId: microservices.networkId,
            },
          },
          { parent: this },
        );
      }
      // Alerts wait for the project's APIs (Monitoring's among them), not for the cluster.
      gke = {
        provider: microservices.gcpProvider,
        project: spec.gke.project,
        apis: microservices.apis,
      };
    }
    this.alerts = new RegionAlerts(
      `${name}-alerts`,
      {
        spec,
        dnsProvider,
        watch,
        ...(gke ? { gke } : {}),
        ...(args.pagerDuty ? { pagerDuty: args.pagerDuty } : {}),
      },
      { parent: this },
    );
    this.publicZoneId = zone.zoneId;
    this.nameServers = zone.nameServers;
    this.registerOutputs({
      publicZoneId: this.publicZoneId,
      nameServers: this.nameServers,
      front: this.front,
      backups: this.backups,
    });
  }
}
