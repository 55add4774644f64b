// What a host needs, in delivery-neutral words: packages, files and ordered commands. Both the
// cloud-init document and the SSH bootstrap are rendered from one `HostPlan`, so they cannot drift.
import type { Role } from "../spec/hosts";

export type FileMode = "0644" | "0640" | "0600" | "0755" | "0750";

export interface HostFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** Full text; always ends with a newline. */
  readonly content: string;
  readonly mode: FileMode;
  /** `user:group`; rendered files are root-owned (daemons only read them). */
  readonly owner: "root:root";
  /** Services restarted when this file changes (systemd unit names without `.service`). */
  readonly units: readonly string[];
}

export interface HostPlan {
  readonly role: Role;
  readonly region: string;
  /** Ubuntu packages installed before the files are laid down. */
  readonly packages: readonly string[];
  readonly files: readonly HostFile[];
  /** Services whose files this plan lays down: marked as changed on a first boot. */
  readonly units: readonly string[];
  /** Shell command lines, run in order after the files, each safe to run again. */
  readonly commands: readonly string[];
}

export function hostFile(
  path: string,
  content: string,
  options: { mode?: FileMode; units?: readonly string[] } = {},
): HostFile {
  if (!path.startsWith("/")) throw new Error(`host file path ${path} is not absolute`);
  return {
    path,
    content: content.endsWith("\n") ? content : `${content}\n`,
    mode: options.mode ?? "0644",
    owner: "root:root",
    units: options.units ?? [],
  };
}

/** Joins lines into file text with a final newline. */
export function lines(...parts: readonly (string | readonly string[])[]): string {
  return `${parts.flat().join("\n")}\n`;
}

/** Quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
