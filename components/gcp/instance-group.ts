// A stateless role (nginx, app) as a regional managed instance group: hosts from an instance
// template, spread evenly over the zones, replaced when unhealthy, and rolled proactively (surge
// first, never fewer than the target) when the template changes.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import { dependsOnAll } from "../sdk/waits";
import type { Role } from "../spec/hosts";
import {
  BOOT_DISK_TYPE,
  HOST_IMAGE,
  HOST_SCOPES,
  hostMetadata,
  SHIELDED_VM,
} from "./host-settings";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GroupHealthCheck {
  readonly port: number;
  /** HTTP check on this path when set; a TCP connect check otherwise. */
  readonly requestPath?: string;
}

export interface GcpInstanceGroupArgs extends GcpComponentArgs {
  readonly role: Role;
  /** Before the names of the group's instances and templates (rebuildPrefix); empty by default. */
  readonly namePrefix?: string;
  /** The region of the group, e.g. europe-west2. */
  readonly region: string;
  /** Zones the hosts spread over. */
  readonly zones: readonly string[];
  /** How many hosts the group keeps. */
  readonly size: number;
  readonly machineType: string;
  /** Root disk, GiB. */
  readonly diskGb: number;
  /** The subnet the hosts live in (no external addresses). */
  readonly subnetwork: pulumi.Input<string>;
  /** The role's own service account. */
  readonly serviceAccountEmail: pulumi.Input<string>;
  /** Network tags: the role and the Consul auto-join tag. */
  readonly networkTags: readonly string[];
  readonly labels: Record<string, string>;
  /** The role's cloud-init document (no secrets in it). */
  readonly userData?: pulumi.Input<string>;
  /** Named ports that load balancers address, e.g. http -> 80. */
  readonly namedPorts?: readonly { readonly name: string; readonly port: number }[];
  /** What auto-healing probes. */
  readonly healthCheck: GroupHealthCheck;
  /** Seconds a new host has to boot before auto-healing judges it. Defaults to 300. */
  readonly initialDelaySec?: number;
  /** Boot image; defaults to Ubuntu 24.04 LTS. */
  readonly image?: string;
  /**
   * What the hosts read at first boot (their secrets and the grants to read them): the manager,
   * which starts the hosts, waits for it; the template and health check need none of it.
   */
  readonly bootsAfter?: readonly pulumi.Resource[];
}

export class GcpInstanceGroup extends pulumi.ComponentResource {
  readonly template: gcp.compute.InstanceTemplate;
  readonly healthCheck: gcp.compute.HealthCheck;
  readonly manager: gcp.compute.RegionInstanceGroupManager;
  /** The instance group's URL, for a backend service. */
  readonly instanceGroup: pulumi.Output<string>;

  constructor(name: string, args: GcpInstanceGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:InstanceGroup", name, {}, opts);
    const child = childOptions(this, args);
    const labels = { ...args.labels, role: args.role };

    // Templates cannot change in place. A prefix-named template is created before the old one is
    // deleted, the group rolls to it, then the old one goes.
    this.template = new gcp.compute.InstanceTemplate(
      `${name}-template`,
      {
        namePrefix: `${args.namePrefix ?? ""}${args.role}-`,
        description: `${args.role} hosts`,
        machineType: args.machineType,
        region: args.region,
        disks: [
          {
            boot: true,
            autoDelete: true,
            sourceImage: args.image ?? HOST_IMAGE,
            diskSizeGb: args.diskGb,
            diskType: BOOT_DISK_TYPE,
            labels,
          },
        ],
        networkInterfaces: [{ subnetwork: args.subnetwork }],
        serviceAccount: { email: args.serviceAccountEmail, scopes: [...HOST_SCOPES] },
        shieldedInstanceConfig: { ...SHIELDED_VM },
        scheduling: { automaticRestart: true, onHostMaintenance: "MIGRATE" },
        metadata: hostMetadata(args.userData),
        tags: [...args.networkTags],
        labels,
      },
      child,
    );

    this.healthCheck = new gcp.compute.HealthCheck(
      `${name}-autoheal`,
      {
        description: `Auto-healing of the ${args.role} hosts`,
        // Slower to condemn than the load balancer's check: a host leaves the pool quickly but is
        // recreated only after a sustained failure.
        checkIntervalSec: 10,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 6,
        ...(args.healthCheck.requestPath === undefined
          ? { tcpHealthCheck: { port: args.healthCheck.port } }
          : {
              httpHealthCheck: {
                port: args.healthCheck.port,
                requestPath: args.healthCheck.requestPath,
              },
            }),
        logConfig: { enable: true },
      },
      child,
    );

    // A regional group may surge by 0 or by at least one host per zone.
    const surge = args.zones.length;
    this.manager = new gcp.compute.RegionInstanceGroupManager(
      `${name}-group`,
      {
        description: `${args.role} hosts`,
        baseInstanceName: `${args.namePrefix ?? ""}${args.role}`,
        region: args.region,
        distributionPolicyZones: [...args.zones],
        distributionPolicyTargetShape: "EVEN",
        targetSize: args.size,
        versions: [{ name: "primary", instanceTemplate: this.template.selfLink }],
        namedPorts: (args.namedPorts ?? []).map((port) => ({ ...port })),
        autoHealingPolicies: {
          healthCheck: this.healthCheck.id,
          initialDelaySec: args.initialDelaySec ?? 300,
        },
        updatePolicy: {
          type: "PROACTIVE",
          minimalAction: "REPLACE",
          mostDisruptiveAllowedAction: "REPLACE",
          replacementMethod: "SUBSTITUTE",
          instanceRedistributionType: "PROACTIVE",
          maxSurgeFixed: surge,
          maxUnavailableFixed: 0,
          minReadySec: 60,
        },
      },
      { ...child, dependsOn: dependsOnAll(args.dependsOn, args.bootsAfter) },
    );

    this.instanceGroup = this.manager.instanceGroup;
    this.registerOutputs({ instanceGroup: this.instanceGroup });
  }
}
