// The address plan of a region, the same on every cloud: which block each tier and zone gets, and
// the fixed address and name of every host that is not in an auto-scaled group. Pure.
import { type Cidr, formatCidr, hostAddress, parseCidr, subnet } from "./cidr";
import type { Role } from "./hosts";
import { roles } from "./hosts";
import type { RegionSpec } from "./schema";

/**
 * The /16 network is cut into 16 /20 blocks: public per zone 0-3, private 4-7, data 8-11, 12-15
 * spare. In a private block each role owns 256 addresses from offset 16 + 256 * role.
 */
const BLOCKS = 16;
/** Zones per tier that the plan has blocks for: a region spreads over at most this many. */
export const MAX_ZONES = 4;

export interface NetworkLayout {
  readonly network: Cidr;
  /** Zone names (AWS, GCP) or the single Sakura zone. */
  readonly zones: readonly string[];
  /** Per zone: subnets for load balancers and NAT (clouds that have them). */
  readonly public: readonly Cidr[];
  /** Per zone: subnets for hosts. */
  readonly private: readonly Cidr[];
  /** Per zone: subnets for managed databases. */
  readonly data: readonly Cidr[];
  /** One block holding every private subnet, for clouds with regional subnets or one switch. */
  readonly hosts: Cidr;
}

export function zonesOf(spec: RegionSpec, defaultAwsZones?: readonly string[]): readonly string[] {
  switch (spec.cloud) {
    case "aws":
      return (
        spec.aws.zones ??
        defaultAwsZones ?? [`${spec.aws.region}a`, `${spec.aws.region}b`, `${spec.aws.region}c`]
      );
    case "gcp":
      return spec.gcp.zones;
    case "sakura":
      return [spec.sakura.zone];
  }
}

export function networkLayout(
  spec: RegionSpec,
  zones: readonly string[] = zonesOf(spec),
): NetworkLayout {
  const network = parseCidr(spec.network.cidr);
  if (!network)
    throw new Error(`network.cidr ${spec.network.cidr} was validated but does not parse`);
  const blockPrefix = network.prefix + Math.log2(BLOCKS);
  const block = (index: number) => subnet(network, blockPrefix, index);
  if (zones.length > MAX_ZONES) {
    // The schema refuses more; tiers would overlap (public zone 4 is private zone 0).
    throw new RangeError(`${zones.length} zones: the address plan has room for ${MAX_ZONES}`);
  }
  const perZone = (first: number) => zones.map((_, z) => block(first + z));
  return {
    network,
    zones,
    public: perZone(0),
    private: perZone(MAX_ZONES),
    data: perZone(2 * MAX_ZONES),
    hosts: subnet(network, network.prefix + 2, 1),
  };
}

/** Roles whose hosts keep a name and address of their own on clouds with auto-scaling. */
export const fixedRoles: readonly Role[] = ["mysql", "memcached", "util", "chocon"];
/** Roles that clouds with auto-scaling run in groups; elsewhere they are fixed hosts too. */
export const scaledRoles: readonly Role[] = ["nginx", "app"];

export interface HostPlan {
  /** Host name, unique in the region: `mysql-1`, or a dedicated server's own name. */
  readonly name: string;
  readonly role: Role;
  /** 1-based position inside its role. */
  readonly ordinal: number;
  readonly zone: string;
  readonly zoneIndex: number;
  readonly address: string;
  /** A Consul server (the util hosts). */
  readonly consulServer: boolean;
  readonly placement: "cloud" | "dedicated";
  /** Set for dedicated servers: how SSH reaches them. */
  readonly ssh?: { readonly host: string; readonly user: string; readonly port: number };
  /** Names of the lost region's hosts this one took the place of (dr.formerHosts). */
  readonly formerNames?: readonly string[];
}

export function hostCount(spec: RegionSpec, role: Role): number {
  return role === "util" ? spec.consul.servers : spec.hosts[role].count;
}

/**
 * Every host with a fixed identity. On AWS and GCP that is the fixed roles; on Sakura it is every
 * role. Host i of a role goes to zone i mod zones, at an offset that no other role uses, so the
 * plan is stable when counts grow.
 */
export function fixedHosts(
  spec: RegionSpec,
  layout: NetworkLayout = networkLayout(spec),
): HostPlan[] {
  const wanted = spec.cloud === "sakura" ? roles : fixedRoles;
  const dedicated = spec.cloud === "sakura" ? spec.sakura.dedicated : [];
  const formerNames = (host: string): { formerNames?: string[] } => {
    const names = Object.entries(spec.dr.formerHosts ?? {})
      .filter(([, successor]) => successor === host)
      .map(([former]) => former);
    return names.length > 0 ? { formerNames: names } : {};
  };
  const hosts: HostPlan[] = [];
  for (const role of wanted) {
    const count = hostCount(spec, role);
    const servers = dedicated.filter((server) => server.role === role);
    for (let i = 0; i < count; i++) {
      const zoneIndex = i % layout.zones.length;
      const zone = layout.zones[zoneIndex] ?? layout.zones[0] ?? "";
      const server = spec.hosts[role].placement === "dedicated" ? servers[i] : undefined;
      const base = {
        role,
        ordinal: i + 1,
        zone,
        zoneIndex,
        consulServer: role === "util",
      };
      if (server) {
        hosts.push({
          ...base,
          name: server.name,
          address: server.address,
          placement: "dedicated",
          ssh: {
            host: server.sshHost ?? server.address,
            user: server.sshUser,
            port: server.sshPort,
          },
        });
      } else {
        const privateBlock = layout.private[zoneIndex] ?? layout.hosts;
        const offset = 16 + roles.indexOf(role) * 256 + Math.floor(i / layout.zones.length);
        hosts.push({
          ...base,
          name: `${role}-${i + 1}`,
          address: hostAddress(privateBlock, offset),
          placement: "cloud",
          ...formerNames(`${role}-${i + 1}`),
        });
      }
    }
  }
  return hosts;
}

export function describeLayout(layout: NetworkLayout): Record<string, string[] | string> {
  return {
    network: formatCidr(layout.network),
    public: layout.public.map(formatCidr),
    private: layout.private.map(formatCidr),
    data: layout.data.map(formatCidr),
    hosts: formatCidr(layout.hosts),
  };
}
