// The machine type of a role on GCE: the spec's cloud-neutral size, or the role's own machineType.
import type { HostsSpec, Role } from "../spec/hosts";
import type { Size } from "../spec/primitives";

/**
 * Sizes follow the same steps as on the other clouds: small is a burstable two-vCPU machine,
 * medium and up are N2 machines with 4 GiB per vCPU and dedicated cores.
 */
export const gcpMachineTypes: Readonly<Record<Size, string>> = {
  small: "e2-medium",
  medium: "n2-standard-2",
  large: "n2-standard-4",
  xlarge: "n2-standard-8",
  "2xlarge": "n2-standard-16",
};

export function machineTypeFor(hosts: HostsSpec, role: Role): string {
  const host = hosts[role];
  return host.machineType ?? gcpMachineTypes[host.size];
}
