// The hosts that keep a name and an address of their own (mysql, memcached, util = Consul
// servers, chocon), as single instances spread over the zones. Their addresses are reserved so
// that no auto-scaled host takes one. State is guarded: MySQL data lives on its own disk with
// daily snapshots copied to the disaster-recovery location, and neither MySQL nor the Consul
// servers are ever replaced or deleted by a routine `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_POINT_KEY } from "../host/mysql-snapshot-point";
import * as gcp from "../sdk/gcp";
import { dependsOnAll } from "../sdk/waits";
import type { Role } from "../spec/hosts";
import type { HostPlan } from "../spec/layout";
import { dataDiskName } from "./disk-names";
import {
  BOOT_DISK_TYPE,
  HOST_IMAGE,
  HOST_SCOPES,
  hostMetadata,
  SHIELDED_VM,
  USER_DATA_KEY,
} from "./host-settings";
import { childOptions, type GcpComponentArgs } from "./options";

/** Roles whose hosts hold state that a replacement would lose: protected and deletion-protected. */
export const GUARDED_ROLES: readonly Role[] = ["mysql", "util"];
/** Roles whose hosts keep their data on a separate persistent disk. */
export const DATA_DISK_ROLES: readonly Role[] = ["mysql"];
export const DATA_DISK_TYPE = "pd-ssd";
/** Device name of the data disk: /dev/disk/by-id/google-data on the host. */
export const DATA_DISK_DEVICE = "data";

/**
 * Changes that must not replace a fixed host: a newer image in the family, or a new cloud-init
 * document (cloud-init only runs at first boot anyway; running hosts are changed in place).
 */
export const FIXED_HOST_IGNORED_CHANGES: readonly string[] = [
  "bootDisk.initializeParams.image",
  `metadata["${USER_DATA_KEY}"]`,
];

export interface FixedRoleSettings {
  readonly machineType: string;
  /** Root disk, GiB. */
  readonly diskGb: number;
  readonly serviceAccountEmail: pulumi.Input<string>;
  readonly networkTags: readonly string[];
  /** The role's cloud-init document (no secrets in it). */
  readonly userData?: pulumi.Input<string>;
  /** Metadata the role's hosts read at run time (the off-site bucket of util and mysql hosts). */
  readonly extraMetadata?: Record<string, pulumi.Input<string>>;
  /**
   * What the role's hosts read at first boot (their secrets and the grants to read them): the
   * instances wait for it; their addresses, disks and snapshot schedules need none of it.
   */
  readonly bootsAfter?: readonly pulumi.Resource[];
}

export interface SnapshotSettings {
  /** Days a daily snapshot is kept. */
  readonly retentionDays: number;
  /** Where snapshots are stored: a region or multi-region other than the site's own. */
  readonly storageLocation: string;
}

/** A snapshot a data disk is created from, and the recovery point its host is told. */
export interface DataSnapshot {
  /** The snapshot's name or link, as the disk takes it. */
  readonly source: pulumi.Input<string>;
  /** snapshotRecoveryPoint(its creation time, its name): the metadata value the host reads. */
  readonly recoveryPoint: pulumi.Input<string>;
}

export interface GcpFixedHostsArgs extends GcpComponentArgs {
  /** The hosts to run (fixedHosts(spec, layout)); each keeps its name, zone and address. */
  readonly hosts: readonly HostPlan[];
  /** Settings of each role that has hosts. */
  readonly roles: Partial<Record<Role, FixedRoleSettings>>;
  /** Size of each MySQL host's data disk, GiB. */
  readonly dataDiskGb: number;
  readonly snapshots: SnapshotSettings;
  /** The region's short id (uk), for the names of disks and the snapshot schedule. */
  readonly regionName: string;
  /** The GCP region, e.g. europe-west2. */
  readonly region: string;
  readonly subnetwork: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  /** Boot image; defaults to Ubuntu 24.04 LTS. */
  readonly image?: string;
  /** Disaster recovery: the snapshot each data disk is created from, by host name. */
  readonly dataSnapshots?: Partial<Record<string, DataSnapshot>>;
  /**
   * Before each instance name: a rebuild shares the project with what is left of the region it
   * replaces, and instance names must never meet (rebuildPrefix). Empty for other regions.
   */
  readonly instanceNamePrefix?: string;
}

export class GcpFixedHosts extends pulumi.ComponentResource {
  readonly instances: Record<string, gcp.compute.Instance>;
  readonly dataDisks: Record<string, gcp.compute.Disk>;
  readonly snapshotSchedule?: gcp.compute.ResourcePolicy;

  constructor(name: string, args: GcpFixedHostsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:FixedHosts", name, {}, opts);
    const child = childOptions(this, args);
    this.instances = {};
    this.dataDisks = {};

    const needsData = args.hosts.some((host) => DATA_DISK_ROLES.includes(host.role));
    const schedule = needsData
      ? new gcp.compute.ResourcePolicy(
          `${name}-daily-snapshots`,
          {
            name: `${args.regionName}-data-daily`,
            description:
              "Daily snapshots of the data disks, kept in the disaster-recovery location",
            region: args.region,
            snapshotSchedulePolicy: {
              schedule: { dailySchedule: { daysInCycle: 1, startTime: "04:00" } },
              retentionPolicy: {
                maxRetentionDays: args.snapshots.retentionDays,
                onSourceDiskDelete: "KEEP_AUTO_SNAPSHOTS",
              },
              snapshotProperties: {
                storageLocations: args.snapshots.storageLocation,
                labels: args.labels,
              },
            },
          },
          child,
        )
      : undefined;
    this.snapshotSchedule = schedule;

    for (const host of args.hosts) {
      const settings = args.roles[host.role];
      if (!settings)
        throw new Error(`${name}: no settings for role ${host.role} (host ${host.name})`);
      const guarded = GUARDED_ROLES.includes(host.role);
      const labels = { ...args.labels, role: host.role, host: host.name };

      // A reserved internal address: GCE never hands it to another host, and the instance keeps it.
      const address = new gcp.compute.Address(
        `${name}-${host.name}-address`,
        {
          name: `${args.regionName}-${host.name}`,
          description: `Fixed address of ${host.name}`,
          addressType: "INTERNAL",
          purpose: "GCE_ENDPOINT",
          region: args.region,
          subnetwork: args.subnetwork,
          address: host.address,
          labels,
        },
        { ...child, deleteBeforeReplace: true },
      );

      const attachedDisks: gcp.types.input.compute.InstanceAttachedDisk[] = [];
      let restoreFrom: DataSnapshot | undefined;
      if (DATA_DISK_ROLES.includes(host.role)) {
        restoreFrom = args.dataSnapshots?.[host.name];
        const disk = new gcp.compute.Disk(
          `${name}-${host.name}-data`,
          {
            name: dataDiskName(args.regionName, host.name),
            description: `Data of ${host.name}`,
            zone: host.zone,
            type: DATA_DISK_TYPE,
            size: args.dataDiskGb,
            ...(restoreFrom ? { snapshot: restoreFrom.source } : {}),
            labels,
            // A final snapshot if the disk is ever deleted after all.
            createSnapshotBeforeDestroy: true,
          },
          // The snapshot matters only when the disk is created: dropping it replaces nothing.
          { ...child, protect: true, ignoreChanges: ["snapshot"] },
        );
        if (schedule) {
          new gcp.compute.DiskResourcePolicyAttachment(
            `${name}-${host.name}-data-snapshots`,
            { disk: disk.name, zone: host.zone, name: schedule.name },
            child,
          );
        }
        attachedDisks.push({
          source: disk.selfLink,
          deviceName: DATA_DISK_DEVICE,
          mode: "READ_WRITE",
        });
        this.dataDisks[host.name] = disk;
      }

      this.instances[host.name] = new gcp.compute.Instance(
        `${name}-${host.name}`,
        {
          name: `${args.instanceNamePrefix ?? ""}${host.name}`,
          description: `${host.role} host ${host.ordinal}${host.consulServer ? " (Consul server)" : ""}`,
          zone: host.zone,
          machineType: settings.machineType,
          bootDisk: {
            autoDelete: true,
            initializeParams: {
              image: args.image ?? HOST_IMAGE,
              size: settings.diskGb,
              type: BOOT_DISK_TYPE,
              labels,
            },
          },
          attachedDisks,
          networkInterfaces: [{ subnetwork: args.subnetwork, networkIp: address.address }],
          serviceAccount: { email: settings.serviceAccountEmail, scopes: [...HOST_SCOPES] },
          shieldedInstanceConfig: { ...SHIELDED_VM },
          scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
          metadata: hostMetadata(settings.userData, {
            ...settings.extraMetadata,
            ...(restoreFrom ? { [SNAPSHOT_POINT_KEY]: restoreFrom.recoveryPoint } : {}),
          }),
          tags: [...settings.networkTags],
          labels,
          deletionProtection: guarded,
          allowStoppingForUpdate: true,
        },
        {
          ...child,
          dependsOn: dependsOnAll(args.dependsOn, settings.bootsAfter),
          protect: guarded,
          // The recovery point is the disk's, fixed when both were created: a later lookup that
          // finds a newer snapshot changes neither.
          ignoreChanges: [
            ...FIXED_HOST_IGNORED_CHANGES,
            ...(restoreFrom ? [`metadata["${SNAPSHOT_POINT_KEY}"]`] : []),
          ],
          // The name and address are fixed, so a replacement has to free them first.
          deleteBeforeReplace: true,
        },
      );
    }

    this.registerOutputs({
      instances: Object.keys(this.instances),
      dataDisks: Object.keys(this.dataDisks),
    });
  }
}
