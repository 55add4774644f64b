// Network namespaces for the estate: one per host, all on one bridge that lives in a namespace of
// its own, so nothing is added to the machine's own network. Every name starts with `mc-est-` and
// the id of the process that made it, so runs side by side never touch each other's; `sweep`
// removes this run's, `sweepLeftovers` those of runs that ended without cleaning up (processes
// first, found by namespace).
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);
const ESTATE_PREFIX = "mc-est-";
export const NAMESPACE_PREFIX = `${ESTATE_PREFIX}${process.pid}-`;

/** Runs a command and returns its stdout; fails with its stderr. */
export async function sh(command: string, args: readonly string[], timeoutMs = 30_000) {
  try {
    const { stdout } = await exec(command, [...args], {
      timeout: timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")}: ${failure.stderr?.trim() || failure.stdout?.trim() || failure.message}`,
    );
  }
}

export function namespaces(): string[] {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(ESTATE_PREFIX));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the namespaces of estate runs whose process has ended. */
export function sweepLeftovers(): void {
  for (const name of namespaces()) {
    const owner = /^mc-est-(\d+)-/.exec(name)?.[1];
    if (owner === undefined || !isRunning(Number(owner))) sweep(name);
  }
}

/** Kills every process inside the estate's namespaces and deletes them; safe to call any time. */
export function sweep(prefix = NAMESPACE_PREFIX): void {
  for (const name of namespaces().filter((ns) => ns.startsWith(prefix))) {
    const pids = execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" })
      .split("\n")
      .filter((pid) => /^\d+$/.test(pid));
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
    try {
      execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
    } catch {
      // deleted by a concurrent sweep
    }
  }
}

export interface Segment {
  /** The namespace that holds the bridge. */
  readonly switchNs: string;
  /** Adds a namespace with `eth0` on the bridge, its addresses, and on-link routes. */
  attach(ns: string, addresses: readonly string[], onLink: readonly string[]): Promise<void>;
}

export async function createSegment(prefix: string): Promise<Segment> {
  const switchNs = `${prefix}sw`;
  await sh("ip", ["netns", "add", switchNs]);
  const inSwitch = (...args: string[]) => sh("ip", ["-n", switchNs, ...args]);
  await inSwitch("link", "set", "lo", "up");
  await inSwitch("link", "add", "br0", "type", "bridge");
  await inSwitch("link", "set", "br0", "up");
  let ports = 0;
  return {
    switchNs,
    async attach(ns, addresses, onLink) {
      const port = `p${ports++}`;
      await sh("ip", ["netns", "add", ns]);
      await sh("ip", [
        "-n",
        switchNs,
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        ns,
      ]);
      await inSwitch("link", "set", port, "master", "br0");
      await inSwitch("link", "set", port, "up");
      const inNs = (...args: string[]) => sh("ip", ["-n", ns, ...args]);
      await inNs("link", "set", "lo", "up");
      for (const address of addresses) await inNs("addr", "add", address, "dev", "eth0");
      await inNs("link", "set", "eth0", "up");
      for (const cidr of onLink) await inNs("route", "add", cidr, "dev", "eth0");
    },
  };
}
