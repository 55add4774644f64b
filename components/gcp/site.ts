// A region on GCP: network, firewall, service accounts, secrets, the hosts of every role, the
// Google Cloud Load Balancer in front of nginx, the internal zone, and the off-site bucket in the
// disaster-recovery region that Consul snapshots and MySQL dumps go to. Public DNS stays on Route53.
import * as pulumi from "@pulumi/pulumi";
import { type GcpWatch, lastSegment } from "../alerts";
import { GcsArtifactStore } from "../artifacts/gcs-store";
import type { ChoconRelease } from "../artifacts/publish";
import { frontFailover } from "../dns/failover";
import { ARTIFACT_BUCKET_KEY } from "../host/chocon-build";
import { RESTORE_BUCKET_KEY } from "../host/mysql-restore";
import { snapshotRecoveryPoint } from "../host/mysql-snapshot-point";
import { BACKUP_BUCKET_KEY, OFFSITE_PREFIXES } from "../host/offsite";
import { consulServerTagValue } from "../host/site-facts";
import type * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import { formatCidr, parseIpv4 } from "../spec/cidr";
import { gcpRegionName } from "../spec/clouds";
import { rebuildPrefix } from "../spec/dr";
import { type Role, roles } from "../spec/hosts";
import { internalRecords } from "../spec/internal-zone";
import { fixedHosts, type HostPlan, hostCount, networkLayout, scaledRoles } from "../spec/layout";
import type { GcpRegionSpec } from "../spec/schema";
import { type HostSecretId, hostSecretIds, secretName, secretsForRole } from "../spec/secrets";
import { gcpLabels } from "../tags";
import { enableGoogleApi, gateOf } from "./api-wait";
import {
  apiKey,
  CERTIFICATE_MANAGER_API,
  COMPUTE_API,
  DNS_API,
  IAM_API,
  RESOURCE_MANAGER_API,
  SECRET_MANAGER_API,
  SITE_APIS,
  STORAGE_API,
} from "./apis";
import { dataDiskName } from "./disk-names";
import { GcpFirewall } from "./firewall";
import { type DataSnapshot, type FixedRoleSettings, GcpFixedHosts } from "./fixed-hosts";
import { hostNetworkTags, SERVICE_PORTS, servicePort } from "./host-settings";
import { GcpInstanceGroup, type GroupHealthCheck } from "./instance-group";
import { GcpLoadBalancer } from "./load-balancer";
import { machineTypeFor } from "./machine-types";
import { GcpNetwork } from "./network";
import { GcpOffsiteBucket } from "./offsite-bucket";
import { GcpPrivateZone } from "./private-zone";
import { GcpSecrets } from "./secrets";
import { GcpServiceAccounts } from "./service-accounts";

export interface GcpSiteArgs {
  /** The validated region spec. */
  readonly spec: GcpRegionSpec;
  /** The region's public Route53 zone (public DNS stays on Route53). */
  readonly publicZoneId: pulumi.Input<string>;
  /** The AWS provider for the Route53 records. */
  readonly dnsProvider: aws.Provider;
  /** The host layer's cloud-init document per role; no secrets in it. */
  readonly userData: Partial<Record<Role, pulumi.Input<string>>>;
  /** Values of the secrets hosts read at boot, stored in Secret Manager under secretName(spec, id). */
  readonly hostSecrets: Record<HostSecretId, pulumi.Input<string>>;
  /** Disaster recovery: the snapshot each MySQL host's data disk is created from, by host name. */
  readonly dataSnapshots?: Partial<Record<string, string>>;
  /**
   * Disaster recovery: by host name, the disk (uk-mysql-1-data) whose most recent snapshot the
   * host's data disk is created from, looked up when the program runs.
   */
  readonly latestDataSnapshotsOf?: Partial<Record<string, string>>;
  /** The chocon build that chocon hosts download from the site's artifact store. */
  readonly chocon?: ChoconRelease;
  /** Disaster recovery: the lost region's dump bucket, named to the MySQL hosts by metadata. */
  readonly mysqlDumpBucket?: pulumi.Input<string>;
}

/** What a rebuild elsewhere restores from: exported by the program as `drBackups`. */
export interface GcpSiteBackups {
  /** The bucket of Consul snapshots (consul/<host>/) and MySQL dumps (mysql/<host>/<time>/). */
  readonly offsite: { readonly location: string; readonly bucket: pulumi.Output<string> };
  /** Data disk of each MySQL host, whose daily snapshots are kept in snapshotLocation. */
  readonly dataDisks: Record<string, string>;
  readonly snapshotLocation: string;
}

/** What auto-healing probes and which ports the load balancer addresses, per auto-scaled role. */
function groupSettings(
  spec: GcpRegionSpec,
  role: Role,
): { healthCheck: GroupHealthCheck; namedPorts: { name: string; port: number }[] } {
  const port = servicePort(role);
  if (port === undefined) throw new Error(`role ${role} serves no port that a group could check`);
  return role === "nginx"
    ? {
        healthCheck: { port, requestPath: spec.front.healthCheckPath },
        namedPorts: [{ name: "http", port }],
      }
    : { healthCheck: { port }, namedPorts: [{ name: "http", port }] };
}

export class GcpSite extends pulumi.ComponentResource {
  readonly provider: gcp.Provider;
  readonly networkId: pulumi.Output<string>;
  readonly subnetworkId: pulumi.Output<string>;
  /** The load balancer's public IPv4 address. */
  readonly loadBalancerAddress: pulumi.Output<string>;
  /** The load balancer's public IPv6 address. */
  readonly loadBalancerAddressV6?: pulumi.Output<string>;
  /** Instance group URL of each auto-scaled role (nginx, app). */
  readonly instanceGroups: Partial<Record<Role, pulumi.Output<string>>>;
  /** Name of the private Cloud DNS zone that holds the internal zone. */
  readonly privateZoneName: pulumi.Output<string>;
  /** Service account e-mail of each role with hosts. */
  readonly serviceAccounts: Partial<Record<Role, pulumi.Output<string>>>;
  /** Secret Manager ids of the host secrets. */
  readonly secretIds: Partial<Record<HostSecretId, pulumi.Output<string>>>;
  /** The fixed hosts: name, role, zone, address. */
  readonly hosts: readonly HostPlan[];
  readonly backups: GcpSiteBackups;
  /** What the region's alerts watch. */
  readonly watch: GcpWatch;

  constructor(name: string, args: GcpSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:Site", name, {}, opts);
    const { spec } = args;
    if (spec.front.mode !== "loadBalancer") {
      throw new Error(
        `region ${spec.name}: front.mode ${spec.front.mode} is not supported on gcp (nginx hosts have no public addresses; use loadBalancer)`,
      );
    }
    const project = spec.gcp.project;
    const region = spec.gcp.region;
    const labels = gcpLabels(spec);

    this.provider = new gcp.Provider(
      `${name}-gcp`,
      {
        project,
        region,
        defaultLabels: labels,
        // The labels above already say what manages the resources.
        addPulumiAttributionLabel: false,
      },
      { parent: this },
    );
    const provider = this.provider;
    const seconds = spec.googleApiWaitSeconds;
    const apis = SITE_APIS.map((service) =>
      enableGoogleApi(
        `${name}-api-${apiKey(service)}`,
        { project, service, seconds },
        {
          parent: this,
          provider,
        },
      ),
    );
    // Each part waits for the APIs its resources are created through, and for nothing else.
    const after = (...services: string[]) => ({
      provider,
      dependsOn: gateOf(apis.filter((api) => services.includes(api.service))),
    });
    const child = { parent: this };

    const layout = networkLayout(spec);
    this.hosts = fixedHosts(spec, layout);
    const activeRoles = roles.filter((role) => hostCount(spec, role) > 0);

    const network = new GcpNetwork(
      `${name}-network`,
      { ...after(COMPUTE_API), region, cidr: formatCidr(layout.hosts) },
      child,
    );

    const accounts = new GcpServiceAccounts(
      `${name}-accounts`,
      {
        ...after(IAM_API),
        grantsDependOn: after(RESOURCE_MANAGER_API).dependsOn,
        project,
        regionName: spec.name,
        roles: activeRoles,
      },
      child,
    );
    const emailOf = (role: Role): pulumi.Output<string> => {
      const email = accounts.emails[role];
      if (!email) throw new Error(`${name}: role ${role} has no service account`);
      return email;
    };

    const secrets = new GcpSecrets(
      `${name}-secrets`,
      {
        ...after(SECRET_MANAGER_API),
        secrets: hostSecretIds.map((id) => ({
          id,
          name: secretName(spec, id),
          value: args.hostSecrets[id],
        })),
        replicaLocations: secretLocations(spec),
        readers: activeRoles.map((role) => ({
          role,
          email: emailOf(role),
          secrets: secretsForRole(role),
        })),
        labels,
      },
      child,
    );

    // Hosts ship their own backups out of the region; each role only under its prefix.
    const shipping = (Object.entries(OFFSITE_PREFIXES) as [Role, string][]).filter(([role]) =>
      activeRoles.includes(role),
    );
    const offsite = new GcpOffsiteBucket(
      `${name}-offsite`,
      {
        ...after(STORAGE_API),
        project,
        regionName: spec.name,
        location: spec.dr.backupLocation,
        retentionDays: spec.dr.backupRetentionDays,
        writers: shipping.map(([role, prefix]) => ({
          prefix,
          key: role,
          serviceAccountEmail: emailOf(role),
        })),
        labels,
      },
      child,
    );

    // chocon hosts download the deploy's chocon build from the region's artifact store.
    const artifacts =
      args.chocon && activeRoles.includes("chocon")
        ? new GcsArtifactStore(
            `${name}-artifacts`,
            {
              ...after(STORAGE_API),
              project,
              regionName: spec.name,
              location: region,
              readers: [{ key: "chocon", serviceAccountEmail: emailOf("chocon") }],
              release: args.chocon,
              labels,
            },
            child,
          )
        : undefined;

    const wan = wanPeers(spec);
    for (const entry of wan.unresolved) {
      pulumi.log.warn(
        `consul.wanJoin ${entry} is a host name: the firewall admits WAN peers by address only`,
        this,
      );
    }
    new GcpFirewall(
      `${name}-firewall`,
      {
        ...after(COMPUTE_API),
        network: network.networkId,
        serviceAccounts: Object.fromEntries(activeRoles.map((role) => [role, emailOf(role)])),
        consulWan: spec.consul.wanJoin.length > 0,
        wanPeers: wan.addresses,
      },
      child,
    );

    // Hosts read their secrets at first boot: the secrets and their readers' grants come before
    // any host starts (and only before what starts one). Their service account arrives with its
    // email; its project roles (logs, metrics, the Consul join's listing) are used only once the
    // host runs, and take effect whenever IAM propagates, so no host waits for them (they are
    // written one at a time per project).
    const hostBase = after(COMPUTE_API);
    const bootsAfter = (role: Role) => secrets.bootNeeds[role] ?? [];
    this.instanceGroups = {};
    const groups: Partial<Record<Role, GcpInstanceGroup>> = {};
    for (const role of scaledRoles.filter((r) => activeRoles.includes(r))) {
      const host = spec.hosts[role];
      const group = new GcpInstanceGroup(
        `${name}-${role}`,
        {
          ...hostBase,
          role,
          region,
          zones: spec.gcp.zones,
          size: hostCount(spec, role),
          machineType: machineTypeFor(spec.hosts, role),
          diskGb: host.diskGb,
          subnetwork: network.subnetworkId,
          serviceAccountEmail: emailOf(role),
          networkTags: hostNetworkTags(role, consulServerTagValue(spec)),
          labels,
          userData: args.userData[role],
          bootsAfter: bootsAfter(role),
          namePrefix: rebuildPrefix(spec),
          ...groupSettings(spec, role),
        },
        child,
      );
      groups[role] = group;
      this.instanceGroups[role] = group.instanceGroup;
    }

    const fixedRoles: Partial<Record<Role, FixedRoleSettings>> = {};
    for (const role of new Set(this.hosts.map((host) => host.role))) {
      fixedRoles[role] = {
        machineType: machineTypeFor(spec.hosts, role),
        diskGb: spec.hosts[role].diskGb,
        serviceAccountEmail: emailOf(role),
        networkTags: hostNetworkTags(role, consulServerTagValue(spec)),
        userData: args.userData[role],
        bootsAfter: bootsAfter(role),
        ...(OFFSITE_PREFIXES[role]
          ? {
              extraMetadata: {
                [BACKUP_BUCKET_KEY]: offsite.bucketName,
                ...(role === "mysql" && args.mysqlDumpBucket
                  ? { [RESTORE_BUCKET_KEY]: args.mysqlDumpBucket }
                  : {}),
              },
            }
          : {}),
        // Known only once the object and the grant exist: no chocon host boots before them.
        ...(role === "chocon" && artifacts
          ? { extraMetadata: { [ARTIFACT_BUCKET_KEY]: artifacts.bucketNameWhenFilled } }
          : {}),
      };
    }
    const fixed = new GcpFixedHosts(
      `${name}-hosts`,
      {
        ...hostBase,
        hosts: this.hosts,
        roles: fixedRoles,
        dataDiskGb: spec.hosts.mysql.dataDiskGb,
        snapshots: {
          retentionDays: spec.dr.backupRetentionDays,
          storageLocation: spec.dr.backupLocation,
        },
        regionName: spec.name,
        instanceNamePrefix: rebuildPrefix(spec),
        region,
        subnetwork: network.subnetworkId,
        labels,
        dataSnapshots: restoredDisks(args, project, provider, this),
      },
      child,
    );

    const failover = frontFailover(spec);
    const nginx = groups.nginx;
    if (!nginx) throw new Error(`${name}: the load balancer needs nginx hosts`);
    const lb = new GcpLoadBalancer(
      `${name}-lb`,
      {
        ...after(COMPUTE_API, CERTIFICATE_MANAGER_API),
        domain: spec.domain,
        names: spec.front.names,
        healthCheckPath: spec.front.healthCheckPath,
        instanceGroup: nginx.instanceGroup,
        portName: "http",
        port: SERVICE_PORTS.nginx,
        publicZoneId: args.publicZoneId,
        dnsProvider: args.dnsProvider,
        labels,
        ...(failover ? { failover } : {}),
      },
      child,
    );

    const zone = new GcpPrivateZone(
      `${name}-internal-zone`,
      {
        ...after(DNS_API),
        domain: spec.dns.internalDomain,
        zoneName: `${spec.name}-internal`,
        networkId: network.networkId,
        records: internalRecords(this.hosts),
        labels,
      },
      child,
    );

    this.networkId = network.networkId;
    this.subnetworkId = network.subnetworkId;
    this.loadBalancerAddress = lb.address;
    this.loadBalancerAddressV6 = lb.addressV6;
    this.privateZoneName = zone.zoneName;
    this.serviceAccounts = accounts.emails;
    this.secretIds = secrets.secretIds;
    this.backups = {
      offsite: { location: spec.dr.backupLocation, bucket: offsite.bucketName },
      dataDisks: Object.fromEntries(
        Object.keys(fixed.dataDisks).map((host) => [host, dataDiskName(spec.name, host)]),
      ),
      snapshotLocation: spec.dr.backupLocation,
    };
    this.watch = {
      cloud: "gcp",
      provider,
      project,
      apis: gateOf(apis),
      route53Checks: lb.failoverHealthCheckId
        ? [
            {
              subject: "failover",
              healthCheckId: lb.failoverHealthCheckId,
              what: `the load balancer answering ${spec.front.healthCheckPath} over HTTPS (the failover primary's check)`,
            },
          ]
        : [],
      loadBalancer: {
        urlMapName: lb.urlMap.name,
        // The group's URL ends in its name: .../regions/<r>/instanceGroups/<name>.
        backendGroupName: lastSegment(nginx.instanceGroup),
      },
    };
    this.registerOutputs({
      networkId: this.networkId,
      subnetworkId: this.subnetworkId,
      loadBalancerAddress: this.loadBalancerAddress,
      loadBalancerAddressV6: this.loadBalancerAddressV6,
      instanceGroups: this.instanceGroups,
      privateZoneName: this.privateZoneName,
      serviceAccounts: this.serviceAccounts,
      secretIds: this.secretIds,
      offsiteBucket: offsite.bucketName,
    });
  }
}

/**
 * The snapshot each restored data disk is created from, with its recovery point, by host name: a
 * named snapshot, looked up by name for its creation time (the disk still takes the name), or the
 * most recent snapshot of a lost disk. Snapshots are global in the project; the filter is a
 * Compute API regular expression that must match the whole sourceDisk URL
 * (.../zones/<zone>/disks/<disk>), so the disk's zone does not matter.
 */
function restoredDisks(
  args: GcpSiteArgs,
  project: string,
  provider: gcp.Provider,
  parent: pulumi.Resource,
): Record<string, DataSnapshot> {
  const out: Record<string, DataSnapshot> = {};
  const options = { parent, provider };
  for (const [host, name] of Object.entries(args.dataSnapshots ?? {})) {
    if (name === undefined) continue;
    const snapshot = gcp.compute.getSnapshotOutput({ project, name }, options);
    out[host] = {
      source: name,
      recoveryPoint: snapshot.apply((s) => snapshotRecoveryPoint(s.creationTimestamp, name)),
    };
  }
  for (const [host, disk] of Object.entries(args.latestDataSnapshotsOf ?? {})) {
    if (disk === undefined) continue;
    const snapshot = gcp.compute.getSnapshotOutput(
      { project, filter: `sourceDisk eq ".*/${disk}$"`, mostRecent: true },
      options,
    );
    out[host] = {
      source: snapshot.apply((s) => s.selfLink),
      recoveryPoint: snapshot.apply((s) =>
        snapshotRecoveryPoint(s.creationTimestamp, s.name ?? ""),
      ),
    };
  }
  return out;
}

/** The site's region, plus the disaster-recovery region when that is a GCP region too. */
export function secretLocations(spec: GcpRegionSpec): string[] {
  const backup = spec.dr.backupLocation;
  const isGcpRegion = gcpRegionName.safeParse(backup).success;
  return isGcpRegion && backup !== spec.gcp.region ? [spec.gcp.region, backup] : [spec.gcp.region];
}

/** consul.wanJoin split into IPv4 addresses (firewall sources) and host names (which it cannot use). */
export function wanPeers(spec: GcpRegionSpec): { addresses: string[]; unresolved: string[] } {
  const isAddress = (entry: string) => parseIpv4(entry) !== undefined;
  return {
    addresses: spec.consul.wanJoin.filter(isAddress),
    unresolved: spec.consul.wanJoin.filter((entry) => !isAddress(entry)),
  };
}
