// Fixed addresses on AWS. layout.ts gives every fixed host an address at offset 16 + 256 * role in
// its zone's private block; EC2 would hand those same addresses to auto-scaled instances and
// endpoints unless they are reserved. So each fixed role's /24 is reserved in every private subnet
// (an "explicit" subnet CIDR reservation: only addresses asked for by name are taken from it).
// With a DNS round-robin front, nginx hosts live in the public subnets, in the second /24 of each
// public block, which is reserved the same way. Pure.
import { type Cidr, formatCidr, hostAddress, subnet } from "../spec/cidr";
import { type Role, roles } from "../spec/hosts";
import { fixedRoles, type HostPlan, hostCount, type NetworkLayout } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";

export interface ReservedRange {
  readonly tier: "private" | "public";
  readonly zoneIndex: number;
  readonly role: Role;
  readonly cidr: string;
}

/** The /24 that a role's fixed hosts take in a /20 zone block. */
function roleBlock(block: Cidr, role: Role): Cidr {
  return subnet(block, 24, roles.indexOf(role));
}

/** Offset of the round-robin nginx hosts inside the public block: the second /24, after .16. */
const FRONT_BLOCK_INDEX = 1;
const FRONT_FIRST_OFFSET = FRONT_BLOCK_INDEX * 256 + 16;

/** The nginx hosts of a DNS round-robin front, with fixed public-subnet addresses. */
export function roundRobinFrontHosts(spec: AwsRegionSpec, layout: NetworkLayout): HostPlan[] {
  if (spec.front.mode !== "dnsRoundRobin") return [];
  const hosts: HostPlan[] = [];
  for (let i = 0; i < spec.hosts.nginx.count; i++) {
    const zoneIndex = i % layout.zones.length;
    const block = layout.public[zoneIndex];
    if (!block) throw new Error(`no public block for zone ${zoneIndex}`);
    hosts.push({
      name: `nginx-${i + 1}`,
      role: "nginx",
      ordinal: i + 1,
      zone: layout.zones[zoneIndex] ?? "",
      zoneIndex,
      address: hostAddress(block, FRONT_FIRST_OFFSET + Math.floor(i / layout.zones.length)),
      consulServer: false,
      placement: "cloud",
    });
  }
  return hosts;
}

/** Every range to reserve: the fixed roles' /24 per private subnet, the front's per public one. */
export function reservedRanges(spec: AwsRegionSpec, layout: NetworkLayout): ReservedRange[] {
  const ranges: ReservedRange[] = [];
  layout.private.forEach((block, zoneIndex) => {
    for (const role of fixedRoles) {
      if (hostCount(spec, role) === 0) continue;
      ranges.push({ tier: "private", zoneIndex, role, cidr: formatCidr(roleBlock(block, role)) });
    }
  });
  if (spec.front.mode === "dnsRoundRobin") {
    layout.public.forEach((block, zoneIndex) => {
      ranges.push({
        tier: "public",
        zoneIndex,
        role: "nginx",
        cidr: formatCidr(subnet(block, 24, FRONT_BLOCK_INDEX)),
      });
    });
  }
  return ranges;
}

/** The VPC's own resolver: the network address plus two. */
export function vpcResolverAddress(layout: NetworkLayout): string {
  return hostAddress(layout.network, 2);
}
