// Route53's API as the front's ACME client calls it (ListHostedZones, ChangeResourceRecordSets,
// GetChange, REST-XML at 2013-04-01), over HTTPS, for one public zone. Each request must be
// signed (SigV4) with the key the program made for the front, and is judged against that key's
// policy as IAM would judge the few operators the policy uses; what it allows changes the zone,
// and the zone's TXT records are handed to Pebble's DNS test server, which Pebble asks. One JSON
// line per request on stdout. Runs as a process inside a test's network namespace.
// Sources (the pinned references, tools/ci/references.txt): the operations, their REST-XML shapes
// and the 2013-04-01 namespace from botocore data/route53/2013-04-01/service-2.json; SigV4 for
// service route53 in us-east-1 as test/support/sigv4.ts cites it; the condition keys
// route53:ChangeResourceRecordSets* as components/dns/acme-policy.ts describes them.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { parseSigV4, sha256Hex, sigV4SignatureMatches } from "../support/sigv4";

interface Config {
  address: string;
  port: number;
  cert: string;
  key: string;
  zone: { id: string; name: string };
  accessKeyId: string;
  secretAccessKey: string;
  policy: Policy;
  /** Pebble's DNS test server's management API, e.g. http://10.99.0.53:8055. */
  dnsManagement: string;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}
interface Policy {
  Statement: Statement[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const NS = "https://route53.amazonaws.com/doc/2013-04-01/";
const zoneName = config.zone.name.replace(/\.$/, "");
/** name -> TXT values (quoted, as Route53 stores them). */
const txt = new Map<string, { ttl: number; values: string[] }>();
let changes = 0;

function log(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

/** The SigV4 signature the request should carry, recomputed with the front's secret key. */
function signatureValid(request: IncomingMessage, body: string): boolean {
  const auth = parseSigV4(request.headers.authorization);
  if (!auth || auth.keyId !== config.accessKeyId) return false;
  if (auth.service !== "route53" || auth.region !== "us-east-1") return false;
  return sigV4SignatureMatches(request, auth, sha256Hex(body), config.secretAccessKey);
}

function glob(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}

/** IAM's verdict for an allow-only policy, with the operators this policy may use. */
function allowed(action: string, resource: string, context: Record<string, string[]>): boolean {
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  return config.policy.Statement.some((statement) => {
    if (statement.Effect !== "Allow") return false;
    if (!list(statement.Action).some((pattern) => glob(pattern, action))) return false;
    if (!list(statement.Resource).some((pattern) => glob(pattern, resource))) return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, expected]) => {
        const values = context[key] ?? [];
        switch (operator) {
          case "ForAllValues:StringEquals":
            return values.every((value) => expected.includes(value));
          case "ForAllValues:StringLike":
            return values.every((value) => expected.some((pattern) => glob(pattern, value)));
          default:
            throw new Error(`operator ${operator} is not judged by this stand-in`);
        }
      }),
    );
  });
}

/** Route53's normalization of record names for its condition keys. */
function normalized(name: string): string {
  return [...name.toLowerCase().replace(/\.$/, "")]
    .map((c) => (/[a-z0-9_.-]/.test(c) ? c : `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`))
    .join("");
}

function reply(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { "content-type": "text/xml" });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function fail(response: ServerResponse, status: number, code: string, message: string): void {
  reply(
    response,
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
  );
}

const all = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] as string);
const one = (xml: string, tag: string) => all(xml, tag)[0] ?? "";

async function publish(name: string, values: string[]): Promise<void> {
  const post = (path: string, body: object) =>
    fetch(`${config.dnsManagement}${path}`, { method: "POST", body: JSON.stringify(body) }).then(
      (r) => {
        if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      },
    );
  await post("/clear-txt", { host: `${name}.` });
  for (const value of values)
    await post("/set-txt", { host: `${name}.`, value: value.replace(/^"|"$/g, "") });
}

async function handle(request: IncomingMessage, body: string, response: ServerResponse) {
  const path = new URL(request.url ?? "/", "https://route53.amazonaws.com").pathname;
  if (!signatureValid(request, body)) {
    log({ op: "unsigned", path });
    return fail(
      response,
      403,
      "SignatureDoesNotMatch",
      "the request is not signed with the front's key",
    );
  }
  const zoneArn = `arn:aws:route53:::hostedzone/${config.zone.id}`;
  if (request.method === "GET" && path === "/2013-04-01/hostedzone") {
    const ok = allowed("route53:ListHostedZones", "*", {});
    log({ op: "ListHostedZones", allowed: ok });
    if (!ok)
      return fail(
        response,
        403,
        "AccessDenied",
        "not authorized to perform: route53:ListHostedZones",
      );
    return reply(
      response,
      200,
      `<ListHostedZonesResponse xmlns="${NS}"><HostedZones><HostedZone><Id>/hostedzone/${config.zone.id}</Id><Name>${zoneName}.</Name><CallerReference>stand-in</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>${2 + txt.size}</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>`,
    );
  }
  const change = /^\/2013-04-01\/change\/([A-Za-z0-9]+)$/.exec(path);
  if (request.method === "GET" && change) {
    const ok = allowed("route53:GetChange", `arn:aws:route53:::change/${change[1]}`, {});
    log({ op: "GetChange", allowed: ok });
    if (!ok)
      return fail(response, 403, "AccessDenied", "not authorized to perform: route53:GetChange");
    // Records reach the DNS test server before the change is answered: in sync at once.
    return reply(
      response,
      200,
      `<GetChangeResponse xmlns="${NS}"><ChangeInfo><Id>/change/${change[1]}</Id><Status>INSYNC</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></GetChangeResponse>`,
    );
  }
  const rrset = /^\/2013-04-01\/hostedzone\/([A-Za-z0-9]+)\/rrset\/?$/.exec(path);
  if (request.method === "POST" && rrset) {
    if (rrset[1] !== config.zone.id)
      return fail(response, 404, "NoSuchHostedZone", `no zone ${rrset[1]}`);
    const batch = all(body, "Change").map((xml) => ({
      action: one(xml, "Action"),
      name: one(xml, "Name").replace(/\.$/, ""),
      type: one(xml, "Type"),
      ttl: Number(one(xml, "TTL")),
      values: all(xml, "Value"),
    }));
    const context = {
      "route53:ChangeResourceRecordSetsNormalizedRecordNames": batch.map((c) => normalized(c.name)),
      "route53:ChangeResourceRecordSetsRecordTypes": batch.map((c) => c.type),
      "route53:ChangeResourceRecordSetsActions": batch.map((c) => c.action),
    };
    const ok = batch.length > 0 && allowed("route53:ChangeResourceRecordSets", zoneArn, context);
    log({ op: "ChangeResourceRecordSets", allowed: ok, changes: batch });
    if (!ok) {
      return fail(
        response,
        403,
        "AccessDenied",
        "not authorized to perform: route53:ChangeResourceRecordSets",
      );
    }
    for (const c of batch) {
      const inZone = c.name === zoneName || c.name.endsWith(`.${zoneName}`);
      const held = txt.get(c.name);
      const same = held && held.ttl === c.ttl && held.values.join() === c.values.join();
      if (
        !inZone ||
        c.type !== "TXT" ||
        (c.action === "DELETE" && !same) ||
        (c.action === "CREATE" && held)
      ) {
        return fail(
          response,
          400,
          "InvalidChangeBatch",
          `${c.action} ${c.type} ${c.name} does not apply`,
        );
      }
    }
    for (const c of batch) {
      if (c.action === "DELETE") txt.delete(c.name);
      else txt.set(c.name, { ttl: c.ttl, values: c.values });
      await publish(c.name, txt.get(c.name)?.values ?? []);
    }
    changes += 1;
    return reply(
      response,
      200,
      `<ChangeResourceRecordSetsResponse xmlns="${NS}"><ChangeInfo><Id>/change/C${changes}</Id><Status>PENDING</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`,
    );
  }
  log({ op: "unknown", method: request.method, path });
  return fail(response, 400, "InvalidInput", `no operation at ${request.method} ${path}`);
}

const server = createServer(
  { cert: readFileSync(config.cert), key: readFileSync(config.key) },
  (request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += String(chunk);
    });
    request.on("end", () => {
      handle(request, body, response).catch((error: unknown) => {
        log({ op: "error", message: String(error) });
        fail(response, 500, "InternalError", String(error));
      });
    });
  },
);
server.listen(config.port, config.address, () => log({ op: "ready" }));
