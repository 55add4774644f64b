// Variants of a region spec with more hosts, for the scaling benchmark. The spec stays valid:
// counts stop at the schema's maxima (Sakura's nginx at what the front's ACME key holds), and a
// role placed on dedicated servers gets one listed server per host, with generated names and
// addresses in the block kept for metal.

/** The roles whose counts are multiplied (mysql keeps its primary and replica; util is one per Consul server). */
export const SCALED_ROLES = ["nginx", "app", "memcached", "chocon"] as const;

/** The schema's maximum count per role (components/spec/hosts.ts). */
export const MAX_COUNT: Record<(typeof SCALED_ROLES)[number], number> = {
  nginx: 100,
  app: 200,
  memcached: 50,
  chocon: 20,
};

/**
 * Where the nginx hosts order their own certificates (Sakura), the key that writes the challenges
 * lists each host's name in a policy IAM caps: with jp's two public names it holds 36 hosts
 * (components/spec/rules.ts, checkAcmeKeyPolicy).
 */
export const SAKURA_NGINX_MAX = 36;

interface RawHost {
  count?: number;
  placement?: string;
  [key: string]: unknown;
}

interface RawDedicated {
  name: string;
  role: string;
  address: string;
  [key: string]: unknown;
}

interface RawSpec {
  cloud?: string;
  hosts: Record<string, RawHost>;
  sakura?: { dedicated?: RawDedicated[]; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The spec with each scaled role's count multiplied by `factor` (at most the schema's maximum);
 * at x1, the spec unchanged.
 * Dedicated servers of a scaled role are listed anew: name `<role>NNN`, address counting up from
 * `firstAddress` (which must lie in the network's block for metal, e.g. 10.10.200.1 in 10.10.192.0/18).
 */
export function scaledSpec(raw: unknown, factor: number, firstAddress: string): RawSpec {
  const spec = structuredClone(raw) as RawSpec;
  if (factor === 1) return spec;
  const octets = firstAddress.split(".").map(Number);
  const start =
    (octets[0] ?? 0) * 2 ** 24 +
    (octets[1] ?? 0) * 2 ** 16 +
    (octets[2] ?? 0) * 256 +
    (octets[3] ?? 0);
  let next = 0;
  const address = (): string => {
    const value = start + next++;
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
  };
  for (const role of SCALED_ROLES) {
    const host = spec.hosts[role];
    if (!host || host.count === undefined) continue;
    const most = role === "nginx" && spec.cloud === "sakura" ? SAKURA_NGINX_MAX : MAX_COUNT[role];
    host.count = Math.min(host.count * factor, most);
    if (host.placement !== "dedicated" || !spec.sakura) continue;
    const others = (spec.sakura.dedicated ?? []).filter((server) => server.role !== role);
    const width = Math.max(2, String(host.count).length);
    const listed: RawDedicated[] = Array.from({ length: host.count }, (_, index) => ({
      name: `${role}${String(index + 1).padStart(width, "0")}`,
      role,
      address: address(),
    }));
    spec.sakura.dedicated = [...others, ...listed];
  }
  return spec;
}

/** Hosts of the scaled roles, for reports. */
export function scaledHostCount(spec: RawSpec): number {
  return SCALED_ROLES.reduce((sum, role) => sum + (spec.hosts[role]?.count ?? 0), 0);
}
