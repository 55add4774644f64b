// unbound, running: the rendered unbound.conf on loopback, a DNS stand-in for the Consul agent (and for
// the cloud's private zone where the internal zone is forwarded), queries with Debian's dig.
// Consul names, internal names and chocon names answer; then the stand-in stops and every name
// asked before must still answer from the cache (serve-expired).
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { siteFacts } from "../../components/host/site-facts";
import {
  CONSUL_DNS,
  ROOT_TRUST_ANCHOR_PATH,
  renderUnboundConf,
  UNBOUND_CONTROL_SOCKET,
} from "../../components/host/unbound";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import { startStandIn } from "./dns-stand-in";
import { loadStack, type Stack, scratchDir } from "./support";

const exec = promisify(execFile);
const TTL = 2;
const running: ChildProcess[] = [];
after(() => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * The whole test-only transformation of the rendered file: unbound's port, every upstream (Consul's
 * 127.0.0.1@8600 and the cloud or Sakura resolvers) moved to the stand-in, the trust anchor and the
 * control socket moved into the scratch directory (the anchor a copy of the packaged root key, as
 * the package's unit makes it), and the settings that let it run in the foreground from there.
 */
function forTest(conf: string, dir: string, port: number, standIn: number): string {
  const rootKey = join(dir, "root.key");
  writeFileSync(rootKey, readFileSync("/usr/share/dns/root.key", "utf8"));
  const moved = conf
    .replace(/^ {4}port: 53$/m, `    port: ${port}`)
    .replace(/^( {4}forward-addr: )\S+$/gm, `$1127.0.0.1@${standIn}`)
    .replace(`"${ROOT_TRUST_ANCHOR_PATH}"`, `"${rootKey}"`)
    .replace(
      `control-interface: ${UNBOUND_CONTROL_SOCKET}`,
      `control-interface: ${dir}/unbound.ctl`,
    );
  assert.ok(moved.includes(rootKey) && moved.includes(`${dir}/unbound.ctl`));
  const runtime = [
    `    directory: "${dir}"`,
    `    pidfile: "${join(dir, "unbound.pid")}"`,
    '    username: ""',
    '    chroot: ""',
    "    use-syslog: no",
  ].join("\n");
  return moved.replace(/^server:$/m, `server:\n${runtime}`);
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

interface Answer {
  readonly status: string;
  readonly addresses: string[];
  readonly cname: string[];
}

async function dig(port: number, name: string): Promise<Answer> {
  const { stdout } = await exec("dig", [
    "@127.0.0.1",
    "-p",
    String(port),
    "+time=3",
    "+tries=1",
    "+noall",
    "+comments",
    "+answer",
    name,
    "A",
  ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? "NO-ANSWER";
  const records = stdout.split("\n").filter((line) => line.length > 0 && !line.startsWith(";"));
  const field = (type: string) =>
    records
      .map((line) => line.split(/\s+/))
      .filter((parts) => parts[3] === type)
      .map((parts) => parts[4] ?? "");
  return { status, addresses: field("A").sort(), cname: field("CNAME") };
}

async function startUnbound(conf: string, dir: string, port: number): Promise<ChildProcess> {
  const path = join(dir, "unbound.conf");
  writeFileSync(path, conf);
  const child = spawn("unbound", ["-d", "-c", path], { stdio: ["ignore", "ignore", "pipe"] });
  running.push(child);
  let log = "";
  child.stderr?.on("data", (chunk) => {
    log += String(chunk);
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) throw new Error(`unbound exited: ${log}`);
    const probe = await dig(port, "localhost");
    if (probe.status === "NOERROR") return child;
    await sleep(100);
  }
  throw new Error(`unbound did not answer on ${port}: ${log}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

describe("unbound with the rendered configuration", { concurrency: true }, () => {
  for (const stack of ["jp", "us"] as Stack[]) {
    test(`${stack}: consul, internal and chocon names answer, and keep answering while upstreams are down`, async () => {
      const spec = loadStack(stack);
      const facts = siteFacts(spec);
      const hosts = fixedHosts(spec);
      const zone = facts.internalZone.zone;
      const chocon = hosts
        .filter((host) => host.role === "chocon")
        .map((host) => host.address)
        .sort();
      const consul = new Map<string, string[]>([
        ["chocon.service.consul", chocon],
        ["app.service.consul", ["10.99.0.11", "10.99.0.12"]],
        [
          "mysql.service.consul",
          hosts
            .filter((h) => h.role === "mysql")
            .map((h) => h.address)
            .sort(),
        ],
      ]);
      const records = new Map(consul);
      // Where the zone is forwarded (AWS, GCP), the stand-in also plays the cloud's private zone.
      if (facts.internalZone.kind === "forward") {
        for (const record of internalRecords(hosts))
          records.set(`${record.name}.${zone}`, [...record.values]);
      }
      const standIn = await startStandIn(records, TTL);
      const dir = scratchDir(`unbound-${stack}`);
      const port = await freeUdpPort();
      const conf = forTest(renderUnboundConf(facts), dir, port, standIn.port);
      assert.ok(conf.includes(`@${standIn.port}`) && !conf.includes(`@${CONSUL_DNS.port}`));
      const unbound = await startUnbound(conf, dir, port);
      // unbound-control reaches it over the local socket only.
      const control = await exec("unbound-control", ["-c", join(dir, "unbound.conf"), "status"]);
      assert.match(control.stdout, /is running/);

      const util1 = hosts.find((host) => host.name === "util-1");
      assert.ok(util1);
      const expected = new Map<string, string[]>([
        ...consul,
        [`util-1.${zone}`, [util1.address]],
        [`chocon.${zone}`, chocon],
        ["api.example.com.ccnproxy-https", chocon],
        ["api.example.com.ccnproxy-secure", chocon],
        ["api.example.com.ccnproxy-ssl", chocon],
        ["www.example.org.ccnproxy", chocon],
      ]);

      for (const [name, addresses] of expected) {
        const answer = await dig(port, name);
        assert.equal(answer.status, "NOERROR", `${name}: ${answer.status}`);
        assert.deepEqual(answer.addresses, addresses, name);
        if (name.includes(".ccnproxy"))
          assert.deepEqual(answer.cname, ["chocon.service.consul."], name);
      }
      assert.ok(standIn.queries.some((query) => query.startsWith("chocon.service.consul")));

      // The outage: the stand-in goes away and every answer's TTL runs out.
      await standIn.close();
      await sleep(TTL * 1000 + 1500);
      let answered = 0;
      const missing: string[] = [];
      for (const [name, addresses] of expected) {
        const answer = await dig(port, name);
        if (answer.status === "NOERROR" && answer.addresses.join() === addresses.join()) answered++;
        else missing.push(`${name} (${answer.status})`);
      }
      console.log(
        `${stack}: during the outage unbound answered ${answered} of ${expected.size} names asked before`,
      );
      assert.deepEqual(missing, []);
      await stop(unbound);
    });
  }

  test("the private-name settings are needed: without them Consul names fail", async () => {
    const spec = loadStack("jp");
    const facts = siteFacts(spec);
    const standIn = await startStandIn(new Map([["chocon.service.consul", ["10.10.69.16"]]]), TTL);
    const rendered = renderUnboundConf(facts);
    const variants = {
      // Validation expects a DNSSEC chain from the root for consul. and finds none.
      "no domain-insecure": rendered.replace(/^ {4}domain-insecure: .*\n/gm, ""),
      // unbound refuses to send queries to 127.0.0.1 by default.
      "no do-not-query-localhost": rendered.replace(/^ {4}do-not-query-localhost: no\n/m, ""),
    };
    for (const [label, conf] of Object.entries(variants)) {
      assert.notEqual(conf, rendered, label);
      const dir = scratchDir("unbound-negative");
      const port = await freeUdpPort();
      const unbound = await startUnbound(forTest(conf, dir, port, standIn.port), dir, port);
      const answer = await dig(port, "chocon.service.consul");
      assert.notEqual(answer.status, "NOERROR", `${label}: chocon.service.consul still answered`);
      await stop(unbound);
    }
    // The same stand-in, with the rendered settings, answers.
    const dir = scratchDir("unbound-positive");
    const port = await freeUdpPort();
    const unbound = await startUnbound(forTest(rendered, dir, port, standIn.port), dir, port);
    assert.deepEqual((await dig(port, "chocon.service.consul")).addresses, ["10.10.69.16"]);
    await stop(unbound);
    await standIn.close();
  });
});
