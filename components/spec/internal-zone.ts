// The records of the region's internal zone (`local.` by default): every fixed host by name, and
// every role by name (one A record per host of the role). Auto-scaled hosts are found through
// Consul (`<role>.service.consul`) instead, since their addresses change. A rebuild also answers
// the names of the lost region's hosts (dr.formerHosts) with their successors' addresses.
import type { HostPlan } from "./layout";
import type { RegionSpec } from "./schema";

export interface InternalRecord {
  /** Name relative to the zone: `mysql-1`, `mysql`. */
  readonly name: string;
  readonly type: "A" | "CNAME";
  /** Addresses (A) or one target name ending in a dot (CNAME). */
  readonly values: readonly string[];
}

export function internalZoneName(spec: RegionSpec): string {
  return spec.dns.internalDomain;
}

export function internalRecords(hosts: readonly HostPlan[]): InternalRecord[] {
  const records: InternalRecord[] = hosts.flatMap((host) =>
    [host.name, ...(host.formerNames ?? [])].map(
      (name): InternalRecord => ({ name, type: "A", values: [host.address] }),
    ),
  );
  const byRole = new Map<string, string[]>();
  for (const host of hosts) byRole.set(host.role, [...(byRole.get(host.role) ?? []), host.address]);
  for (const [role, addresses] of byRole) {
    if (hosts.some((host) => host.name === role)) continue;
    records.push({ name: role, type: "A", values: addresses });
  }
  return records;
}
