// A region in network namespaces, built from `npm run plan -- --stack <s> --out DIR`: each host a
// network namespace and a mount namespace whose /etc, /usr/local, /opt, /var/lib and /var/log are
// overlays of its role's rendered files (laid down from the role's cloud-init document, as
// cloud-init would) over the machine's own, so every file is at its path on the host. Its boot is
// the document's runcmd. What differs from a real host is in ./adapter.ts and nowhere else.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { consulManagementSecretName } from "../../components/host/consul";
import { PUSHED_SECRETS_DIR } from "../../components/host/site-facts";
import { hostAddress, parseCidr } from "../../components/spec/cidr";
import type { Role } from "../../components/spec/hosts";
import { roles } from "../../components/spec/hosts";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import type { RegionSpec } from "../../components/spec/schema";
import { secretName } from "../../components/spec/secrets";
import { peerBinary } from "../support/peers";
import { loadSpec, type StackName } from "../support/stacks";
import { type AdapterContext, adaptFile, bootCommands, CONSUL_UID, packageFiles } from "./adapter";
import { makeTestCa, type TestCa } from "./certs";
import { createSegment, NAMESPACE_PREFIX, type Segment, sh, sweep } from "./netns";
import type { OutsideConfig } from "./outside";

const ROOT = join(__dirname, "..", "..");
/** The estate's outside world: the cloud's link-local services and a partner's network. */
export const CLOUD_RESOLVER = "169.254.169.253";
export const METADATA = "169.254.169.254";
const LINK_LOCAL = "169.254.169.0/24";
const OUTSIDE_NET = "10.250.0.0/24";
const SECRET_STORE = "10.250.0.2";
export const PARTNER = { name: "api.partner.example", address: "10.250.0.10", statsPort: 8081 };
const OVERLAID = ["/etc", "/usr/local", "/opt", "/var/lib", "/var/log"];
const BOOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface EstateHost {
  readonly name: string;
  readonly role: Role;
  readonly address: string;
  readonly ns: string;
  /** The process holding the host's namespaces; commands enter them through it. */
  holder?: ChildProcess;
}

/** Hosts the estate runs: three util hosts, and the first host of each other role asked for. */
export function estateHosts(
  spec: RegionSpec,
  wanted: readonly Role[],
  stack: string,
): EstateHost[] {
  const planned = fixedHosts(spec);
  const layout = networkLayout(spec);
  const hosts: EstateHost[] = [];
  const prefix = `${NAMESPACE_PREFIX}${stack}-`;
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

export interface RegionOptions {
  readonly stack: StackName;
  /** Roles to run (default: util, app, nginx, chocon). The second app host waits to be booted. */
  readonly roles?: readonly Role[];
  /** Changes a rendered file before it is laid down: how a test renders with a defect. */
  readonly mutate?: (role: Role, path: string, content: string) => string;
}

export interface Secrets {
  readonly gossipKey: string;
  readonly agentToken: string;
  readonly managementToken: string;
}

export class Region {
  readonly hosts: EstateHost[];
  readonly work: string;
  readonly prefix: string;
  /** Every cached or outside process started outside the hosts' own boot (for cleanup). */
  private readonly processes: ChildProcess[] = [];
  private segment?: Segment;
  private ca?: TestCa;
  private rendered = new Map<
    Role,
    { files: { path: string; permissions: string; content: string }[]; runcmd: string[] }
  >();
  readonly secrets: Secrets = {
    // As the program makes them: 32 random bytes in base64, and random UUIDs.
    gossipKey: randomBytes(32).toString("base64"),
    agentToken: randomUUID(),
    managementToken: randomUUID(),
  };
  readonly spec: RegionSpec;

  constructor(readonly options: RegionOptions) {
    this.spec = loadSpec(options.stack);
    this.prefix = `${NAMESPACE_PREFIX}${options.stack}-`;
    this.hosts = estateHosts(
      this.spec,
      options.roles ?? ["util", "app", "nginx", "chocon"],
      options.stack,
    );
    this.work = mkdtempSync(join(tmpdir(), this.prefix));
    chmodSync(this.work, 0o755);
  }

  host(name: string): EstateHost {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (!host) throw new Error(`no host ${name} in the estate`);
    return host;
  }

  ofRole(role: Role): EstateHost[] {
    return this.hosts.filter((host) => host.role === role);
  }

  /** Renders, lays out the network and the outside world, and boots every host but the last app. */
  async start(): Promise<void> {
    sweep(this.prefix);
    const out = join(this.work, "plan");
    await sh(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "tools/plan/cli.ts"),
        "--stack",
        this.options.stack,
        "--out",
        out,
      ],
      120_000,
    );
    for (const role of new Set(this.hosts.map((host) => host.role))) {
      const document = parse(readFileSync(join(out, "hosts", role, "cloud-init.yaml"), "utf8")) as {
        write_files: { path: string; permissions: string; content: string }[];
        runcmd: string[];
      };
      this.rendered.set(role, { files: document.write_files, runcmd: document.runcmd });
    }
    this.ca = await makeTestCa(join(this.work, "ca"), [PARTNER.name, ...this.secretStoreNames()]);
    this.segment = await createSegment(this.prefix);
    await this.startOutside(out);
    const utils = this.ofRole("util");
    await Promise.all(utils.map((host) => this.boot(host)));
    await this.waitFor("the ACL setup on the util hosts", 90_000, async () => {
      const result = await this.run(
        utils[0] as EstateHost,
        "consul acl token read -self >/dev/null && echo ok",
        {
          CONSUL_HTTP_TOKEN: this.secrets.agentToken,
        },
      ).catch(() => "");
      return result.includes("ok");
    });
    const later = this.ofRole("app")[1];
    await Promise.all(
      this.hosts
        .filter((host) => host.role !== "util" && host !== later)
        .map((host) => this.boot(host)),
    );
  }

  private secretStoreNames(): string[] {
    const spec = this.spec;
    if (spec.cloud === "aws") return [`secretsmanager.${spec.aws.region}.amazonaws.com`];
    if (spec.cloud === "gcp") return ["secretmanager.googleapis.com"];
    return [];
  }

  /** The cloud's resolver (unbound with the plan's private zone), metadata, secret store, partner. */
  private async startOutside(planDir: string): Promise<void> {
    const segment = this.segment as Segment;
    const ca = this.ca as TestCa;
    const network = this.spec.network.cidr;
    const cloudNs = `${this.prefix}cloud`;
    const partnerNs = `${this.prefix}partner`;
    await segment.attach(
      cloudNs,
      [`${CLOUD_RESOLVER}/24`, `${METADATA}/24`, `${SECRET_STORE}/24`],
      [network],
    );
    await segment.attach(partnerNs, [`${PARTNER.address}/24`], [network]);

    const records = [
      ...this.privateZone(planDir),
      `${PARTNER.name}. 60 IN A ${PARTNER.address}`,
      ...this.secretStoreNames().map((name) => `${name}. 60 IN A ${SECRET_STORE}`),
    ];
    const dir = join(this.work, "cloud");
    mkdirSync(dir, { recursive: true });
    const conf = [
      "server:",
      `    interface: ${CLOUD_RESOLVER}`,
      `    interface: ${METADATA}`,
      "    access-control: 0.0.0.0/0 allow",
      `    directory: "${dir}"`,
      '    username: ""',
      '    chroot: ""',
      '    pidfile: ""',
      "    use-syslog: no",
      '    module-config: "iterator"',
      '    local-zone: "." static',
      ...records.map((record) => `    local-data: "${record}"`),
      "remote-control:",
      "    control-enable: no",
      "",
    ].join("\n");
    writeFileSync(join(dir, "unbound.conf"), conf);
    this.spawnIn(
      cloudNs,
      "unbound",
      ["-d", "-c", join(dir, "unbound.conf")],
      join(dir, "unbound.log"),
    );

    const spec = this.spec;
    const secrets: Record<string, string> = {
      [secretName(spec, "consul-gossip-key")]: this.secrets.gossipKey,
      [secretName(spec, "consul-agent-token")]: this.secrets.agentToken,
      [consulManagementSecretName(spec)]: this.secrets.managementToken,
    };
    const outside = (config: OutsideConfig, ns: string, name: string) => {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
      return this.spawnIn(
        ns,
        process.execPath,
        ["--import", "tsx", join(__dirname, "outside.ts"), path],
        join(dir, `${name}.log`),
      );
    };
    const serving: Promise<void>[] = [];
    if (spec.cloud !== "sakura") {
      serving.push(
        outside(
          {
            cloud: spec.cloud,
            secrets,
            metadata: { address: METADATA },
            secretStore: { address: SECRET_STORE, key: ca.serverKey, cert: ca.serverCert },
          },
          cloudNs,
          "cloud",
        ),
      );
    }
    serving.push(
      outside(
        {
          cloud: spec.cloud,
          secrets: {},
          partner: {
            address: PARTNER.address,
            key: ca.serverKey,
            cert: ca.serverCert,
            statsPort: PARTNER.statsPort,
          },
        },
        partnerNs,
        "partner",
      ),
    );
    await Promise.all(serving);
  }

  /** The A records of the cloud's private zone as the plan creates them (forwarded zones only). */
  private privateZone(planDir: string): string[] {
    const zone = this.spec.dns.internalDomain;
    const plan = JSON.parse(readFileSync(join(planDir, "plan.json"), "utf8")) as {
      resources: { type: string; inputs: Record<string, unknown> }[];
    };
    const out: string[] = [];
    for (const resource of plan.resources) {
      const inputs = resource.inputs;
      const isRecord =
        resource.type === "aws:route53/record:Record" ||
        resource.type === "gcp:dns/recordSet:RecordSet";
      if (!isRecord || inputs.type !== "A") continue;
      const name = String(inputs.name).replace(/\.$/, "");
      if (!name.endsWith(`.${zone}`)) continue;
      const values = (inputs.records ?? inputs.rrdatas ?? []) as string[];
      for (const value of values) out.push(`${name}. ${Number(inputs.ttl ?? 300)} IN A ${value}`);
    }
    if (this.spec.cloud !== "sakura" && out.length === 0)
      throw new Error("the plan has no private zone records");
    return out;
  }

  /** Starts a process in a namespace and resolves once it has printed something or is listening. */
  private spawnIn(ns: string, command: string, args: string[], log: string): Promise<void> {
    const child = spawn("ip", ["netns", "exec", ns, command, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.processes.push(child);
    let text = "";
    const append = (chunk: Buffer) => {
      text += String(chunk);
      writeFileSync(log, text);
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, 1500);
      child.stdout?.once("data", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${command} in ${ns} exited with ${code}: ${text}`));
      });
    });
  }

  /** Lays a host's files down, holds its namespaces, and runs its role's boot commands. */
  async boot(host: EstateHost): Promise<void> {
    const rendered = this.rendered.get(host.role);
    if (!rendered) throw new Error(`no rendered files for ${host.role}`);
    const segment = this.segment as Segment;
    await segment.attach(
      host.ns,
      [`${host.address}/${parseCidr(this.spec.network.cidr)?.prefix}`],
      [LINK_LOCAL, OUTSIDE_NET],
    );
    const base = join(this.work, host.name);
    const lower = join(base, "lower");
    const put = (path: string, content: string, mode: number) => {
      const target = join(lower, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      chmodSync(target, mode);
    };
    const context: AdapterContext = {
      consulServers: this.ofRole("util").map((util) => util.address),
      standInResolver: CLOUD_RESOLVER,
      insecureDomains: [
        PARTNER.name.split(".").slice(1).join("."),
        ...this.secretStoreNames().map((name) => name.split(".").slice(-2).join(".")),
      ],
    };
    for (const file of rendered.files) {
      const content = this.options.mutate
        ? this.options.mutate(host.role, file.path, file.content)
        : file.content;
      put(file.path, adaptFile(file.path, content, context), Number.parseInt(file.permissions, 8));
    }
    for (const file of packageFiles(
      this.peerCopies(),
      readFileSync((this.ca as TestCa).caCert, "utf8"),
    )) {
      if (file.symlink) {
        mkdirSync(dirname(join(lower, file.path)), { recursive: true });
        symlinkSync(file.symlink, join(lower, file.path));
      } else put(file.path, file.content, file.mode);
    }
    // What HashiCorp's package creates besides its files: Consul's data directory.
    mkdirSync(join(lower, "opt/consul"), { recursive: true });
    chownSync(join(lower, "opt/consul"), CONSUL_UID, CONSUL_UID);
    chmodSync(join(lower, "opt/consul"), 0o750);
    if (this.spec.cloud === "sakura")
      this.pushSecrets(host, (path, content) => put(path, content, 0o600));
    put(
      "/var/lib/cloud/instance/scripts/runcmd",
      `#!/bin/sh\n${bootCommands(rendered.runcmd).join("\n")}\n`,
      0o700,
    );

    const mounts = OVERLAID.map((dir) => {
      for (const part of ["lower", "upper", "work"])
        mkdirSync(join(base, part, dir), { recursive: true });
      return `mount -t overlay overlay -o lowerdir=${join(lower, dir)}:${dir},upperdir=${join(base, "upper", dir)},workdir=${join(base, "work", dir)} ${dir}`;
    });
    const holder = spawn(
      "ip",
      [
        "netns",
        "exec",
        host.ns,
        "unshare",
        "--mount",
        "--uts",
        "--propagation",
        "private",
        "bash",
        "-c",
        `set -e; ${mounts.join("; ")}; mount -t tmpfs tmpfs /run; hostname ${host.name}; echo ready; exec sleep infinity`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    host.holder = holder;
    this.processes.push(holder);
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
    const boot = await this.run(
      host,
      "sh /var/lib/cloud/instance/scripts/runcmd 2>&1 && echo BOOTED",
      {},
      180_000,
    ).catch((error: Error) => error.message);
    writeFileSync(join(base, "boot.log"), boot);
    if (!boot.includes("BOOTED"))
      throw new Error(`${host.name}: boot failed:\n${boot.slice(-3000)}`);
  }

  /** The SSH push: one root-only file per secret the role may read (jp). */
  private pushSecrets(host: EstateHost, put: (path: string, content: string) => void): void {
    const spec = this.spec;
    put(`${PUSHED_SECRETS_DIR}/${secretName(spec, "consul-gossip-key")}`, this.secrets.gossipKey);
    put(`${PUSHED_SECRETS_DIR}/${secretName(spec, "consul-agent-token")}`, this.secrets.agentToken);
    if (host.role === "util")
      put(
        `${PUSHED_SECRETS_DIR}/${consulManagementSecretName(spec)}`,
        this.secrets.managementToken,
      );
  }

  /** The peer programs, copied where every user may run them (the build cache is root's). */
  private peerCopies(): { consul: string; chocon: string } {
    const dir = join(this.work, "peers");
    const consul = join(dir, "consul");
    const chocon = join(dir, "chocon");
    if (!this.copied) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(peerBinary("consul", "consul"), consul);
      copyFileSync(peerBinary("chocon", "chocon"), chocon);
      chmodSync(consul, 0o755);
      chmodSync(chocon, 0o755);
      this.copied = true;
    }
    return { consul, chocon };
  }
  private copied = false;

  /** Runs a shell line on a host as root, with a boot's environment; resolves with its stdout. */
  run(
    host: EstateHost,
    line: string,
    env: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<string> {
    const pid = host.holder?.pid;
    if (!pid) throw new Error(`${host.name} is not running`);
    const vars = Object.entries({ PATH: BOOT_PATH, HOME: "/root", LANG: "C.UTF-8", ...env }).map(
      ([k, v]) => `${k}=${v}`,
    );
    return sh(
      "nsenter",
      ["-t", String(pid), "-m", "-n", "-u", "--", "env", "-i", ...vars, "bash", "-c", line],
      timeoutMs,
    );
  }

  async waitFor(
    what: string,
    timeoutMs: number,
    condition: () => Promise<boolean>,
  ): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await condition()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
  }

  /** Kills every process in the estate's namespaces, deletes them and the work directory. */
  stop(): void {
    sweep(this.prefix);
    for (const child of this.processes) if (child.exitCode === null) child.kill("SIGKILL");
    if (!process.env.ESTATE_KEEP) rmSync(this.work, { recursive: true, force: true });
  }
}
