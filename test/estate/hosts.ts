// A host of the estate: a network namespace at its planned address, and a mount and UTS namespace
// (held by one sleeping process) whose /etc, /usr/local, /opt, /var/lib and /var/log are overlays of
// the host's own files over the machine's, and whose /run is its own: every rendered file lies at
// its path on the host, and what the host writes stays in its own upper layer.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { hostAddress } from "../../components/spec/cidr";
import type { Role } from "../../components/spec/hosts";
import { roles } from "../../components/spec/hosts";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import type { RegionSpec } from "../../components/spec/schema";
import type { PackageFile } from "./adapter";
import { sh } from "./netns";

const OVERLAID = ["/etc", "/usr/local", "/opt", "/var/lib", "/var/log"];
/** The environment a boot's commands run with (cloud-init's, in effect). */
const BOOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface EstateHost {
  readonly name: string;
  readonly role: Role;
  readonly address: string;
  readonly ns: string;
  /** The process holding the host's namespaces; commands enter them through it. */
  holder?: ChildProcess;
}

/** Three util hosts, two app hosts (the second boots later), one host of each other role. */
export function estateHosts(spec: RegionSpec, wanted: readonly Role[], prefix: string) {
  const planned = fixedHosts(spec);
  const layout = networkLayout(spec);
  const hosts: EstateHost[] = [];
  for (const role of wanted) {
    const count = role === "util" ? spec.consul.servers : role === "app" ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const fixed = planned.filter((host) => host.role === role)[i];
      // Hosts of auto-scaled groups (nginx, app on AWS and GCP) take an address in their role's
      // range of the first private subnet, as the address plan lays the ranges out.
      const block = layout.private[0] ?? layout.hosts;
      const name = fixed?.name ?? `${role}-${i + 1}`;
      const address = fixed?.address ?? hostAddress(block, 16 + roles.indexOf(role) * 256 + i);
      hosts.push({ name, role, address, ns: `${prefix}${name}` });
    }
  }
  return hosts;
}

/** A file as it lies on the host: from its cloud-init document, a package, or the site's push. */
export function layFiles(lower: string, files: readonly PackageFile[]): void {
  for (const file of files) {
    const target = join(lower, file.path);
    mkdirSync(dirname(target), { recursive: true });
    if (file.kind === "directory") mkdirSync(target, { recursive: true });
    else if (file.kind === "symlink") symlinkSync(file.target, target);
    else writeFileSync(target, file.content);
    if (file.kind !== "symlink") {
      chmodSync(target, file.mode);
      if (file.owner !== undefined) chownSync(target, file.owner, file.owner);
    }
  }
}

/** Mounts the host's layers inside fresh namespaces and keeps them until the holder is killed. */
export async function holdNamespaces(host: EstateHost, base: string): Promise<ChildProcess> {
  const mounts = OVERLAID.map((dir) => {
    for (const part of ["lower", "upper", "work"])
      mkdirSync(join(base, part, dir), { recursive: true });
    const layers = `lowerdir=${join(base, "lower", dir)}:${dir},upperdir=${join(base, "upper", dir)},workdir=${join(base, "work", dir)}`;
    return `mount -t overlay overlay -o ${layers} ${dir}`;
  });
  const script = [
    "set -e",
    ...mounts,
    "mount -t tmpfs tmpfs /run",
    `hostname ${host.name}`,
    "echo ready",
    "exec sleep infinity",
  ].join("; ");
  const holder = spawn(
    "ip",
    ["netns", "exec", host.ns, "unshare", "--mount", "--uts", "--propagation", "private"].concat([
      "bash",
      "-c",
      script,
    ]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let text = "";
    holder.stdout?.on("data", (chunk) => {
      text += String(chunk);
      if (text.includes("ready")) resolve();
    });
    holder.stderr?.on("data", (chunk) => {
      text += String(chunk);
    });
    holder.once("exit", (code) =>
      reject(new Error(`${host.name}: namespaces not held (${code}): ${text}`)),
    );
  });
  host.holder = holder;
  return holder;
}

/** Runs a shell line on a host as root, with a boot's environment; resolves with its stdout. */
export function runOn(
  host: EstateHost,
  line: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<string> {
  const pid = host.holder?.pid;
  if (!pid) throw new Error(`${host.name} is not running`);
  const vars = Object.entries({ PATH: BOOT_PATH, HOME: "/root", LANG: "C.UTF-8", ...env });
  const enter = ["-t", String(pid), "-m", "-n", "-u", "--", "env", "-i"];
  return sh(
    "nsenter",
    [...enter, ...vars.map(([key, value]) => `${key}=${value}`), "bash", "-c", line],
    timeoutMs,
  );
}
