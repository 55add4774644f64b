// The estate's outside world, each part in a namespace of its own on the region's segment: the
// cloud's resolver (unbound holding the plan's private zone and the outside names), its metadata
// server and secret store (./outside.ts), and a partner's HTTPS service that chocon calls.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RegionSpec } from "../../components/spec/schema";
import type { TestCa } from "./certs";
import type { Segment } from "./netns";
import type { OutsideConfig } from "./outside";

/** The cloud's link-local services: the resolver (AWS's address) and the metadata server. */
export const CLOUD_RESOLVER = "169.254.169.253";
export const METADATA = "169.254.169.254";
export const LINK_LOCAL = "169.254.169.0/24";
/** The outside network: the secret store's API and the partner. */
export const OUTSIDE_NET = "10.250.0.0/24";
const SECRET_STORE = "10.250.0.2";
export const PARTNER = { name: "api.partner.example", address: "10.250.0.10", statsPort: 8081 };

/** The secret store's API name that hosts call (none on Sakura: secrets come by SSH push). */
export function secretStoreNames(spec: RegionSpec): string[] {
  if (spec.cloud === "aws") return [`secretsmanager.${spec.aws.region}.amazonaws.com`];
  if (spec.cloud === "gcp") return ["secretmanager.googleapis.com"];
  return [];
}

/** Outside domains that have no DNSSEC chain here (see the adapter). */
export function outsideDomains(spec: RegionSpec): string[] {
  const parent = (name: string, labels: number) => name.split(".").slice(-labels).join(".");
  return [parent(PARTNER.name, 2), ...secretStoreNames(spec).map((name) => parent(name, 2))];
}

/** The A records of the cloud's private zone as the plan creates them (forwarded zones only). */
export function privateZone(spec: RegionSpec, planJson: string): string[] {
  const zone = spec.dns.internalDomain;
  const plan = JSON.parse(planJson) as {
    resources: { type: string; inputs: Record<string, unknown> }[];
  };
  const out: string[] = [];
  for (const { type, inputs } of plan.resources) {
    const isRecord = type === "aws:route53/record:Record" || type === "gcp:dns/recordSet:RecordSet";
    if (!isRecord || inputs.type !== "A") continue;
    const name = String(inputs.name).replace(/\.$/, "");
    if (!name.endsWith(`.${zone}`)) continue;
    const values = (inputs.records ?? inputs.rrdatas ?? []) as string[];
    for (const value of values) out.push(`${name}. ${Number(inputs.ttl ?? 300)} IN A ${value}`);
  }
  if (spec.cloud !== "sakura" && out.length === 0)
    throw new Error("the plan has no record in the private zone");
  return out;
}

export interface OutsideWorldArgs {
  readonly spec: RegionSpec;
  readonly prefix: string;
  readonly segment: Segment;
  readonly ca: TestCa;
  readonly dir: string;
  readonly planDir: string;
  /** Secret name -> value, as the site stores them. */
  readonly secrets: Record<string, string>;
}

/** Starts the outside world; resolves with its processes once each is serving. */
export async function startOutsideWorld(args: OutsideWorldArgs): Promise<ChildProcess[]> {
  const { spec, prefix, segment, ca, dir } = args;
  const cloudNs = `${prefix}cloud`;
  const partnerNs = `${prefix}partner`;
  const network = spec.network.cidr;
  await segment.attach(
    cloudNs,
    [`${CLOUD_RESOLVER}/24`, `${METADATA}/24`, `${SECRET_STORE}/24`],
    [network],
  );
  await segment.attach(partnerNs, [`${PARTNER.address}/24`], [network]);
  mkdirSync(dir, { recursive: true });

  const records = [
    ...privateZone(spec, readFileSync(join(args.planDir, "plan.json"), "utf8")),
    `${PARTNER.name}. 60 IN A ${PARTNER.address}`,
    ...secretStoreNames(spec).map((name) => `${name}. 60 IN A ${SECRET_STORE}`),
  ];
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
  const started = [
    spawnIn(cloudNs, "unbound", ["-d", "-c", join(dir, "unbound.conf")], join(dir, "unbound.log")),
  ];
  const outside = (config: OutsideConfig, ns: string, name: string) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
    const script = join(__dirname, "outside.ts");
    return spawnIn(
      ns,
      process.execPath,
      ["--import", "tsx", script, path],
      join(dir, `${name}.log`),
    );
  };
  if (spec.cloud !== "sakura") {
    const store = { address: SECRET_STORE, key: ca.serverKey, cert: ca.serverCert };
    const metadata = { address: METADATA };
    started.push(
      outside(
        { cloud: spec.cloud, secrets: args.secrets, metadata, secretStore: store },
        cloudNs,
        "cloud",
      ),
    );
  }
  const partner = { ...PARTNER, key: ca.serverKey, cert: ca.serverCert };
  started.push(outside({ cloud: spec.cloud, secrets: {}, partner }, partnerNs, "partner"));
  return Promise.all(started);
}

/** Starts a process in a namespace; resolves once it printed something (or ran for 1.5 s). */
function spawnIn(ns: string, command: string, args: string[], log: string): Promise<ChildProcess> {
  const child = spawn("ip", ["netns", "exec", ns, command, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const append = (chunk: Buffer) => {
    text += String(chunk);
    writeFileSync(log, text);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(child), 1500);
    child.stdout?.once("data", () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} in ${ns} exited with ${code}: ${text}`));
    });
  });
}
