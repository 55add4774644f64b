// The rendered unbound.conf running as on a host: inside a network namespace where every upstream
// address the file names exists (on the namespace's loopback) and is played by a DNS stand-in of
// its own, which knows only the names that upstream is meant to answer. The file keeps its port 53
// and every forward-addr; only what ties it to this machine moves into a scratch directory.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_TRUST_ANCHOR_PATH, UNBOUND_CONTROL_SOCKET } from "../../components/host/unbound";
import { Namespace, NamespacedStandIn } from "./netns";
import { scratchDir } from "./support";

/** Forward zones of a rendered unbound.conf: zone (`consul.`, `.`) -> its `forward-addr` values. */
export function forwardZones(conf: string): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const block of conf.split(/^forward-zone:$/m).slice(1)) {
    const name = /^ {4}name: "([^"]+)"$/m.exec(block)?.[1];
    assert.ok(name, `a forward-zone without a name: ${block}`);
    zones.set(
      name,
      [...block.matchAll(/^ {4}forward-addr: (\S+)$/gm)].map((m) => m[1] ?? ""),
    );
  }
  return zones;
}

/** `address@port` of a forward-addr (port 53 when the file names none). */
function endpoint(forwardAddr: string): { address: string; port: number } {
  const [address = "", port = "53"] = forwardAddr.split("@");
  return { address, port: Number(port) };
}

/**
 * The test-only changes to the rendered file, and nothing else: the trust anchor becomes a copy of
 * the packaged root key (as the package's unit makes it) and the control socket a scratch path;
 * unbound runs in the foreground from the scratch directory, as the invoking user.
 */
export function forNamespace(conf: string, dir: string): string {
  const rootKey = join(dir, "root.key");
  writeFileSync(rootKey, readFileSync("/usr/share/dns/root.key", "utf8"));
  const moved = conf
    .replace(`"${ROOT_TRUST_ANCHOR_PATH}"`, `"${rootKey}"`)
    .replace(
      `control-interface: ${UNBOUND_CONTROL_SOCKET}`,
      `control-interface: ${dir}/unbound.ctl`,
    );
  const runtime = [
    `    directory: "${dir}"`,
    `    pidfile: "${join(dir, "unbound.pid")}"`,
    '    username: ""',
    '    chroot: ""',
    "    use-syslog: no",
  ];
  const result = moved.replace(/^server:$/m, `server:\n${runtime.join("\n")}`);
  // Port, interface, forward-addr and every other line are the rendered ones.
  const before = new Set(conf.split("\n"));
  const after = new Set(result.split("\n"));
  const key = (line: string) => line.trim().split(":")[0];
  assert.deepEqual(
    [...before].filter((line) => !after.has(line)).map(key),
    ["auto-trust-anchor-file", "control-interface"].filter((name) => conf.includes(`${name}:`)),
  );
  assert.deepEqual([...after].filter((line) => !before.has(line)).map(key), [
    "directory",
    "pidfile",
    "username",
    "chroot",
    "use-syslog",
    ...["auto-trust-anchor-file", "control-interface"].filter((name) => conf.includes(`${name}:`)),
  ]);
  return result;
}

/** How long unbound may take to answer its first query after it is started. */
const UNBOUND_START_MS = 60_000;
/**
 * How long dig waits for unbound's answer by default: unbound answers these names from its cache or
 * from a stand-in on the same loopback within milliseconds, but a loaded machine can hold either
 * process off the CPU for a second or more, and a late answer is still the answer.
 */
const DIG_WAIT_S = 10;

export interface Answer {
  readonly status: string;
  readonly addresses: string[];
  readonly cname: string[];
  readonly ptr: string[];
}

/** What each upstream knows: zone (as forward-zone names it) -> name -> addresses. */
export type UpstreamData = Record<string, Record<string, string[]>>;

export class LiveResolver {
  private constructor(
    readonly namespace: Namespace,
    /** One stand-in per distinct forward-addr, keyed by that forward-addr. */
    readonly upstreams: Map<string, NamespacedStandIn>,
    /** forward-addr values of each forward zone. */
    readonly zones: Map<string, string[]>,
    readonly dir: string,
  ) {}

  /**
   * Starts the stand-ins (each answering the names of the zones it is forwarded) and unbound with
   * `conf`, in a namespace of its own. `hostAddresses` are put on the namespace too (a host has its
   * own address; glibc asks DNS only when some non-loopback address exists).
   */
  static async start(
    label: string,
    conf: string,
    data: UpstreamData,
    options: { ttl: number; hostAddresses?: readonly string[] },
  ): Promise<LiveResolver> {
    const zones = forwardZones(conf);
    const forwardAddrs = [...new Set([...zones.values()].flat())];
    const namespace = Namespace.create(label, [
      ...forwardAddrs.map((forwardAddr) => endpoint(forwardAddr).address),
      ...(options.hostAddresses ?? []),
    ]);
    try {
      const upstreams = new Map<string, NamespacedStandIn>();
      for (const forwardAddr of forwardAddrs) {
        const records: Record<string, string[]> = {};
        for (const [zone, addrs] of zones)
          if (addrs.includes(forwardAddr)) Object.assign(records, data[zone] ?? {});
        const { address, port } = endpoint(forwardAddr);
        upstreams.set(
          forwardAddr,
          await NamespacedStandIn.start(namespace, forwardAddr, {
            address,
            port,
            ttl: options.ttl,
            records,
          }),
        );
      }
      const dir = scratchDir(`unbound-${label}`);
      const path = join(dir, "unbound.conf");
      writeFileSync(path, forNamespace(conf, dir));
      const resolver = new LiveResolver(namespace, upstreams, zones, dir);
      await resolver.startUnbound(path);
      return resolver;
    } catch (error) {
      await namespace.destroy();
      throw error;
    }
  }

  private async startUnbound(path: string): Promise<void> {
    const unbound = this.namespace.spawn("unbound", ["-d", "-c", path]);
    let log = "";
    unbound.stderr?.on("data", (chunk) => {
      log += String(chunk);
    });
    // Until it answers, however long a loaded machine takes to start it (a deadline, not a count).
    const deadline = Date.now() + UNBOUND_START_MS;
    while (Date.now() < deadline) {
      if (unbound.exitCode !== null) throw new Error(`unbound exited: ${log}`);
      if ((await this.dig("localhost", { time: 1 })).status === "NOERROR") return;
      await sleep(100);
    }
    throw new Error(`unbound did not answer within ${UNBOUND_START_MS} ms: ${log}`);
  }

  /**
   * One query to unbound on 127.0.0.1:53 inside the namespace. `cd` sets checking disabled: the
   * answer is not validated, so a name's path to its upstream does not depend on the root's keys
   * (no stand-in can sign for the root).
   */
  async dig(
    name: string,
    options: { type?: string; time?: number; tries?: number; cd?: boolean } = {},
  ) {
    const args = [
      "@127.0.0.1",
      ...(options.cd ? ["+cd"] : []),
      `+time=${options.time ?? DIG_WAIT_S}`,
      `+tries=${options.tries ?? 1}`,
      "+noall",
      "+comments",
      "+answer",
      ...(options.type === "PTR" ? ["-x", name] : [name, options.type ?? "A"]),
    ];
    const { stdout } = await this.namespace.exec("dig", args);
    return parseDig(stdout);
  }

  /** The stand-ins that received a query for `name` (each reports what it received first). */
  async askedBy(name: string): Promise<string[]> {
    await Promise.all([...this.upstreams.values()].map((standIn) => standIn.sync()));
    return [...this.upstreams].filter(([, standIn]) => standIn.asked(name)).map(([key]) => key);
  }

  /**
   * Waits until unbound has no question in flight (`unbound-control dump_requestlist` lists none),
   * so that nothing it sent before now can still time out and mark an upstream down afresh.
   */
  async settled(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let listed = "";
    while (Date.now() < deadline) {
      const result = await this.namespace.exec("unbound-control", [
        "-c",
        join(this.dir, "unbound.conf"),
        "dump_requestlist",
      ]);
      assert.equal(result.status, 0, `unbound-control: ${result.stderr}`);
      // A header per thread ("thread #0", "#   type cl name ..."), then one line per question.
      listed = result.stdout
        .split("\n")
        .filter((line) => line.trim().length > 0 && !/^(thread )?#/.test(line))
        .join("\n");
      if (listed === "") return;
      await sleep(100);
    }
    throw new Error(`unbound still has questions in flight after ${deadlineMs} ms:\n${listed}`);
  }

  /** Runs `command` in the namespace with `resolvConf` as /etc/resolv.conf (a private mount). */
  withResolvConf(resolvConf: string, command: string) {
    const path = join(this.dir, "resolv.conf");
    writeFileSync(path, resolvConf);
    return this.namespace.exec("unshare", [
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mount --bind ${path} /etc/resolv.conf && ${command}`,
    ]);
  }

  async stop(): Promise<void> {
    await this.namespace.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function parseDig(stdout: string): Answer {
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? "NO-ANSWER";
  const records = stdout.split("\n").filter((line) => line.length > 0 && !line.startsWith(";"));
  const field = (type: string) =>
    records
      .map((line) => line.split(/\s+/))
      .filter((parts) => parts[3] === type)
      .map((parts) => parts[4] ?? "");
  return { status, addresses: field("A").sort(), cname: field("CNAME"), ptr: field("PTR") };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
