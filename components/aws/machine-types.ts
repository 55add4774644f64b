// From the spec's cloud-neutral sizes to EC2 instance types and RDS instance classes. A size means
// the same number of vCPUs on every cloud: small 2 (burstable), medium 2, large 4, xlarge 8,
// 2xlarge 16. Roles that are bound by memory get the memory-optimised family at the same vCPUs.
import type { RdsDatabaseSpec } from "../spec/clouds";
import type { Role } from "../spec/hosts";
import type { Size } from "../spec/primitives";

const generalPurpose: Record<Size, string> = {
  small: "t3.medium",
  medium: "m7i.large",
  large: "m7i.xlarge",
  xlarge: "m7i.2xlarge",
  "2xlarge": "m7i.4xlarge",
};

/** r7i has no size below large; small and medium both get its 2-vCPU type. */
const memoryOptimised: Record<Size, string> = {
  small: "r7i.large",
  medium: "r7i.large",
  large: "r7i.xlarge",
  xlarge: "r7i.2xlarge",
  "2xlarge": "r7i.4xlarge",
};

/** Graviton classes: cheaper than x86 for the same work, and RDS hides the architecture. */
const rdsClasses: Record<Size, string> = {
  small: "db.t4g.medium",
  medium: "db.m7g.large",
  large: "db.m7g.xlarge",
  xlarge: "db.m7g.2xlarge",
  "2xlarge": "db.m7g.4xlarge",
};

const memoryBound: ReadonlySet<Role> = new Set<Role>(["mysql", "memcached"]);

/** The instance type of a role's hosts: the spec's `machineType` when set, else the size's type. */
export function instanceTypeFor(role: Role, host: { size: Size; machineType?: string }): string {
  if (host.machineType) return host.machineType;
  return (memoryBound.has(role) ? memoryOptimised : generalPurpose)[host.size];
}

export function rdsInstanceClassFor(db: Pick<RdsDatabaseSpec, "size" | "instanceClass">): string {
  return db.instanceClass ?? rdsClasses[db.size];
}

export type Architecture = "x86_64" | "arm64";

/**
 * The CPU architecture of an instance type, so that a `machineType` override to Graviton
 * (m7g, c8g, t4g, r7gd ...) gets an arm64 image: the family's generation digit is followed by `g`.
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0] ?? "";
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}
