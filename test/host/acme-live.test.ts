// The jp front orders its certificate from a real ACME server and serves it. One nginx host of jp
// boots from its rendered files in a network and mount namespace (the estate's host layers), with
// Pebble (Let's Encrypt's test server) as the CA, Pebble's DNS test server as the DNS the CA asks,
// and a Route53 API stand-in that takes certbot's record changes, judges each against the policy
// of the key the program made, and hands the TXT records to that DNS. certbot is Debian's, as
// Ubuntu's on the hosts. What differs from a real host, and nothing else:
//   1. certbot.ini names Pebble's directory instead of Let's Encrypt's;
//   2. /etc/hosts leads route53.amazonaws.com and pebble.test to the stand-ins, and the test CA is
//      a trusted root (as a public CA is on a real host);
//   3. systemd is the estate's systemctl shim; the timer's run is `systemctl start` of its service;
//   4. a slot is 4 s instead of 300 s, so that this host's turn comes within 12 s;
//   5. the app servers' list is written as the upstream timer would write it from Consul.
// Expected values are the requirement's, written here.
import assert from "node:assert/strict";
import { type ChildProcess, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";
import { acmeChallengePolicy } from "../../components/dns/acme-policy";
import { renderRegionHosts, siteFacts } from "../../components/host";
import {
  CERTBOT_CONFIG_PATH,
  certificateNames,
  LETS_ENCRYPT_DIRECTORY,
} from "../../components/host/acme";
import { NGINX_APP_SERVERS_PATH } from "../../components/host/nginx";
import { HOST_FACTS_TOOL } from "../../components/host/scripts";
import { secretName } from "../../components/spec/secrets";
import { SHIM_LOG_DIR, SYSTEMCTL_SHIM } from "../estate/adapter";
import { makeTestCa } from "../estate/certs";
import { type EstateHost, holdNamespaces, layFiles, runOn } from "../estate/hosts";
import { peerBinary } from "../support/peers";
import { Namespace } from "./netns";
import { loadStack, scratchDir } from "./support";
import { sleep } from "./unbound-region";

const PEBBLE = "10.99.0.14";
const ROUTE53 = "10.99.0.80";
const CHALLENGE_DNS = "10.99.0.53";
const APP = "10.99.64.50";
const ZONE_ID = "ZJPTESTZONE";
const KEY_ID = "AKIAJPFRONTACME00001";
const SECRET_KEY = "acme-test-secret-key-of-the-jp-front";
const SLOT_SECONDS = "4";

const spec = loadStack("jp");
const nginx = renderRegionHosts(spec).nginx;
const certificates = siteFacts(spec).frontCertificates;
const work = scratchDir("acme-live");
/** The outside world (CA, DNS, Route53, the app) and the front host, joined by a veth pair. */
let namespace: Namespace;
let front: Namespace;
let host: EstateHost;
const route53Log: Record<string, unknown>[] = [];

after(async () => {
  host?.holder?.kill("SIGKILL");
  await front?.destroy();
  await namespace?.destroy();
});

/** A veth pair between two namespaces, with routes between the addresses on their loopbacks. */
function link(a: Namespace, b: Namespace, aAddress: string, bRanges: string[], bAddress: string) {
  const [left, right] = [`mca${process.pid % 100000}`, `mcb${process.pid % 100000}`];
  const ip = (args: string[]) => {
    const result = spawnSync("ip", args, { encoding: "utf8" });
    assert.equal(result.status, 0, `ip ${args.join(" ")}: ${result.stderr}`);
  };
  ip(["link", "add", left, "type", "veth", "peer", "name", right]);
  ip(["link", "set", left, "netns", a.name]);
  ip(["link", "set", right, "netns", b.name]);
  ip(["-n", a.name, "link", "set", left, "up"]);
  ip(["-n", b.name, "link", "set", right, "up"]);
  for (const range of bRanges) {
    ip(["-n", a.name, "route", "add", range, "dev", left, "src", aAddress]);
  }
  ip(["-n", b.name, "route", "add", `${aAddress}/32`, "dev", right, "src", bAddress]);
}

/** Starts a program in the namespace and waits for a line of its output that says it is up. */
async function startDaemon(
  command: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const withEnv = Object.keys(env).length > 0;
  const child = withEnv
    ? namespace.spawn("env", [
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        command,
        ...args,
      ])
    : namespace.spawn(command, args);
  let seen = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${seen}`)), 20_000);
    const watch = (chunk: Buffer) => {
      seen += String(chunk);
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", watch);
    child.stderr?.on("data", watch);
    child.once("exit", (code) => reject(new Error(`${command} exited ${code}: ${seen}`)));
  });
  return child;
}

/** Runs a line on the front host; on failure, says what the shim's logs hold. */
async function onHost(line: string, env: Record<string, string> = {}, timeoutMs = 60_000) {
  try {
    return await runOn(host, line, env, timeoutMs);
  } catch (error) {
    const logs = await runOn(host, `tail -n 40 ${SHIM_LOG_DIR}/*.log 2>/dev/null || true`).catch(
      () => "",
    );
    throw new Error(`${String(error)}\n--- shim logs ---\n${logs}`);
  }
}

/** curl on the front host, which resolves the front's names to itself. */
function curl(args: string): Promise<string> {
  const resolve = ["example.jp", "www.example.jp", "nginx-1.example.jp"]
    .flatMap((name) => [
      `--resolve ${name}:443:${host.address}`,
      `--resolve ${name}:80:${host.address}`,
    ])
    .join(" ");
  return onHost(`curl -sS --max-time 10 ${resolve} ${args}`);
}

/** The certificate nginx serves for `name`, as openssl prints it. */
async function served(name: string): Promise<string> {
  return onHost(
    `openssl s_client -connect ${host.address}:443 -servername ${name} </dev/null 2>/dev/null | openssl x509 -noout -serial -issuer -ext subjectAltName -text`,
  );
}

describe("the jp front's certificate from an ACME server", { timeout: 300_000 }, () => {
  before(async () => {
    assert.ok(nginx && certificates, "jp's nginx hosts order their own certificates");
    const first = certificates.hosts[0];
    assert.ok(first);
    const ca = await makeTestCa(join(work, "ca"), ["route53.amazonaws.com", "pebble.test"]);
    namespace = Namespace.create("acme-out", [PEBBLE, ROUTE53, CHALLENGE_DNS, APP]);
    front = Namespace.create("acme-front", [first.address]);
    link(front, namespace, first.address, ["10.99.0.0/16"], ROUTE53);

    await startDaemon(
      peerBinary("pebble", "pebble-challtestsrv"),
      [
        ...["-dnsserver", `${CHALLENGE_DNS}:8053`, "-management", `${CHALLENGE_DNS}:8055`],
        ...["-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", ""],
      ],
      /Starting management server/,
    );
    const pebbleConfig = join(work, "pebble.json");
    writeFileSync(
      pebbleConfig,
      JSON.stringify({
        pebble: {
          listenAddress: `${PEBBLE}:14000`,
          managementListenAddress: `${PEBBLE}:15000`,
          certificate: ca.serverCert,
          privateKey: ca.serverKey,
          httpPort: 5002,
          tlsPort: 5001,
          ocspResponderURL: "",
          externalAccountBindingRequired: false,
          keyAlgorithm: "ecdsa",
          retryAfter: { authz: 1, order: 1 },
          // 20 days: inside certbot's 30-day renewal window, so the next run renews.
          profiles: { default: { description: "test", validityPeriod: 20 * 86400 } },
        },
      }),
    );
    await startDaemon(
      peerBinary("pebble", "pebble"),
      ["-config", pebbleConfig, "-dnsserver", `${CHALLENGE_DNS}:8053`],
      /Listening on: /,
      // No random waits or refused nonces; every order proves control anew (renewals too).
      { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
    );
    const route53 = namespace.spawn(process.execPath, [
      "--import",
      "tsx",
      join(__dirname, "route53-stand-in-process.ts"),
      JSON.stringify({
        address: ROUTE53,
        port: 443,
        cert: ca.serverCert,
        key: ca.serverKey,
        zone: { id: ZONE_ID, name: `${spec.domain}.` },
        accessKeyId: KEY_ID,
        secretAccessKey: SECRET_KEY,
        policy: acmeChallengePolicy(ZONE_ID, certificateNames(certificates)),
        dnsManagement: `http://${CHALLENGE_DNS}:8055`,
      }),
    ]);
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: route53.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.op === "ready") resolve();
        else route53Log.push(entry);
      });
      route53.once("exit", (code) => reject(new Error(`the Route53 stand-in exited ${code}`)));
    });
    await startDaemon(
      process.execPath,
      [
        "-e",
        `require("node:http").createServer((q, r) => r.end(JSON.stringify({ host: q.headers.host, proto: q.headers["x-forwarded-proto"], url: q.url })))` +
          `.listen(8080, "${APP}", () => console.log("ready"))`,
      ],
      /ready/,
    );

    // The host's files: rendered (certbot.ini pointed at Pebble), pushed, and the test's changes.
    host = { name: first.name, role: "nginx", address: first.address, ns: front.name };
    const base = join(work, "host");
    const file = (path: string, content: string, mode = 0o644) =>
      ({ kind: "file", path, content, mode }) as const;
    const rendered = nginx.files.map((f) =>
      file(
        f.path,
        f.path === CERTBOT_CONFIG_PATH
          ? f.content.replace(LETS_ENCRYPT_DIRECTORY, `https://pebble.test:14000/dir`)
          : f.content,
        Number.parseInt(f.mode, 8),
      ),
    );
    const pushed = certificates.credentials.directory;
    layFiles(join(base, "lower"), [
      ...rendered,
      file(`${pushed}/${secretName(spec, "acme-access-key-id")}`, KEY_ID, 0o600),
      file(`${pushed}/${secretName(spec, "acme-secret-access-key")}`, SECRET_KEY, 0o600),
      file(
        "/etc/hosts",
        `${readFileSync("/etc/hosts", "utf8")}${ROUTE53} route53.amazonaws.com\n${PEBBLE} pebble.test\n`,
      ),
      file(
        "/etc/ssl/certs/ca-certificates.crt",
        `${readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8")}${readFileSync(ca.caCert, "utf8")}`,
      ),
      file("/usr/local/sbin/systemctl", SYSTEMCTL_SHIM, 0o755),
      file(NGINX_APP_SERVERS_PATH, `server ${APP}:8080 max_fails=2 fail_timeout=10s;\n`),
    ]);
    await holdNamespaces(host, base);

    // The role's boot, from its own facts on: every command of the plan after Consul's.
    await onHost(HOST_FACTS_TOOL);
    const commands = nginx.plan.commands;
    const from = commands.findIndex((line) => line.includes("sites-enabled/default"));
    assert.ok(from > 0);
    for (const line of commands.slice(from)) {
      if (line.includes("multicloud-nginx-upstreams --no-reload")) continue;
      await onHost(line);
    }
  });

  test("before its first order, the host serves a stand-in and its health check says not ready", async () => {
    assert.match(
      await curl(`-k -o /dev/null -w '%{http_code}' https://nginx-1.example.jp/healthz`),
      /^503$/,
    );
    assert.match(await served("example.jp"), /issuer=CN ?= ?multicloud front stand-in/);
  });

  let firstSerial = "";
  let nginxPid = "";
  test("the timer's run orders a certificate for the public names and the host's own, and nginx serves it", async () => {
    nginxPid = (await onHost("cat /run/nginx.pid")).trim();
    await onHost(
      "systemctl start multicloud-acme.service",
      { MULTICLOUD_ACME_SLOT_SECONDS: SLOT_SECONDS },
      180_000,
    );
    const root = await onHost("curl -fsS https://pebble.test:15000/roots/0");
    await onHost(`cat >/etc/ssl/pebble-root.pem <<'EOF'\n${root.trim()}\nEOF`);
    const text = await served("example.jp");
    assert.match(text, /issuer=CN ?= ?Pebble Intermediate CA/);
    const sans = /DNS:[^\n]+/.exec(text)?.[0].split(", ").sort();
    assert.deepEqual(sans, ["DNS:example.jp", "DNS:nginx-1.example.jp", "DNS:www.example.jp"]);
    assert.match(text, /Public Key Algorithm: id-ecPublicKey[\s\S]*NIST CURVE: P-256/);
    firstSerial = /serial=(\w+)/.exec(text)?.[1] ?? "";
    assert.ok(firstSerial);
    // Every name verifies against Pebble's root; the app is told the scheme was https.
    for (const name of ["example.jp", "www.example.jp", "nginx-1.example.jp"]) {
      const seen = JSON.parse(
        await curl(`--cacert /etc/ssl/pebble-root.pem https://${name}/orders`),
      );
      assert.deepEqual(seen, { host: name, proto: "https", url: "/orders" });
    }
    assert.equal(
      await curl(
        `--cacert /etc/ssl/pebble-root.pem -o /dev/null -w '%{http_code}' https://nginx-1.example.jp/healthz`,
      ),
      "200",
    );
  });

  test("certbot changed only the challenge records, each as the key's policy allows", () => {
    const changes = route53Log.filter((entry) => entry.op === "ChangeResourceRecordSets");
    assert.ok(
      route53Log.every((entry) => entry.allowed === true),
      JSON.stringify(route53Log),
    );
    const seen = changes.flatMap((entry) =>
      (entry.changes as { action: string; name: string; type: string }[]).map(
        (c) => `${c.action} ${c.type} ${c.name}`,
      ),
    );
    assert.deepEqual([...new Set(seen)].sort(), [
      "DELETE TXT _acme-challenge.example.jp",
      "DELETE TXT _acme-challenge.nginx-1.example.jp",
      "DELETE TXT _acme-challenge.www.example.jp",
      "UPSERT TXT _acme-challenge.example.jp",
      "UPSERT TXT _acme-challenge.nginx-1.example.jp",
      "UPSERT TXT _acme-challenge.www.example.jp",
    ]);
  });

  test("the key cannot change any other record of the zone", async () => {
    const tryChange = (name: string, type: string, value: string) =>
      onHost(
        `AWS_ACCESS_KEY_ID=${KEY_ID} AWS_SECRET_ACCESS_KEY=${SECRET_KEY} AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null /usr/bin/python3 -c '
import boto3, botocore
try:
    boto3.client("route53").change_resource_record_sets(HostedZoneId="${ZONE_ID}", ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "${name}", "Type": "${type}", "TTL": 60, "ResourceRecords": [{"Value": "${value}"}]}}]})
    print("changed")
except botocore.exceptions.ClientError as e:
    print(e.response["Error"]["Code"])
'`,
      );
    assert.equal((await tryChange("www.example.jp", "A", "192.0.2.66")).trim(), "AccessDenied");
    assert.equal(
      (await tryChange("_acme-challenge.api.example.jp", "TXT", '\\"x\\"')).trim(),
      "AccessDenied",
    );
    assert.equal(
      (await tryChange("_acme-challenge.www.example.jp", "CNAME", "elsewhere.example.net")).trim(),
      "AccessDenied",
    );
  });

  test("HTTP is redirected to HTTPS, with HSTS on HTTPS, and TLS below 1.2 is refused", async () => {
    assert.equal(
      await curl(
        `-o /dev/null -w '%{http_code} %{redirect_url}' 'http://www.example.jp/orders?page=2'`,
      ),
      "301 https://www.example.jp/orders?page=2",
    );
    const headers = await curl(
      `--cacert /etc/ssl/pebble-root.pem -o /dev/null -D - https://example.jp/`,
    );
    assert.match(headers, /^strict-transport-security: max-age=63072000\r?$/im);
    const handshake = (flags: string) =>
      onHost(
        `openssl s_client -connect ${host.address}:443 -servername example.jp ${flags} </dev/null >/dev/null 2>&1 && echo accepted || echo refused`,
      ).then((out) => out.trim());
    assert.equal(await handshake("-tls1_3"), "accepted");
    assert.equal(await handshake("-tls1_2"), "accepted");
    assert.equal(await handshake("-tls1_1 -cipher DEFAULT@SECLEVEL=0"), "refused");
  });

  test("the next run renews a certificate that is due, and nginx reloads into it", async () => {
    await onHost(
      "systemctl start multicloud-acme.service",
      { MULTICLOUD_ACME_SLOT_SECONDS: SLOT_SECONDS },
      180_000,
    );
    let serial = "";
    for (let attempt = 0; attempt < 50 && (serial === "" || serial === firstSerial); attempt++) {
      serial = /serial=(\w+)/.exec(await served("www.example.jp"))?.[1] ?? "";
      if (serial === firstSerial) await sleep(100);
    }
    assert.notEqual(serial, firstSerial, "a new certificate is served");
    assert.equal(
      (await onHost("cat /run/nginx.pid")).trim(),
      nginxPid,
      "nginx was reloaded, not restarted",
    );
    const log = await onHost("cat /var/log/letsencrypt/letsencrypt.log");
    assert.match(log, /Renewing an existing certificate/);
  });
});

// The checks run curl and openssl on the host; both are the machine's.
for (const program of ["curl", "openssl", "certbot"]) {
  assert.equal(
    spawnSync("sh", ["-c", `command -v ${program}`]).status,
    0,
    `${program} is installed (.ci/run)`,
  );
}
