// nginx, running the rendered front config in a network namespace, behind which an app stand-in
// echoes the headers it is given. Requests come from the load balancer's addresses (the ALB's
// public subnets, Google's front ends) and from anywhere else: only the load balancer's word on the
// client and the scheme is taken. Expected values are the requirement's, written here.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { renderRegionHosts } from "../../components/host";
import { NGINX_APP_SERVERS_PATH, NGINX_CONF_PATH } from "../../components/host/nginx";
import { withScratchCertificate } from "./front-certificate";
import { Namespace } from "./netns";
import { loadStack, type Stack, scratchDir } from "./support";
import { sleep } from "./unbound-region";

const APP = "10.99.64.50";
const ELSEWHERE = "198.51.100.7";
const namespaces = new Set<Namespace>();
after(async () => {
  await Promise.all([...namespaces].map((namespace) => namespace.destroy()));
});

/** Starts the stack's rendered nginx config (its app servers: the stand-in) inside `namespace`. */
async function startNginx(stack: Stack, namespace: Namespace): Promise<void> {
  const nginx = renderRegionHosts(loadStack(stack)).nginx;
  assert.ok(nginx);
  const site = nginx.files.find((file) => file.path === NGINX_CONF_PATH)?.content ?? "";
  const prefix = scratchDir(`nginx-live-${stack}`);
  writeFileSync(join(prefix, "app-servers.conf"), `server ${APP}:8080;\n`);
  // The changes to the rendered file: where the generated server list and the certificate live.
  writeFileSync(
    join(prefix, "multicloud.conf"),
    withScratchCertificate(
      site.replace(NGINX_APP_SERVERS_PATH, join(prefix, "app-servers.conf")),
      prefix,
    ),
  );
  const main = readFileSync("/etc/nginx/nginx.conf", "utf8")
    .replace(/^pid .*$/m, `pid ${join(prefix, "nginx.pid")};`)
    .replace(/^error_log .*$/m, `error_log ${join(prefix, "error.log")};`)
    .replace(/access_log \S+;/, `access_log ${join(prefix, "access.log")};`)
    .replace("include /etc/nginx/conf.d/*.conf;", `include ${join(prefix, "multicloud.conf")};`)
    .replace("include /etc/nginx/sites-enabled/*;", "");
  writeFileSync(join(prefix, "nginx.conf"), main);
  const app = namespace.spawn(process.execPath, [
    "-e",
    `require("node:http").createServer((q, r) => r.end(JSON.stringify(q.headers)))` +
      `.listen(8080, "${APP}", () => console.log("ready"))`,
  ]);
  await new Promise<void>((resolve) => app.stdout?.once("data", () => resolve()));
  const daemon = namespace.spawn("nginx", [
    ...["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")],
    ...["-g", "daemon off;"],
  ]);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (daemon.exitCode !== null) throw new Error(readFileSync(join(prefix, "error.log"), "utf8"));
    const probe = await namespace.exec("curl", [
      "-s",
      "-o",
      "/dev/null",
      "http://127.0.0.1/healthz",
    ]);
    if (probe.status === 0) return;
    await sleep(100);
  }
  throw new Error("nginx did not answer");
}

/** What the app is told when `from` sends a request carrying `headers`. */
async function appSees(
  namespace: Namespace,
  from: string,
  headers: Record<string, string>,
  scheme = "http",
) {
  // -k: the scratch certificate of a front that terminates TLS is self-signed.
  const args = ["-s", "-k", "--interface", from, `${scheme}://${from}/orders`];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  const result = await namespace.exec("curl", args);
  assert.equal(result.status, 0, result.stderr);
  const seen = JSON.parse(result.stdout) as Record<string, string>;
  return {
    realIp: seen["x-real-ip"],
    forwardedFor: seen["x-forwarded-for"],
    proto: seen["x-forwarded-proto"],
  };
}

const SPOOFED = { "X-Forwarded-For": "192.0.2.66", "X-Forwarded-Proto": "https" };

describe("nginx behind each front", { concurrency: true, timeout: 60_000 }, () => {
  const cases: {
    stack: Stack;
    balancer?: string;
    fromBalancer?: Record<string, string>;
    /** What clients use: jp's nginx terminates TLS itself (HTTP is redirected). */
    scheme?: "https";
  }[] = [
    // The ALB appends the client it saw to what the client sent.
    {
      stack: "us",
      balancer: "10.20.0.10",
      fromBalancer: { "X-Forwarded-For": "192.0.2.66, 203.0.113.7", "X-Forwarded-Proto": "https" },
    },
    // Google's front end appends the client and then the load balancer's own address.
    {
      stack: "uk",
      balancer: "35.191.0.10",
      fromBalancer: {
        "X-Forwarded-For": "192.0.2.66, 203.0.113.7, 34.120.0.1",
        "X-Forwarded-Proto": "https",
      },
    },
    { stack: "jp", scheme: "https" },
  ];
  for (const { stack, balancer, fromBalancer, scheme } of cases) {
    test(`${stack}: the client and scheme the app is told`, async () => {
      const namespace = Namespace.create(`nginx-${stack}`, [APP, ELSEWHERE, balancer ?? APP]);
      namespaces.add(namespace);
      try {
        await startNginx(stack, namespace);
        if (balancer && fromBalancer) {
          assert.deepEqual(await appSees(namespace, balancer, fromBalancer), {
            realIp: "203.0.113.7",
            forwardedFor: "192.0.2.66, 203.0.113.7",
            proto: "https",
          });
        }
        // Anyone else's headers are not believed: the peer is the client, the scheme is its own.
        assert.deepEqual(await appSees(namespace, ELSEWHERE, SPOOFED, scheme), {
          realIp: ELSEWHERE,
          forwardedFor: `192.0.2.66, ${ELSEWHERE}`,
          proto: scheme ?? "http",
        });
      } finally {
        namespaces.delete(namespace);
        await namespace.destroy();
      }
    });
  }
});
