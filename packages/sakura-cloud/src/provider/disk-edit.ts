// The "disk edit" of a server's boot disk: settings Sakura writes into the OS of a disk that is
// connected to the server, before its first boot (Sakura's Terraform provider has it as the
// server's `disk_edit_parameter`, tied to the server for that reason).
import type { DiskEditRequest } from "../api/types";
import { type Failures, isUnknown } from "./check";
import { wire } from "./wire";

/** Settings written into the boot disk's OS by the API's "disk edit". */
export interface DiskEditInputs {
  hostName?: string;
  sshPublicKeys?: string[];
  disablePasswordAuth: boolean;
  ipAddress?: string;
  networkMaskLen?: number;
  defaultRoute?: string;
  startupScripts?: Array<{ noteId: string; variables?: Record<string, string> }>;
  changePartitionUuid?: boolean;
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Validates an edit and fills in its default (password login off). */
export function checkDiskEdit(
  f: Failures,
  at: string,
  edit: Partial<DiskEditInputs>,
): DiskEditInputs {
  f.optionalString(`${at}.hostName`, edit.hostName);
  f.stringList(`${at}.sshPublicKeys`, edit.sshPublicKeys);
  for (const field of ["ipAddress", "defaultRoute"] as const) {
    const value = edit[field];
    if (value !== undefined && !isUnknown(value) && !ipv4.test(value)) {
      f.add(`${at}.${field}`, "must be an IPv4 address");
    }
  }
  if (edit.ipAddress !== undefined && edit.networkMaskLen === undefined) {
    f.add(`${at}.networkMaskLen`, `is required with ${at}.ipAddress`);
  }
  const mask = edit.networkMaskLen;
  if (
    mask !== undefined &&
    !isUnknown(mask) &&
    !(Number.isInteger(mask) && mask >= 8 && mask <= 30)
  ) {
    f.add(`${at}.networkMaskLen`, "must be an integer from 8 to 30");
  }
  for (const [i, script] of (edit.startupScripts ?? []).entries()) {
    f.string(`${at}.startupScripts[${i}].noteId`, script?.noteId);
  }
  return { ...edit, disablePasswordAuth: edit.disablePasswordAuth ?? true };
}

/** The body of PUT disk/:id/config (Background is added where the edit is sent). */
export function toEditRequest(edit: DiskEditInputs): DiskEditRequest {
  return wire({
    HostName: edit.hostName,
    SSHKeys: edit.sshPublicKeys?.map((key) => ({ PublicKey: key })),
    DisablePWAuth: edit.disablePasswordAuth,
    UserIPAddress: edit.ipAddress,
    UserSubnet:
      edit.networkMaskLen === undefined
        ? undefined
        : { NetworkMaskLen: edit.networkMaskLen, DefaultRoute: edit.defaultRoute },
    Notes: edit.startupScripts?.map((s) => ({ ID: s.noteId, Variables: s.variables })),
    ChangePartitionUUID: edit.changePartitionUuid,
  });
}
