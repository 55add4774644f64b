// Settings of the cluster derived from the spec: who reaches the control plane, when GKE may
// do maintenance, which addresses are fixed. Pure.
import { hostAddress, isPrivate, parseCidr } from "../spec/cidr";
import type { GkeSpec } from "../spec/gke";
import { CHOCON } from "./contract";

export interface ControlPlaneAccess {
  /** True when only the private endpoint answers (every authorized network is private). */
  readonly privateEndpointOnly: boolean;
  readonly cidrBlocks: { cidrBlock: string; displayName: string }[];
}

/**
 * The control plane answers only the spec's authorized networks. When all of them are private
 * ranges (reached over VPN or interconnect), or there are none, the public endpoint is turned
 * off altogether.
 */
export function controlPlaneAccess(gke: Pick<GkeSpec, "authorizedNetworks">): ControlPlaneAccess {
  const privateEndpointOnly = gke.authorizedNetworks.every((network) => {
    const parsed = parseCidr(network.cidr);
    return parsed !== undefined && isPrivate(parsed);
  });
  return {
    privateEndpointOnly,
    cidrBlocks: gke.authorizedNetworks.map((network) => ({
      cidrBlock: network.cidr,
      displayName: network.name,
    })),
  };
}

export interface RecurringWindow {
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string;
}

/** A past Monday: the windows recur from here; only its time of day matters. */
const ANCHOR_DATE = Date.UTC(2024, 0, 1);

/**
 * GKE's weekly maintenance window. GKE refuses windows that leave less than 48 hours in 32 days;
 * every weekday occurs at least 4 times in 32 days, so `hours * days.length` must reach 12.
 */
export function maintenanceWindow(maintenance: GkeSpec["maintenance"]): RecurringWindow {
  const days = [...new Set(maintenance.days)];
  if (maintenance.hours * days.length * 4 < 48) {
    throw new Error(
      `gke.maintenance: ${maintenance.hours} h on ${days.join(",")} leaves GKE less than the 48 hours ` +
        "in 32 days it requires; add hours or days",
    );
  }
  const [hours, minutes] = maintenance.startUtc.split(":").map(Number);
  const start = ANCHOR_DATE + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
  const end = start + maintenance.hours * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
  return {
    startTime: iso(start),
    endTime: iso(end),
    recurrence: `FREQ=WEEKLY;BYDAY=${days.join(",")}`,
  };
}

/** The ClusterIP chocon's Service is pinned to, so DNS can point the ccnproxy suffixes at it. */
export function choconClusterIp(gke: Pick<GkeSpec, "network">): string {
  const services = parseCidr(gke.network.services);
  if (!services) throw new Error(`gke.network.services ${gke.network.services} does not parse`);
  return hostAddress(services, CHOCON.clusterIpHost);
}

/** The Workload Identity pool of a project. */
export function workloadPool(project: string): string {
  return `${project}.svc.id.goog`;
}

/** The cluster's own ranges, which chocon must never be used to reach. */
export function clusterRanges(gke: Pick<GkeSpec, "network">): string[] {
  return [gke.network.nodes, gke.network.pods, gke.network.services, gke.network.controlPlane];
}
