// The OS inside a fake Sakura Cloud server, as far as the tests look at it: its host name, the
// keys that log in, whether password login is on, and the address on the shared segment.
import { parse } from "yaml";

export interface FakeGuest {
  /** cloud-init ran the user data: only on a cloud-init image, at the server's first boot. */
  cloudInitRan: boolean;
  hostName?: string;
  sshKeys: string[];
  /** On unless a disk edit or the cloud-config turns it off (the fake assumes the worst). */
  passwordLogin: boolean;
  /** The shared-segment address the OS configured, and how; absent when it got none. */
  address?: string;
  addressFrom?: "disk edit" | "dhcp";
}

/** What a disk edit wrote into a disk's OS. */
export interface DiskContents {
  hostName?: string;
  sshKeys?: string[];
  passwordLogin?: boolean;
  staticAddress?: string;
}

export function newGuest(): FakeGuest {
  return { cloudInitRan: false, sshKeys: [], passwordLogin: true };
}

export function applyDiskContents(guest: FakeGuest, contents: DiskContents): void {
  if (contents.hostName !== undefined) guest.hostName = contents.hostName;
  if (contents.sshKeys !== undefined) guest.sshKeys = [...contents.sshKeys];
  if (contents.passwordLogin !== undefined) guest.passwordLogin = contents.passwordLogin;
}

/** The keys of a cloud-config that the tests look at (cloud-init's own names). */
export function applyCloudConfig(guest: FakeGuest, userData: string): void {
  guest.cloudInitRan = true;
  if (!userData.startsWith("#cloud-config")) return;
  const document = (parse(userData) ?? {}) as Record<string, unknown>;
  if (typeof document.hostname === "string") guest.hostName = document.hostname;
  if (Array.isArray(document.ssh_authorized_keys)) {
    guest.sshKeys = document.ssh_authorized_keys.filter((k): k is string => typeof k === "string");
  }
  if (typeof document.ssh_pwauth === "boolean") guest.passwordLogin = document.ssh_pwauth;
}
