// A region in network namespaces, built from `npm run plan -- --stack <s> --out DIR`: its hosts
// (./hosts.ts) boot from their roles' cloud-init documents (files laid down as cloud-init would,
// then its runcmd), beside the outside world (./outside-world.ts). The Consul secrets are made as
// the program makes them and reach hosts as on the stack's cloud: from the secret store, or as the
// SSH push's files on Sakura. What differs from a real host is in ./adapter.ts and nowhere else.
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { PUSHED_SECRETS_DIR } from "../../components/host/site-facts";
import { parseCidr } from "../../components/spec/cidr";
import { type Role, roles } from "../../components/spec/hosts";
import type { RegionSpec } from "../../components/spec/schema";
import {
  consulTlsSecretId,
  consulTokenSecretId,
  type HostSecretId,
  secretName,
  secretsForRole,
} from "../../components/spec/secrets";
import { peerBinary } from "../support/peers";
import { loadSpec, type StackName } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";
import {
  adaptFile,
  bootCommands,
  type PackageFile,
  type PeerBinaries,
  packageFiles,
} from "./adapter";
import { makeConsulTls, makeTestCa, type TestCa } from "./certs";
import { type EstateHost, estateHosts, holdNamespaces, layFiles, runOn } from "./hosts";
import { createSegment, NAMESPACE_PREFIX, type Segment, sh, sweep } from "./netns";
import {
  CLOUD_RESOLVER,
  LINK_LOCAL,
  OUTSIDE_NET,
  outsideDomains,
  PARTNER,
  secretStoreNames,
  startOutsideWorld,
} from "./outside-world";

export type { EstateHost } from "./hosts";
export { PARTNER } from "./outside-world";

const ROOT = join(__dirname, "..", "..");
/** How a host's own tools reach its Consul agent: HTTPS on loopback, the region's CA. */
export const CONSUL_CLI = {
  CONSUL_HTTP_ADDR: "https://127.0.0.1:8501",
  CONSUL_CACERT: "/etc/consul.d/tls/ca.pem",
};
const RUNCMD = "/var/lib/cloud/instance/scripts/runcmd";

export interface RegionOptions {
  readonly stack: StackName;
  /** Roles to run (default: util, app, nginx, chocon). The second app host waits to be booted. */
  readonly roles?: readonly Role[];
  /** Changes a rendered file before it is laid down: how a test renders with a defect. */
  readonly mutate?: (role: Role, path: string, content: string) => string;
}

/** Regions started and not yet stopped, for a stop on the way out. */
const live = new Set<Region>();

/** Stops every region still running (at exit, on a signal). */
export function stopAllRegions(): void {
  for (const region of live) region.stop();
}

interface CloudInit {
  write_files: { path: string; permissions: string; content: string }[];
  runcmd: string[];
}

export class Region {
  readonly spec: RegionSpec;
  readonly hosts: EstateHost[];
  readonly prefix: string;
  readonly work: string;
  /** As the program makes them: 32 random bytes in base64, random UUIDs, 32 letters/digits. */
  readonly secrets = {
    gossipKey: randomBytes(32).toString("base64"),
    managementToken: randomUUID(),
    roleTokens: Object.fromEntries(roles.map((role) => [role, randomUUID()])) as Record<
      Role,
      string
    >,
    replicationPassword: randomBytes(24).toString("base64url").replace(/[-_]/g, "x"),
  };
  /** Every host secret by id, once the TLS identities are made (start). */
  private stored: Partial<Record<HostSecretId, string>> = {};
  private readonly processes: ChildProcess[] = [];
  private readonly documents = new Map<Role, CloudInit>();
  private segment?: Segment;
  private ca?: TestCa;
  private peers?: PeerBinaries;

  constructor(readonly options: RegionOptions) {
    this.spec = loadSpec(options.stack);
    this.prefix = `${NAMESPACE_PREFIX}${options.stack}-`;
    const wanted = options.roles ?? ["util", "app", "nginx", "chocon"];
    this.hosts = estateHosts(this.spec, wanted, this.prefix);
    this.work = mkdtempSync(join(tmpdir(), this.prefix));
    chmodSync(this.work, 0o755);
  }

  ofRole(role: Role): EstateHost[] {
    return this.hosts.filter((host) => host.role === role);
  }

  /** Hosts that have booted. */
  running(): EstateHost[] {
    return this.hosts.filter((host) => host.holder);
  }

  /** Renders, lays out the network and the outside world, and boots every host but the last app. */
  async start(): Promise<void> {
    live.add(this);
    sweep(this.prefix);
    const planDir = join(this.work, "plan");
    const cli = join(ROOT, "tools/plan/cli.ts");
    const stack = this.options.stack;
    await sh(process.execPath, [...TS_ROUTE, cli, "--stack", stack, "--out", planDir], 120_000);
    for (const role of new Set(this.hosts.map((host) => host.role))) {
      const path = join(planDir, "hosts", role, "cloud-init.yaml");
      this.documents.set(role, parse(readFileSync(path, "utf8")) as CloudInit);
    }
    this.peers = this.copyPeers();
    this.ca = await makeTestCa(join(this.work, "ca"), [
      PARTNER.name,
      ...secretStoreNames(this.spec),
    ]);
    this.segment = await createSegment(this.prefix);
    const spec = this.spec;
    const identities = await makeConsulTls(
      join(this.work, "consul-tls"),
      spec.consul.datacenter,
      roles,
    );
    this.stored = {
      "consul-gossip-key": this.secrets.gossipKey,
      "consul-management-token": this.secrets.managementToken,
      "mysql-replication-password": this.secrets.replicationPassword,
    };
    for (const role of roles) {
      this.stored[consulTokenSecretId(role)] = this.secrets.roleTokens[role];
      this.stored[consulTlsSecretId(role)] = identities[role];
    }
    const stored = Object.fromEntries(
      Object.entries(this.stored).map(([id, value]) => [
        secretName(spec, id as HostSecretId),
        value,
      ]),
    );
    const outside = await startOutsideWorld({
      spec,
      prefix: this.prefix,
      segment: this.segment,
      ca: this.ca,
      dir: join(this.work, "outside"),
      planDir,
      secrets: stored,
    });
    this.processes.push(...outside);

    const utils = this.ofRole("util");
    await Promise.all(utils.map((host) => this.boot(host)));
    // The agents' token exists once a leader is elected and the ACL setup ran on a server.
    await this.waitFor("the ACL setup on the util hosts", 90_000, async () => {
      const check = "consul acl token read -self >/dev/null && echo ok";
      const env = { ...CONSUL_CLI, CONSUL_HTTP_TOKEN: this.secrets.roleTokens.util };
      return (await this.run(utils[0] as EstateHost, check, env).catch(() => "")).includes("ok");
    });
    const later = this.ofRole("app")[1];
    const rest = this.hosts.filter((host) => host.role !== "util" && host !== later);
    await Promise.all(rest.map((host) => this.boot(host)));
  }

  /** Lays a host's files down, holds its namespaces, and runs its role's boot commands. */
  async boot(host: EstateHost): Promise<void> {
    const document = this.documents.get(host.role);
    if (!document || !this.segment || !this.ca || !this.peers)
      throw new Error(`${host.name}: the region is not started`);
    const prefix = parseCidr(this.spec.network.cidr)?.prefix;
    await this.segment.attach(host.ns, [`${host.address}/${prefix}`], [LINK_LOCAL, OUTSIDE_NET]);
    const context = {
      consulServers: this.ofRole("util").map((util) => util.address),
      standInResolver: CLOUD_RESOLVER,
      insecureDomains: outsideDomains(this.spec),
    };
    const mutate = this.options.mutate ?? ((_role, _path, content) => content);
    const rendered: PackageFile[] = document.write_files.map((file) => ({
      kind: "file",
      path: file.path,
      content: adaptFile(file.path, mutate(host.role, file.path, file.content), context),
      mode: Number.parseInt(file.permissions, 8),
    }));
    const base = join(this.work, host.name);
    const boot: PackageFile = {
      kind: "file",
      path: RUNCMD,
      content: `#!/bin/sh\n${bootCommands(document.runcmd).join("\n")}\n`,
      mode: 0o700,
    };
    layFiles(join(base, "lower"), [
      ...rendered,
      ...packageFiles(this.peers, readFileSync(this.ca.caCert, "utf8")),
      ...this.pushedSecrets(host),
      boot,
    ]);
    this.processes.push(await holdNamespaces(host, base));
    const log = await this.run(host, `sh ${RUNCMD} 2>&1 && echo BOOTED`, {}, 180_000).catch(
      (error: Error) => error.message,
    );
    writeFileSync(join(base, "boot.log"), log);
    if (!log.includes("BOOTED")) throw new Error(`${host.name}: boot failed:\n${log.slice(-3000)}`);
  }

  /** The SSH push (Sakura): a root-only directory, one file per secret the role may read. */
  private pushedSecrets(host: EstateHost): PackageFile[] {
    const spec = this.spec;
    if (spec.cloud !== "sakura") return [];
    const secret = (name: string, content: string): PackageFile => ({
      kind: "file",
      path: `${PUSHED_SECRETS_DIR}/${name}`,
      content,
      mode: 0o600,
    });
    return [
      { kind: "directory", path: PUSHED_SECRETS_DIR, mode: 0o700 },
      ...secretsForRole(host.role).map((id) => secret(secretName(spec, id), this.stored[id] ?? "")),
    ];
  }

  /** The peer programs, copied where every user may run them (the build cache is root's). */
  private copyPeers(): PeerBinaries {
    const dir = join(this.work, "peers");
    mkdirSync(dir, { recursive: true });
    const copy = (peer: string) => {
      const target = join(dir, peer);
      copyFileSync(peerBinary(peer, peer), target);
      chmodSync(target, 0o755);
      return target;
    };
    return { consul: copy("consul"), chocon: copy("chocon") };
  }

  run(host: EstateHost, line: string, env: Record<string, string> = {}, timeoutMs = 30_000) {
    return runOn(host, line, env, timeoutMs);
  }

  /** Polls a condition every half second; resolves with how long it took. */
  async waitFor(what: string, timeoutMs: number, condition: () => Promise<boolean>) {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await condition()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
  }

  /** Kills every process in the estate's namespaces, deletes them and the work directory. */
  stop(): void {
    live.delete(this);
    sweep(this.prefix);
    for (const child of this.processes) if (child.exitCode === null) child.kill("SIGKILL");
    if (!process.env.ESTATE_KEEP) rmSync(this.work, { recursive: true, force: true });
  }
}
