// Sakura Cloud servers have the shared segment on their first NIC (public address, given by the
// platform) and the region's switch on the second. The second NIC's static address is per host,
// so it is added to the role's cloud-init document here, as a netplan file, with the routes to
// what the region's links reach through a router on the switch. Pure.
import { stringify } from "yaml";
import type { CloudConfig } from "./cloud-config";

/** Where the private NIC's netplan lives on the host. */
export const PRIVATE_NETPLAN_PATH = "/etc/netplan/60-multicloud-private.yaml";

export interface PrivateInterface {
  /** The NIC's name in Ubuntu on Sakura Cloud's virtio devices. */
  readonly device: string;
  readonly address: string;
  readonly prefixLength: number;
  /** Ranges reached through a router on the switch (the links' VPC router), not the default gateway. */
  readonly routes?: readonly { readonly to: string; readonly via: string }[];
}

/** Netplan files written so far, by what they say: the site asks twice for each host's. */
const writtenNetplans = new Map<string, string>();

/** The private NIC's netplan file. */
export function privateNetplan(nic: PrivateInterface): string {
  const key = JSON.stringify([
    nic.device,
    nic.address,
    nic.prefixLength,
    (nic.routes ?? []).map(({ to, via }) => [to, via]),
  ]);
  let text = writtenNetplans.get(key);
  if (text === undefined) {
    text = netplanText(nic);
    writtenNetplans.set(key, text);
    // Past 1024 the oldest goes: a process that reads many regions keeps only recent ones.
    if (writtenNetplans.size > 1024)
      writtenNetplans.delete(writtenNetplans.keys().next().value as string);
  }
  return text;
}

function netplanText(nic: PrivateInterface): string {
  const routes = nic.routes ?? [];
  return stringify({
    network: {
      version: 2,
      ethernets: {
        [nic.device]: {
          dhcp4: false,
          addresses: [`${nic.address}/${nic.prefixLength}`],
          ...(routes.length > 0 ? { routes: routes.map(({ to, via }) => ({ to, via })) } : {}),
        },
      },
    },
  });
}

export function withPrivateInterface(document: CloudConfig, nic: PrivateInterface): CloudConfig {
  const writeFiles = Array.isArray(document.write_files) ? document.write_files : [];
  const runcmd = Array.isArray(document.runcmd) ? document.runcmd : [];
  return {
    ...document,
    // write_files runs before runcmd; applying first lets the host layer's steps use the address.
    runcmd: [["netplan", "apply"], ...runcmd],
    write_files: [
      {
        path: PRIVATE_NETPLAN_PATH,
        permissions: "0600",
        owner: "root:root",
        content: privateNetplan(nic),
      },
      ...writeFiles,
    ],
  };
}

/**
 * The same file written on a running host over SSH, then applied: a host created before a link
 * existed gets the link's routes too (its cloud-init document is not applied again).
 */
export const PRIVATE_NETPLAN_COMMAND = `sudo install -m 600 -o root -g root /dev/stdin ${PRIVATE_NETPLAN_PATH} && sudo netplan apply`;
