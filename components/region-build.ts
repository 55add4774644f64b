// The region after its first resources (region.ts), loaded once those are registered: the Consul
// secrets and the host layer, the cloud's site, the GKE microservices and their links, the alerts.
// Each part is built after a turn of the event loop, so that what the parts before it registered
// goes to the engine while it is built. Each cloud's site and the GKE part load only when the
// spec has them.
import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { type GkeWatch, RegionAlerts, type SiteWatch } from "./alerts";
import { unknownOutput } from "./artifacts/publish";
import {
  ConsulSecrets,
  ConsulTls,
  MysqlSecrets,
  type RoleArtifacts,
  renderRegionHosts,
  siteFacts,
} from "./host";
import type { RegionLinksArgs } from "./links";
import type { Region, RegionArgs, RegionBuilt, RegionFirst } from "./region";
import { nextTurn } from "./region-phases";
import { diskSnapshots, type MysqlDumpSource, mysqlDumpSource } from "./restores";
import type * as aws from "./sdk/aws";
import type { RestoreSpec } from "./spec/dr";
import { type Role, roles } from "./spec/hosts";
import { consulTlsSecretId, consulTokenSecretId, type HostSecretId } from "./spec/secrets";

/** What every cloud's site is given, whatever the cloud. */
export interface SiteCommon {
  readonly publicZoneId: pulumi.Output<string>;
  readonly dnsProvider: aws.Provider;
  readonly userData: Partial<Record<Role, pulumi.Input<string>>>;
  readonly hostSecrets: Record<HostSecretId, pulumi.Output<string>>;
}

/** What a cloud's site part (region-site-<cloud>.ts) builds from. */
export interface SiteContext {
  readonly region: Region;
  readonly name: string;
  readonly args: RegionArgs;
  readonly first: RegionFirst;
  readonly common: SiteCommon;
  readonly bootstrap: Partial<Record<Role, pulumi.Input<string>>>;
  readonly restore: RestoreSpec | undefined;
  readonly dataSnapshots: Record<string, string> | undefined;
  readonly mysqlDumps: MysqlDumpSource | undefined;
}

/** What the region takes from its site. */
export interface SiteParts {
  readonly front: pulumi.Output<unknown>;
  readonly backups: pulumi.Output<unknown>;
  /** Where the private links end on the site's side. */
  readonly linkEnds: Pick<RegionLinksArgs, "aws" | "sakura">;
  readonly watch: SiteWatch;
}

/** What the region takes from its GKE part. */
export interface GkeParts {
  /** The gateway's public name. */
  readonly gatewayHostname: string;
  readonly watch: GkeWatch;
}

export async function buildRegionRest(
  region: Region,
  name: string,
  args: RegionArgs,
  first: RegionFirst,
): Promise<RegionBuilt> {
  const { spec } = args;
  const randomProvider = new random.Provider(`${name}-random`, {}, { parent: region });
  const consul = new ConsulSecrets(
    `${name}-consul`,
    { provider: randomProvider },
    { parent: region },
  );
  const tlsProvider = new tls.Provider(`${name}-tls`, {}, { parent: region });
  const consulTls = new ConsulTls(
    `${name}-consul-tls`,
    { provider: tlsProvider, datacenter: spec.consul.datacenter },
    { parent: region },
  );
  const mysql = new MysqlSecrets(`${name}-mysql`, { provider: randomProvider }, { parent: region });
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
  const hosts = renderRegionHosts(spec, {
    ...siteFacts(spec),
    ...(chocon.kind === "built" ? { chocon: chocon.artifacts } : {}),
  });
  const userData: Partial<Record<Role, pulumi.Input<string>>> = {};
  const bootstrap: Partial<Record<Role, pulumi.Input<string>>> = {};
  for (const [role, artifacts] of Object.entries(hosts) as [Role, RoleArtifacts][]) {
    // A preview without the build cannot know what chocon hosts will install: planned unknown.
    const unknown = role === "chocon" && chocon.kind === "unknown";
    userData[role] = unknown ? unknownOutput<string>() : artifacts.cloudInit;
    bootstrap[role] = unknown ? unknownOutput<string>() : artifacts.bootstrap;
  }
  const restore = spec.dr.restore;
  const site = await buildSite({
    region,
    name,
    args,
    first,
    common: {
      publicZoneId: first.zone.zoneId,
      dnsProvider: first.dnsProvider,
      userData,
      hostSecrets,
    },
    bootstrap,
    restore,
    dataSnapshots: restore ? diskSnapshots(restore) : undefined,
    // A rebuild's MySQL hosts load the lost region's newest dump at first boot: read access to it.
    mysqlDumps: spec.dr.replaces === undefined ? undefined : mysqlDumpSource(restore, region),
  });
  let gke: GkeParts | undefined;
  if (spec.gke) {
    await nextTurn();
    const { buildGke } = await import("./region-gke");
    gke = await buildGke(region, name, spec, spec.gke, {
      first,
      chocon,
      keyProvider: randomProvider,
      linkEnds: site.linkEnds,
    });
  }
  await nextTurn();
  const alerts = new RegionAlerts(
    `${name}-alerts`,
    {
      spec,
      dnsProvider: first.dnsProvider,
      watch: site.watch,
      ...(gke ? { gke: gke.watch } : {}),
      ...(args.pagerDuty ? { pagerDuty: args.pagerDuty } : {}),
    },
    { parent: region },
  );
  return {
    hosts,
    front: site.front,
    backups: site.backups,
    ...(gke ? { gatewayHostname: gke.gatewayHostname } : {}),
    alerts,
  };
}

/** The site of the spec's cloud, after a turn; only that cloud's modules load. */
async function buildSite(context: SiteContext): Promise<SiteParts> {
  await nextTurn();
  const { spec } = context.args;
  switch (spec.cloud) {
    case "aws":
      return (await import("./region-site-aws")).buildAwsSite(context, spec);
    case "gcp":
      return (await import("./region-site-gcp")).buildGcpSite(context, spec);
    case "sakura":
      return (await import("./region-site-sakura")).buildSakuraSite(context, spec);
  }
}
