// Sakura Cloud servers have the shared segment on their first NIC (public address, given by the
// platform) and the region's switch on the second. The second NIC's static address is per host,
// so it is added to the role's cloud-init document here, as a netplan file. Pure.
import { parse, stringify } from "yaml";

export interface PrivateInterface {
  /** The NIC's name in Ubuntu on Sakura Cloud's virtio devices. */
  readonly device: string;
  readonly address: string;
  readonly prefixLength: number;
}

export function withPrivateInterface(cloudInit: string, nic: PrivateInterface): string {
  const document = (parse(cloudInit) ?? {}) as Record<string, unknown>;
  const writeFiles = Array.isArray(document.write_files) ? document.write_files : [];
  const runcmd = Array.isArray(document.runcmd) ? document.runcmd : [];
  const netplan = stringify({
    network: {
      version: 2,
      ethernets: {
        [nic.device]: { dhcp4: false, addresses: [`${nic.address}/${nic.prefixLength}`] },
      },
    },
  });
  const result = {
    ...document,
    // write_files runs before runcmd; applying first lets the host layer's steps use the address.
    runcmd: [["netplan", "apply"], ...runcmd],
    write_files: [
      {
        path: "/etc/netplan/60-multicloud-private.yaml",
        permissions: "0600",
        owner: "root:root",
        content: netplan,
      },
      ...writeFiles,
    ],
  };
  return `#cloud-config\n${stringify(result)}`;
}
