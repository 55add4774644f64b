// The AWS site of a region: its own provider, the network, security groups, instance roles, host
// secrets, the fleet, the front (a load balancer, or DNS round robin over nginx hosts), RDS
// databases and the internal zone, plus what disaster recovery needs in the backup region: RDS
// backups replicated there and the off-site bucket that Consul snapshots and MySQL dumps go to.
// Everything goes through an explicit provider.
import * as pulumi from "@pulumi/pulumi";
import type { AwsWatch, Route53Check } from "../alerts";
import { AwsArtifactStore } from "../artifacts/aws-store";
import type { ChoconRelease } from "../artifacts/publish";
import { ARTIFACT_BUCKET_KEY } from "../host/chocon-build";
import { RESTORE_BUCKET_KEY } from "../host/mysql-restore";
import { ebsSnapshotRecoveryPoint } from "../host/mysql-snapshot-point";
import { BACKUP_BUCKET_KEY, OFFSITE_PREFIXES } from "../host/offsite";
import type { MysqlDumpSource } from "../restores";
import * as aws from "../sdk/aws";
import { type Role, roles } from "../spec/hosts";
import { internalRecords } from "../spec/internal-zone";
import { type HostPlan, hostCount } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import type { HostSecretId } from "../spec/secrets";
import { awsTags } from "../tags";
import { lookUpAccount } from "./account";
import { vpcResolverAddress } from "./addresses";
import { BackupRegion } from "./backup-region";
import { consulServerTag } from "./consul";
import type { DataSnapshot } from "./fixed-host";
import { Fleet } from "./fleet";
import { Front } from "./front";
import { InstanceRoles } from "./instance-roles";
import { Network } from "./network";
import { OffsiteBucket, offsiteDumpReadStatements } from "./offsite-bucket";
import { PrivateZone } from "./private-zone";
import { Database, type DatabaseRestore } from "./rds";
import { RoundRobinFront } from "./round-robin-front";
import { HostSecrets } from "./secrets";
import { SecurityGroups } from "./security-groups";
import type { GroupKey } from "./security-rules";

export interface AwsSiteArgs {
  /** The validated region spec (cloud "aws"). */
  spec: AwsRegionSpec;
  /** The region's public Route53 zone (made by Region). */
  publicZoneId: pulumi.Input<string>;
  /** The provider for records and health checks in the public zone. */
  dnsProvider: aws.Provider;
  /** The host layer's cloud-init document per role; no secrets in it. */
  userData: Partial<Record<Role, pulumi.Input<string>>>;
  /** Values of the host secrets (secret Outputs), stored in Secrets Manager. */
  hostSecrets: Record<HostSecretId, pulumi.Input<string>>;
  /** Disaster recovery: build these databases (by spec name) from a snapshot or point in time. */
  databaseRestores?: Partial<Record<string, DatabaseRestore>>;
  /** Disaster recovery: EBS snapshots that MySQL hosts' data volumes start from, by host name. */
  dataSnapshots?: Partial<Record<string, string>>;
  /** The chocon build that chocon hosts download from the site's artifact store. */
  chocon?: ChoconRelease;
  /** Disaster recovery: the lost region's dump bucket, which the MySQL hosts read at first boot. */
  mysqlDumps?: MysqlDumpSource;
}

/** What a rebuild elsewhere restores from: exported by the program as `drBackups`. */
export interface AwsSiteBackups {
  /** The bucket of Consul snapshots (consul/<host>/) and MySQL dumps (mysql/<host>/<time>/). */
  readonly offsite: {
    readonly region: string;
    readonly bucket: pulumi.Output<string>;
    /** The KMS key its objects are encrypted with: a rebuild's readers need kms:Decrypt on it. */
    readonly keyArn: pulumi.Output<string>;
  };
  /** Per RDS database: where its replicated automated backups are. */
  readonly rds: Record<
    string,
    {
      readonly identifier: string;
      readonly region: string;
      readonly resourceId: pulumi.Output<string>;
      readonly replicatedBackupsArn?: pulumi.Output<string>;
    }
  >;
}

export interface SiteDatabase {
  readonly identifier: string;
  /** host:port. */
  readonly endpoint: pulumi.Output<string>;
  readonly address: pulumi.Output<string>;
  /** Its name in the internal zone: `<name>-db.<internal domain>`. */
  readonly internalName: string;
  readonly masterUserSecretArn: pulumi.Output<string | undefined>;
  /** Its automated backups in the backup region. */
  readonly replicatedBackupsArn?: pulumi.Output<string>;
  readonly resourceId: pulumi.Output<string>;
}

export class AwsSite extends pulumi.ComponentResource {
  /** The site's provider (region, default tags, allowed account). */
  public readonly provider: aws.Provider;
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  /** The VPC resolver (network + 2; 169.254.169.253 reaches the same resolver). */
  public readonly vpcResolver: string;
  public readonly zoneNames: pulumi.Output<string>[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly dataSubnetIds: pulumi.Output<string>[];
  /** The route tables of the hosts' (private) subnets, one per zone. */
  public readonly privateRouteTableIds: pulumi.Output<string>[];
  /** Addresses the hosts' outbound traffic leaves from (for allow-lists in other clouds). */
  public readonly natPublicIps: pulumi.Output<string>[];
  /** The load balancer's name (loadBalancer front), for CNAMEs and checks elsewhere. */
  public readonly albDnsName?: pulumi.Output<string>;
  public readonly albZoneId?: pulumi.Output<string>;
  public readonly certificateArn?: pulumi.Output<string>;
  /** The nginx hosts' public addresses by host name (dnsRoundRobin front). */
  public readonly frontAddresses: Record<string, pulumi.Output<string>>;
  /** RDS databases by spec name. */
  public readonly databases: Record<string, SiteDatabase>;
  public readonly privateZoneId: pulumi.Output<string>;
  public readonly privateZoneName: string;
  /** Every fixed host (name, role, zone, address). */
  public readonly hosts: HostPlan[];
  public readonly instanceIds: Record<string, pulumi.Output<string>>;
  public readonly groupNames: Partial<Record<Role, pulumi.Output<string>>>;
  public readonly securityGroupIds: Partial<Record<GroupKey, pulumi.Output<string>>>;
  public readonly secretArns: Record<HostSecretId, pulumi.Output<string>>;
  /** The tag that marks the Consul servers for cloud auto-join. */
  public readonly consulServerTag: { key: string; value: string };
  /** Provider and key of the backup region (dr.backupLocation). */
  public readonly backupRegion: BackupRegion;
  public readonly offsiteBucketName: pulumi.Output<string>;
  public readonly backups: AwsSiteBackups;
  /** What the region's alerts watch. */
  public readonly watch: AwsWatch;

  constructor(name: string, args: AwsSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Site", name, {}, opts);
    const { spec } = args;
    this.provider = new aws.Provider(
      `${name}-aws`,
      {
        region: spec.aws.region,
        defaultTags: { tags: awsTags(spec) },
        ...(spec.aws.accountId ? { allowedAccountIds: [spec.aws.accountId] } : {}),
      },
      { parent: this },
    );
    const provider = this.provider;
    const account = lookUpAccount(provider, this);
    const child = { parent: this };

    const network = new Network(`${name}-network`, { spec, provider, account }, child);
    // Backups leave the region: RDS replicates into the backup region, hosts ship to its bucket.
    const backupRegion = new BackupRegion(
      `${name}-backups`,
      {
        spec,
        awsRegion: spec.dr.backupLocation,
        ...(spec.aws.accountId ? { accountId: spec.aws.accountId } : {}),
      },
      child,
    );
    const offsite = new OffsiteBucket(
      `${name}-offsite`,
      {
        spec,
        provider: backupRegion.provider,
        awsRegion: backupRegion.awsRegion,
        keyArn: backupRegion.keyArn,
      },
      child,
    );
    const shipping = Object.entries(OFFSITE_PREFIXES) as [Role, string][];
    // chocon hosts download the deploy's chocon build from the region's artifact store.
    const artifacts =
      args.chocon && hostCount(spec, "chocon") > 0
        ? new AwsArtifactStore(`${name}-artifacts`, { spec, provider, release: args.chocon }, child)
        : undefined;
    const secrets = new HostSecrets(
      `${name}-secrets`,
      { spec, provider, values: args.hostSecrets },
      child,
    );
    const groups = new SecurityGroups(
      `${name}-sg`,
      { spec, provider, vpcId: network.vpcId },
      child,
    );
    const instanceRoles = new InstanceRoles(
      `${name}-iam`,
      {
        spec,
        provider,
        account,
        roles: roles.filter((role) => hostCount(spec, role) > 0),
        secretArns: secrets.arns,
        secretsKeyArn: secrets.keyArn,
        extraStatements: {
          ...Object.fromEntries(
            shipping.map(([role, prefix]) => [role, offsite.writeGrants(prefix)]),
          ),
          ...(artifacts ? { chocon: artifacts.readStatements() } : {}),
          ...(args.mysqlDumps
            ? {
                mysql: [
                  ...offsite.writeGrants("mysql"),
                  ...offsiteDumpReadStatements(
                    pulumi.interpolate`arn:${account.partition}:s3:::${args.mysqlDumps.bucket}`,
                    args.mysqlDumps.location,
                    args.mysqlDumps.keyArn,
                  ),
                ],
              }
            : {}),
        },
      },
      child,
    );

    const albGroup = groups.ids.alb;
    const front =
      spec.front.mode === "loadBalancer" && albGroup
        ? new Front(
            `${name}-front`,
            {
              spec,
              provider,
              account,
              dnsProvider: args.dnsProvider,
              publicZoneId: args.publicZoneId,
              vpcId: network.vpcId,
              publicSubnetIds: network.publicSubnetIds,
              securityGroupId: albGroup,
            },
            child,
          )
        : undefined;

    const fleet = new Fleet(
      `${name}-fleet`,
      {
        spec,
        provider,
        layout: network.layout,
        zoneNames: network.zoneNames,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        securityGroupIds: (role) => groups.forRole(role),
        instanceRole: (role) => instanceRoles.for(role),
        userData: args.userData,
        bootDependencies: network.readyForHosts,
        secretValues: (role) => secrets.valuesReadBy(role),
        roleTags: {
          ...Object.fromEntries(
            shipping.map(([role]) => [role, { [BACKUP_BUCKET_KEY]: offsite.bucketName }]),
          ),
          ...(args.mysqlDumps
            ? {
                mysql: {
                  [BACKUP_BUCKET_KEY]: offsite.bucketName,
                  [RESTORE_BUCKET_KEY]: args.mysqlDumps.bucket,
                },
              }
            : {}),
          // Known only once the object is in the bucket: no chocon host boots before it.
          ...(artifacts
            ? { chocon: { [ARTIFACT_BUCKET_KEY]: artifacts.bucketNameWhenFilled } }
            : {}),
        },
        ...(args.dataSnapshots
          ? { dataSnapshots: restoredVolumes(args.dataSnapshots, provider, this) }
          : {}),
        ...(front ? { nginxTargetGroupArns: [front.targetGroupArn] } : {}),
      },
      child,
    );

    const roundRobin =
      spec.front.mode === "dnsRoundRobin"
        ? new RoundRobinFront(
            `${name}-front`,
            {
              spec,
              provider,
              dnsProvider: args.dnsProvider,
              publicZoneId: args.publicZoneId,
              hosts: fleet.frontHosts.map(({ plan, host }) => ({
                plan,
                instanceId: host.instanceId,
              })),
            },
            child,
          )
        : undefined;

    const databaseGroup = groups.ids.database;
    const databases: Record<string, SiteDatabase> = {};
    for (const database of spec.aws.rds) {
      if (!databaseGroup) throw new Error("RDS databases need the database security group");
      const restore = args.databaseRestores?.[database.name];
      const db = new Database(
        `${name}-db-${database.name}`,
        {
          spec,
          provider,
          account,
          database,
          subnetIds: network.dataSubnetIds,
          securityGroupIds: [databaseGroup],
          ...(restore ? { restore } : {}),
          backupReplication: {
            provider: backupRegion.provider,
            keyArn: backupRegion.keyArn,
            retentionDays: spec.dr.backupRetentionDays,
          },
        },
        child,
      );
      databases[database.name] = {
        identifier: db.identifier,
        endpoint: db.endpoint,
        address: db.address,
        internalName: `${database.name}-db.${spec.dns.internalDomain}`,
        masterUserSecretArn: db.masterUserSecretArn,
        resourceId: db.resourceId,
        ...(db.replicatedBackupsArn ? { replicatedBackupsArn: db.replicatedBackupsArn } : {}),
      };
    }

    const zone = new PrivateZone(
      `${name}-internal`,
      {
        spec,
        provider,
        vpcId: network.vpcId,
        records: internalRecords(fleet.hostPlans),
        aliases: Object.entries(databases).map(([dbName, db]) => ({
          name: `${dbName}-db`,
          target: db.address,
        })),
      },
      child,
    );

    this.vpcId = network.vpcId;
    this.privateRouteTableIds = network.privateRouteTableIds;
    this.vpcCidr = network.vpcCidr;
    this.vpcResolver = vpcResolverAddress(network.layout);
    this.zoneNames = network.zoneNames;
    this.publicSubnetIds = network.publicSubnetIds;
    this.privateSubnetIds = network.privateSubnetIds;
    this.dataSubnetIds = network.dataSubnetIds;
    this.natPublicIps = network.natPublicIps;
    if (front) {
      this.albDnsName = front.dnsName;
      this.albZoneId = front.zoneId;
      this.certificateArn = front.certificateArn;
    }
    this.frontAddresses = roundRobin?.addresses ?? {};
    this.databases = databases;
    this.privateZoneId = zone.zoneId;
    this.privateZoneName = zone.zoneName;
    this.hosts = fleet.hostPlans;
    this.instanceIds = Object.fromEntries(
      Object.entries(fleet.fixedHosts).map(([host, fixed]) => [host, fixed.instanceId]),
    );
    this.groupNames = fleet.groupNames;
    this.securityGroupIds = groups.ids;
    this.secretArns = secrets.arns;
    this.consulServerTag = consulServerTag(spec);
    this.backupRegion = backupRegion;
    this.offsiteBucketName = offsite.bucketName;
    this.backups = {
      offsite: {
        region: backupRegion.awsRegion,
        bucket: offsite.bucketName,
        keyArn: backupRegion.keyArn,
      },
      rds: Object.fromEntries(
        Object.entries(databases).map(([dbName, db]) => [
          dbName,
          {
            identifier: db.identifier,
            region: backupRegion.awsRegion,
            resourceId: db.resourceId,
            ...(db.replicatedBackupsArn ? { replicatedBackupsArn: db.replicatedBackupsArn } : {}),
          },
        ]),
      ),
    };

    const route53Checks: Route53Check[] = [
      ...Object.entries(roundRobin?.healthCheckIds ?? {}).map(([host, healthCheckId]) => ({
        subject: host,
        healthCheckId,
        what: `${host} answering ${spec.front.healthCheckPath} over HTTP`,
      })),
      ...(front?.failoverHealthCheckId
        ? [
            {
              subject: "failover",
              healthCheckId: front.failoverHealthCheckId,
              what: `the load balancer answering ${spec.front.healthCheckPath} over HTTPS (the failover primary's check)`,
            },
          ]
        : []),
    ];
    this.watch = {
      cloud: "aws",
      provider,
      awsRegion: spec.aws.region,
      route53Checks,
      ...(front
        ? {
            loadBalancer: {
              loadBalancer: front.loadBalancerArnSuffix,
              targetGroup: front.targetGroupArnSuffix,
              certificateArn: front.certificateArn,
            },
          }
        : {}),
      databases: spec.aws.rds.flatMap((db) => {
        const made = databases[db.name];
        return made
          ? [{ name: db.name, identifier: made.identifier, storageGb: db.storageGb }]
          : [];
      }),
      instanceRoleNames: Object.fromEntries(
        Object.entries(instanceRoles.byRole).map(([role, iam]) => [role, iam.roleName]),
      ),
    };

    this.registerOutputs({
      vpcId: this.vpcId,
      albDnsName: this.albDnsName,
      frontAddresses: this.frontAddresses,
      databaseEndpoints: Object.fromEntries(
        Object.entries(databases).map(([dbName, db]) => [dbName, db.endpoint]),
      ),
      privateZoneId: this.privateZoneId,
      natPublicIps: this.natPublicIps,
      offsiteBucket: this.offsiteBucketName,
    });
  }
}

/**
 * The EBS snapshot each restored data volume is created from, by host name, with its recovery
 * point: each is looked up by id, in the site's region, for its start time.
 */
function restoredVolumes(
  snapshots: Partial<Record<string, string>>,
  provider: aws.Provider,
  parent: pulumi.Resource,
): Record<string, DataSnapshot> {
  const out: Record<string, DataSnapshot> = {};
  for (const [host, id] of Object.entries(snapshots)) {
    if (id === undefined) continue;
    const snapshot = aws.ebs.getSnapshotOutput({ snapshotIds: [id] }, { parent, provider });
    out[host] = {
      id,
      recoveryPoint: snapshot.apply((s) => ebsSnapshotRecoveryPoint(s.startTime, id)),
    };
  }
  return out;
}
