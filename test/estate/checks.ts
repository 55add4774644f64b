// What the estate measures, each as figures (counts) with the failures behind them, so that the
// tests can assert both that a sound region scores full marks and that a defective one does not.
import { randomUUID } from "node:crypto";
import { CHOCON_SERVICE_NAME } from "../../components/host/unbound";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import { sh } from "./netns";
import { type EstateHost, PARTNER, type Region } from "./region";

export interface Figure {
  readonly good: number;
  readonly total: number;
  readonly failures: string[];
}

export const show = (figure: Figure) => `${figure.good}/${figure.total}`;
export const detail = (figure: Figure) => figure.failures.slice(0, 12).join("\n");

function json<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The agent's HTTPS API on loopback, verified against the region's Consul CA. */
export const CONSUL_API = "https://127.0.0.1:8501";
const CURL_CONSUL = "curl -s --max-time 5 --cacert /etc/consul.d/tls/ca.pem";
export const api = (path: string, token?: string) =>
  `${CURL_CONSUL} ${token ? `-H "X-Consul-Token: ${token}" ` : ""}${CONSUL_API}${path}`;

/** How many distinct leaders the servers report (1 when they agree), out of the servers. */
export async function leaders(region: Region, servers = region.ofRole("util")): Promise<Figure> {
  const answers = await Promise.all(
    servers.map((host) => region.run(host, api("/v1/status/leader")).catch(() => "")),
  );
  const failures = servers
    .filter((_, i) => !/^"\d+\.\d+\.\d+\.\d+:8300"$/.test(answers[i] ?? ""))
    .map((host) => `${host.name} knows no leader`);
  const distinct = new Set(answers.filter((answer) => /:8300"$/.test(answer)));
  if (distinct.size > 1) failures.push(`servers disagree: ${[...distinct].join(" ")}`);
  return { good: distinct.size, total: servers.length, failures };
}

/** Hosts whose agent is an alive member (seen from util-1) and gossips with the region's key. */
export async function joined(region: Region, hosts: readonly EstateHost[]): Promise<Figure> {
  const token = region.secrets.managementToken;
  const util = region.ofRole("util")[0] as EstateHost;
  const members =
    json<{ Addr: string; Status: number }[]>(
      await region.run(util, api("/v1/agent/members", token)).catch(() => ""),
    ) ?? [];
  const failures: string[] = [];
  let good = 0;
  for (const host of hosts) {
    const alive = members.some((member) => member.Addr === host.address && member.Status === 1);
    const self = json<{ Stats?: { serf_lan?: { encrypted?: string } } }>(
      await region.run(host, api("/v1/agent/self", token)).catch(() => ""),
    );
    const encrypted = self?.Stats?.serf_lan?.encrypted === "true";
    if (alive && encrypted) good++;
    else
      failures.push(
        `${host.name}: ${alive ? "alive" : "not an alive member"}, ${encrypted ? "encrypted" : "gossip not encrypted"}`,
      );
  }
  return { good, total: hosts.length, failures };
}

/** ACLs: what the anonymous token, the role tokens and the management token may do. */
export async function acls(region: Region): Promise<Figure> {
  const util = region.ofRole("util")[0] as EstateHost;
  const { roleTokens, managementToken } = region.secrets;
  const status = (path: string, token?: string, method = "GET", body = "") =>
    region
      .run(
        util,
        `${CURL_CONSUL} -o /dev/null -w '%{http_code}' -X ${method} ${body ? `--data '${body}' ` : ""}${token ? `-H "X-Consul-Token: ${token}" ` : ""}${CONSUL_API}${path}`,
      )
      .catch(() => "error");
  const count = async (path: string, token?: string) =>
    (json<unknown[]>(await region.run(util, api(path, token)).catch(() => "")) ?? []).length;
  // Requests without a token are the anonymous token's (no default token is rendered).
  // What anonymous may read is judged once chocon is in the catalog (its agent may still be
  // syncing when the region has just booted).
  await region.waitFor("chocon in the catalog", 60_000, async () => {
    return (await count("/v1/catalog/service/chocon", managementToken)) >= 1;
  });
  const register = (service: string, node: string) =>
    JSON.stringify({ Node: node, Address: "192.0.2.1", Service: { Service: service } });
  const expectations: [string, () => Promise<boolean>][] = [
    [
      "anonymous writes are denied",
      async () => (await status("/v1/kv/estate-probe", undefined, "PUT")) === "403",
    ],
    [
      "anonymous reads services (DNS)",
      async () => (await count("/v1/catalog/service/chocon")) >= 1,
    ],
    ["anonymous reads nodes (DNS)", async () => (await count("/v1/catalog/nodes")) >= 1],
    [
      "anonymous may not read a key",
      async () =>
        (await status("/v1/kv/estate-probe", managementToken, "PUT", "probe")) === "200" &&
        (await status("/v1/kv/estate-probe")) === "403",
    ],
    [
      "an unknown token is refused",
      async () => (await status("/v1/catalog/nodes", randomUUID())) === "403",
    ],
    [
      "the chocon token registers chocon on a chocon node",
      async () =>
        (await status(
          "/v1/catalog/register",
          roleTokens.chocon,
          "PUT",
          register("chocon", "chocon-estate-probe"),
        )) === "200",
    ],
    [
      "the app token may not register chocon",
      async () =>
        (await status(
          "/v1/catalog/register",
          roleTokens.app,
          "PUT",
          register("chocon", "app-estate-probe"),
        )) === "403",
    ],
    [
      "the app token may not write another role's node",
      async () =>
        (await status(
          "/v1/catalog/register",
          roleTokens.app,
          "PUT",
          register("app", "nginx-estate-probe"),
        )) === "403",
    ],
    [
      "a role token may not read ACLs",
      async () => (await status("/v1/acl/tokens", roleTokens.app)) === "403",
    ],
    [
      "the management token reads ACLs",
      async () => (await status("/v1/acl/tokens", managementToken)) === "200",
    ],
  ];

  const failures: string[] = [];
  for (const [what, check] of expectations) if (!(await check())) failures.push(what);
  // The probe node and key are taken away again.
  await status("/v1/kv/estate-probe", managementToken, "DELETE");
  await status(
    "/v1/catalog/deregister",
    managementToken,
    "PUT",
    JSON.stringify({ Node: "chocon-estate-probe" }),
  );
  return { good: expectations.length - failures.length, total: expectations.length, failures };
}

export interface Question {
  readonly name: string;
  /** A records expected in the answer, sorted. */
  readonly addresses: readonly string[];
  readonly cname?: string;
}

/** The names every host must resolve: Consul's services, the internal zone, a chocon name. */
export function questions(region: Region): Question[] {
  const sorted = (hosts: readonly EstateHost[]) => hosts.map((host) => host.address).sort();
  const booted = region.running();
  const chocon = sorted(booted.filter((host) => host.role === "chocon"));
  const zone = region.spec.dns.internalDomain;
  return [
    { name: "app.service.consul", addresses: sorted(booted.filter((host) => host.role === "app")) },
    { name: CHOCON_SERVICE_NAME, addresses: chocon },
    ...internalRecords(fixedHosts(region.spec))
      .filter((record) => record.type === "A")
      .map((record) => ({ name: `${record.name}.${zone}`, addresses: [...record.values].sort() })),
    { name: `${PARTNER.name}.ccnproxy-https`, addresses: chocon, cname: `${CHOCON_SERVICE_NAME}.` },
  ];
}

interface Answer {
  status: string;
  addresses: string[];
  cnames: string[];
}

/** Asks the host's own unbound (127.0.0.1:53 in its namespace) every name, with Debian's dig. */
export async function ask(
  host: EstateHost,
  names: readonly string[],
  port = 53,
  server = "127.0.0.1",
) {
  const script = names
    .map(
      (name) =>
        `echo "=== ${name}"; dig @${server} -p ${port} +time=2 +tries=1 +noall +comments +answer ${name} A || true`,
    )
    .join("; ");
  const out = await sh("ip", ["netns", "exec", host.ns, "bash", "-c", script], 60_000).catch(
    (error: Error) => error.message,
  );
  const answers = new Map<string, Answer>();
  for (const block of out.split("=== ").slice(1)) {
    const [name = "", ...lines] = block.split("\n");
    const records = lines
      .filter((line) => line && !line.startsWith(";"))
      .map((line) => line.split(/\s+/));
    answers.set(name.trim(), {
      status: /status: ([A-Z]+)/.exec(block)?.[1] ?? "NO-ANSWER",
      addresses: records
        .filter((r) => r[3] === "A")
        .map((r) => r[4] ?? "")
        .sort(),
      cnames: records.filter((r) => r[3] === "CNAME").map((r) => r[4] ?? ""),
    });
  }
  return answers;
}

export async function dns(
  region: Region,
  hosts: readonly EstateHost[],
  asked = questions(region),
): Promise<Figure> {
  const failures: string[] = [];
  let good = 0;
  await Promise.all(
    hosts.map(async (host) => {
      const answers = await ask(
        host,
        asked.map((question) => question.name),
      );
      for (const question of asked) {
        const answer = answers.get(question.name);
        const right =
          answer?.status === "NOERROR" &&
          answer.addresses.join() === question.addresses.join() &&
          (!question.cname || answer.cnames.includes(question.cname));
        if (right) good++;
        else
          failures.push(
            `${host.name}: ${question.name} -> ${answer?.status} ${answer?.cnames.join(",")} ${answer?.addresses.join(",")} (want ${question.addresses.join(",")})`,
          );
      }
    }),
  );
  return { good, total: hosts.length * asked.length, failures };
}

/**
 * `dns`, asked again every 2 s while some answer is wrong, for up to `seconds`: an answer may be
 * the expired one that unbound serves while it refreshes it (serve-expired), or predate a change.
 */
export async function settledDns(
  region: Region,
  hosts: readonly EstateHost[],
  asked = questions(region),
  seconds = 20,
): Promise<Figure> {
  let figure = await dns(region, hosts, asked);
  for (let waited = 0; figure.failures.length > 0 && waited < seconds; waited += 2) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    figure = await dns(region, hosts, asked);
  }
  return figure;
}

/** The partner's count of TLS handshakes so far. */
export async function partnerHandshakes(region: Region): Promise<number> {
  const out = await sh("ip", [
    "netns",
    "exec",
    `${region.prefix}partner`,
    "curl",
    "-s",
    "--max-time",
    "5",
    `http://${PARTNER.address}:${PARTNER.statsPort}/`,
  ]);
  return (json<{ handshakes: number }>(out) ?? { handshakes: Number.NaN }).handshakes;
}

/** Calls a URL `count` times in a row from a host, each call a new curl (a new connection). */
export async function sequentialCalls(
  region: Region,
  host: EstateHost,
  url: string,
  count: number,
) {
  const before = await partnerHandshakes(region);
  const out = await region.run(
    host,
    `ok=0; for _ in $(seq 1 ${count}); do if curl -sf -o /dev/null --max-time 5 '${url}'; then ok=$((ok + 1)); fi; done; echo "$ok"`,
    {},
    count * 6_000,
  );
  const after = await partnerHandshakes(region);
  return { succeeded: Number(out.trim()), handshakes: after - before };
}

/** How many instances of a service pass their health check, from util-1's HTTP API. */
export async function passing(region: Region, service: string): Promise<number> {
  const util = region.ofRole("util")[0] as EstateHost;
  const out = await region
    // Read as the operator: a role token sees only the nodes of its own role.
    .run(util, api(`/v1/health/service/${service}?passing=1`, region.secrets.managementToken))
    .catch(() => "");
  return (json<unknown[]>(out) ?? []).length;
}
