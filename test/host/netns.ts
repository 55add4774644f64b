// Network namespaces that a test creates for itself, so that a daemon runs with the addresses its
// rendered configuration names (the cloud's resolver at 169.254.169.253, Sakura's at
// 210.188.224.10, Consul at 127.0.0.1:8600) without touching this machine's network: each
// address is put on the namespace's own loopback, and no traffic leaves it. Names start with
// `mc-host-<pid>-`; namespaces left by a test process that died are removed by the next one.
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const PREFIX = "mc-host-";
const live = new Set<Namespace>();

// A test that fails or is interrupted still leaves no namespace and no process behind.
process.once("exit", () => {
  for (const namespace of live) namespace.destroySync();
});

export interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class Namespace {
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly name: string) {}

  /** Creates `mc-host-<pid>-<label>` with loopback up and `addresses` (IPv4) on it. */
  static create(label: string, addresses: readonly string[] = []): Namespace {
    removeStale();
    const namespace = new Namespace(`${PREFIX}${process.pid}-${label}`);
    ip(["netns", "add", namespace.name]);
    live.add(namespace);
    ip(["-n", namespace.name, "link", "set", "lo", "up"]);
    for (const address of new Set(addresses)) {
      if (address.startsWith("127.")) continue;
      ip(["-n", namespace.name, "addr", "add", `${address}/32`, "dev", "lo"]);
    }
    return namespace;
  }

  /** Runs a command inside the namespace and waits for it. */
  exec(command: string, args: readonly string[], timeoutMs = 30_000): Promise<Result> {
    return new Promise((resolve) => {
      execFile(
        "ip",
        ["netns", "exec", this.name, command, ...args],
        { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ status: code, stdout, stderr });
        },
      );
    });
  }

  /** Starts a long-running command inside the namespace; it is killed with the namespace. */
  spawn(command: string, args: readonly string[]): ChildProcess {
    const child = spawn("ip", ["netns", "exec", this.name, command, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.children.add(child);
    child.once("exit", () => this.children.delete(child));
    return child;
  }

  /** Kills everything that runs inside (children of children too) and removes the namespace. */
  async destroy(): Promise<void> {
    const exited = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
        }),
    );
    this.killAll();
    await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 5000))]);
    this.destroySync();
  }

  destroySync(): void {
    this.killAll();
    for (const child of this.children) {
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    this.children.clear();
    spawnSync("ip", ["netns", "delete", this.name]);
    live.delete(this);
  }

  /** SIGKILL to every process in the namespace (a daemon's workers included) and to our children. */
  private killAll(): void {
    const pids = spawnSync("ip", ["netns", "pids", this.name], { encoding: "utf8" }).stdout ?? "";
    for (const pid of pids
      .split("\n")
      .map(Number)
      .filter((n) => n > 0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    for (const child of this.children) child.kill("SIGKILL");
  }
}

function ip(args: readonly string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.error) throw new Error(`ip: ${result.error.message} (is iproute2 installed?)`);
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${result.stderr.trim()}`);
}

/** Removes namespaces of this prefix whose test process is gone. */
function removeStale(): void {
  const listed = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout ?? "";
  for (const line of listed.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    spawnSync("ip", ["netns", "delete", name]);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What a stand-in serves: where, with which TTL, and its names (name -> addresses). */
export interface StandInConfig {
  readonly address: string;
  readonly port: number;
  readonly ttl: number;
  readonly records: Record<string, string[]>;
}

/** A DNS stand-in (dns-stand-in-process.ts) running inside a namespace on one address and port. */
export class NamespacedStandIn {
  /** Queries received, as `name type ms` (type as a number; ms since the stand-in last opened). */
  readonly queries: string[] = [];
  /** Index in `queries` of the first query after the last `open`. */
  private sinceOpen = 0;
  private readonly child: ChildProcess;
  private waiting: ((line: string) => void)[] = [];

  private constructor(
    namespace: Namespace,
    readonly label: string,
    private readonly config: StandInConfig,
  ) {
    this.child = namespace.spawn(process.execPath, [
      "--import",
      "tsx",
      join(__dirname, "dns-stand-in-process.ts"),
      JSON.stringify(config),
    ]);
    let errors = "";
    this.child.stderr?.on("data", (chunk) => {
      errors += String(chunk);
    });
    this.child.once("exit", (code) => {
      for (const waiter of this.waiting) waiter(`exited ${code}: ${errors}`);
      this.waiting = [];
    });
    const lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.startsWith("query ")) {
        this.queries.push(line.slice(6));
        return;
      }
      const waiter = this.waiting.shift();
      waiter?.(line);
    });
  }

  /** Starts the stand-in and waits until it listens. */
  static async start(
    namespace: Namespace,
    label: string,
    config: StandInConfig,
  ): Promise<NamespacedStandIn> {
    const standIn = new NamespacedStandIn(namespace, label, config);
    await standIn.expect("ready");
    return standIn;
  }

  /** Queries go unanswered (true), as when every packet is dropped, or are answered again. */
  async mute(silent: boolean): Promise<void> {
    const word = silent ? "mute" : "unmute";
    this.child.stdin?.write(`${word}\n`);
    await this.expect(`${word}d`);
  }

  /** The server goes away: its port is closed, as when the daemon stops. */
  async close(): Promise<void> {
    this.child.stdin?.write("close\n");
    await this.expect("closed");
  }

  /** The server comes back on the same address and port, with these records (else its first ones). */
  async open(records: Record<string, string[]> = this.config.records): Promise<void> {
    this.sinceOpen = this.queries.length;
    this.child.stdin?.write(`open ${JSON.stringify(records)}\n`);
    await this.expect("ready");
  }

  /** Waits until every query the stand-in has received so far is in `queries`. */
  async sync(): Promise<void> {
    this.child.stdin?.write("sync\n");
    await this.expect("synced");
  }

  /**
   * Programs on the host ask the resolver (127.0.0.1:53 in the namespace) about `name`, sending
   * the question again every `resendMs` until an answer comes (with `until`: an answer with exactly
   * those addresses). This process asks, so `sentAt` (the first send) is on the clock of
   * `firstAfterOpen`: ms since the last `open`.
   */
  async ask(
    name: string,
    options: {
      type?: number;
      cd?: boolean;
      resendMs: number;
      deadlineMs: number;
      until?: readonly string[];
    },
  ): Promise<{ status: string; addresses: string[]; sentAt: number; elapsedMs: number }> {
    const request = { name, type: 1, cd: false, ...options };
    this.child.stdin?.write(`ask ${JSON.stringify(request)}\n`);
    const line = await this.expect("answered", options.deadlineMs);
    const [, status = "", addresses = "", sentAt = "", elapsedMs = ""] = line.split(" ");
    return {
      status,
      addresses: addresses === "-" ? [] : addresses.split(","),
      sentAt: Number(sentAt),
      elapsedMs: Number(elapsedMs),
    };
  }

  /** How long after the last `open` the first query for `name` came (ms, the stand-in's clock). */
  firstAfterOpen(name: string): number | undefined {
    const query = this.queries.slice(this.sinceOpen).find((line) => line.split(" ")[0] === name);
    return query === undefined ? undefined : Number(query.split(" ")[2]);
  }

  /** Queries whose name is `name` (any type). */
  asked(name: string): boolean {
    return this.queries.some((query) => query.split(" ")[0] === name);
  }

  /**
   * The next line the stand-in reports (a query aside), which must be `word` or start with it.
   * Waits as long as a loaded machine may take to start a Node.js process, and `extraMs` more.
   */
  private expect(word: string, extraMs = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.label}: no "${word}"`)),
        60_000 + extraMs,
      );
      this.waiting.push((line) => {
        clearTimeout(timer);
        if (line === word || line.startsWith(`${word} `)) resolve(line);
        else reject(new Error(`${this.label}: expected "${word}", got "${line}"`));
      });
    });
  }
}
