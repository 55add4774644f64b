// unbound, running the rendered unbound.conf of each stack as on a host: in a network namespace
// where each upstream the file names (the Consul agent at 127.0.0.1@8600, the cloud's resolver,
// Sakura's resolvers) is a DNS stand-in of its own on that very address, knowing only what that
// upstream answers. Names answer and reach the right upstream; every name keeps answering while
// the upstreams are down (serve-expired); a restarted Consul agent is asked again at once; a host
// whose resolvers are all silent gets SERVFAIL within seconds. Queries with Debian's dig and glibc;
// the two timed ones come from programs played in a stand-in's process (dns-stand-in-ask.ts), timed
// by its own clock, so that a loaded machine does not stretch the figures.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { siteFacts } from "../../components/host/site-facts";
import { renderResolvConf, renderUnboundConf } from "../../components/host/unbound";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import type { RegionSpec } from "../../components/spec/schema";
import { loadStack, type Stack } from "./support";
import { LiveResolver, sleep, type UpstreamData } from "./unbound-region";

const TTL = 2;
/** Long enough for unbound's default back-off to keep a restarted agent unasked for seconds. */
const CONSUL_OUTAGE_MS = 25_000;
/**
 * How long a test waits for a condition it polls for: far beyond what it takes, so that only a
 * condition that never comes fails it, however loaded the machine.
 */
const CONDITION_DEADLINE_MS = 30_000;
/** How often the host's programs ask again while Consul comes back. */
const PROGRAM_RESEND_MS = 100;
const running = new Set<LiveResolver>();
after(async () => {
  await Promise.all([...running].map((resolver) => resolver.stop()));
});

async function start(label: string, spec: RegionSpec, ttl = TTL): Promise<LiveResolver> {
  const facts = siteFacts(spec);
  const hosts = fixedHosts(spec);
  const byRole = (role: string) =>
    hosts
      .filter((host) => host.role === role)
      .map((host) => host.address)
      .sort();
  const zone = facts.internalZone.zone;
  const util1 = hosts.filter((host) => host.name === "util-1").map((host) => host.address);
  const data: UpstreamData = {
    "consul.": {
      "chocon.service.consul": byRole("chocon"),
      "app.service.consul": ["10.99.0.11", "10.99.0.12"],
      "mysql.service.consul": byRole("mysql"),
    },
    // The cloud's private zone, where the zone is forwarded (AWS, GCP).
    [`${zone}.`]: Object.fromEntries(
      internalRecords(hosts).map((record) => [`${record.name}.${zone}`, [...record.values]]),
    ),
    // GCE's own names, which only the metadata server knows.
    "internal.": { "util-1.europe-west2-a.c.example-uk-prod.internal": util1 },
    ".": { "www.example.com": ["203.0.113.10"] },
  };
  const resolver = await LiveResolver.start(label, renderUnboundConf(facts), data, {
    ttl,
    hostAddresses: util1,
  });
  running.add(resolver);
  return resolver;
}

async function stop(resolver: LiveResolver): Promise<void> {
  running.delete(resolver);
  await resolver.stop();
}

/** The names every host resolves, with the answers the requirement gives (fixed addresses). */
const EXPECTED: Record<Stack, Record<string, string[]>> = {
  jp: {
    "util-1.local": ["10.10.68.16"],
    "db01.local": ["10.10.192.21"],
    "chocon.local": ["10.10.69.16", "10.10.69.17"],
    "chocon.service.consul": ["10.10.69.16", "10.10.69.17"],
    "app.service.consul": ["10.99.0.11", "10.99.0.12"],
    "api.example.com.ccnproxy-https": ["10.10.69.16", "10.10.69.17"],
    "api.example.com.ccnproxy-secure": ["10.10.69.16", "10.10.69.17"],
    "api.example.com.ccnproxy-ssl": ["10.10.69.16", "10.10.69.17"],
    "www.example.org.ccnproxy": ["10.10.69.16", "10.10.69.17"],
  },
  us: {
    "util-1.local": ["10.20.68.16"],
    "chocon.local": ["10.20.69.16", "10.20.85.16"],
    "chocon.service.consul": ["10.20.69.16", "10.20.85.16"],
    "app.service.consul": ["10.99.0.11", "10.99.0.12"],
    "api.example.com.ccnproxy-https": ["10.20.69.16", "10.20.85.16"],
    "www.example.org.ccnproxy": ["10.20.69.16", "10.20.85.16"],
  },
  uk: {
    "util-1.local": ["10.30.68.16"],
    "chocon.local": ["10.30.69.16", "10.30.85.16"],
    "chocon.service.consul": ["10.30.69.16", "10.30.85.16"],
    "app.service.consul": ["10.99.0.11", "10.99.0.12"],
    "api.example.com.ccnproxy-https": ["10.30.69.16", "10.30.85.16"],
    "util-1.europe-west2-a.c.example-uk-prod.internal": ["10.30.68.16"],
  },
};

/** Which upstream (forward-addr) must receive each kind of name, per stack. */
const ROUTES: Record<Stack, { consul: string[]; internal: string[]; public: string[] }> = {
  jp: { consul: ["127.0.0.1@8600"], internal: [], public: ["210.188.224.10", "210.188.224.11"] },
  us: { consul: ["127.0.0.1@8600"], internal: ["169.254.169.253"], public: ["169.254.169.253"] },
  uk: { consul: ["127.0.0.1@8600"], internal: ["169.254.169.254"], public: ["169.254.169.254"] },
};

async function assertAnswers(resolver: LiveResolver, expected: Record<string, string[]>) {
  const wrong: string[] = [];
  for (const [name, addresses] of Object.entries(expected)) {
    const answer = await resolver.dig(name);
    if (answer.status !== "NOERROR" || answer.addresses.join() !== addresses.join())
      wrong.push(`${name}: ${answer.status} ${answer.addresses.join()}`);
    if (name.includes(".ccnproxy"))
      assert.deepEqual(answer.cname, ["chocon.service.consul."], name);
  }
  return wrong;
}

describe("unbound with the rendered configuration", { concurrency: true, timeout: 180_000 }, () => {
  for (const stack of ["jp", "us", "uk"] as Stack[]) {
    test(`${stack}: names answer from the right upstream, survive an outage, follow a restarted Consul, fail fast when resolvers are silent`, async () => {
      const spec = loadStack(stack);
      const resolver = await start(stack, spec);
      try {
        const expected = EXPECTED[stack];
        assert.deepEqual(await assertAnswers(resolver, expected), []);

        // Each name went to the upstream its zone is forwarded to, and to no other.
        const routes = ROUTES[stack];
        assert.deepEqual(await resolver.askedBy("chocon.service.consul"), routes.consul);
        assert.deepEqual(await resolver.askedBy("app.service.consul"), routes.consul);
        assert.deepEqual(await resolver.askedBy("util-1.local"), routes.internal);
        if (stack === "uk")
          assert.deepEqual(
            await resolver.askedBy("util-1.europe-west2-a.c.example-uk-prod.internal"),
            ["169.254.169.254"],
          );
        // Unvalidated (no stand-in can sign for the root): the answer of the stand-in asked.
        assert.deepEqual((await resolver.dig("www.example.com", { cd: true })).addresses, [
          "203.0.113.10",
        ]);
        const publicAskedBy = await resolver.askedBy("www.example.com");
        assert.ok(publicAskedBy.length > 0, "the public name reached an upstream");
        assert.ok(
          publicAskedBy.every((upstream) => routes.public.includes(upstream)),
          `${publicAskedBy}`,
        );

        // glibc, through the rendered resolv.conf: short names are looked up in the internal zone.
        const glibc = await resolver.withResolvConf(
          renderResolvConf(siteFacts(spec)),
          "getent ahostsv4 util-1",
        );
        assert.match(
          glibc.stdout,
          new RegExp(`^${expected["util-1.local"]?.[0]}\\s`),
          glibc.stderr,
        );

        // The outage: Consul and the cloud's resolver stop; every answer's TTL runs out, names keep
        // answering from the cache (serve-expired) for as long as the outage lasts.
        const consul = resolver.upstreams.get("127.0.0.1@8600");
        assert.ok(consul);
        await consul.close();
        for (const upstream of routes.internal) await resolver.upstreams.get(upstream)?.close();
        const outageStart = Date.now();
        let rounds = 0;
        while (Date.now() - outageStart < CONSUL_OUTAGE_MS) {
          assert.deepEqual(
            await assertAnswers(resolver, expected),
            [],
            `${Date.now() - outageStart} ms into the outage`,
          );
          rounds++;
          await sleep(1000);
        }

        // Consul comes back with another set of app servers while the host's programs keep asking
        // (every 100 ms): unbound asks Consul again at once and they get the new set. unbound holds
        // a server that timed out as down until its infra-host-ttl (1 s, on unbound's whole-second
        // clock) runs out, counted from the last question it sent there, so at most 2 s once no
        // question of the outage is in flight. The programs run in the stand-in's own process, so
        // the figures are free of process start-ups and of the test's own scheduling, which a
        // loaded machine stretches.
        await resolver.settled(CONDITION_DEADLINE_MS);
        await consul.open({ "app.service.consul": ["10.99.0.21"] });
        const restarted = await consul.ask("app.service.consul", {
          resendMs: PROGRAM_RESEND_MS,
          deadlineMs: CONDITION_DEADLINE_MS,
          until: ["10.99.0.21"],
        });
        await consul.sync();
        const firstToConsul = consul.firstAfterOpen("app.service.consul");
        // From the first program's question; unbound may have resent a question of the outage
        // before it (then 0).
        const askedAgain =
          firstToConsul === undefined
            ? Number.POSITIVE_INFINITY
            : Math.max(0, firstToConsul - restarted.sentAt);
        console.log(
          `${stack}: answered through a ${CONSUL_OUTAGE_MS / 1000} s outage (${rounds} rounds); Consul was asked ${askedAgain} ms after programs began asking, which had the new set after ${restarted.elapsedMs} ms`,
        );
        // The 2 s run out between two of the programs' questions: the next one, at most one resend
        // later, is what unbound asks Consul for.
        assert.ok(
          askedAgain <= 2000 + PROGRAM_RESEND_MS,
          `Consul asked again ${askedAgain} ms after clients asked`,
        );
        assert.deepEqual(restarted.addresses, ["10.99.0.21"], "the restarted Consul's answer");
        assert.ok(restarted.elapsedMs < 10_000, `the new set after ${restarted.elapsedMs} ms`);
        // And so does dig, from then on.
        assert.deepEqual((await resolver.dig("app.service.consul")).addresses, ["10.99.0.21"]);

        // The cloud's resolver comes back too, with its names, so that below it is silent rather
        // than closed.
        for (const upstream of routes.internal) await resolver.upstreams.get(upstream)?.open();

        // Every resolver for public names goes silent (packets dropped): a program that sends its
        // query again every second, as glibc does with the rendered resolv.conf, gets SERVFAIL
        // within 5 s of its first send (the program's own clock).
        for (const upstream of routes.public) await resolver.upstreams.get(upstream)?.mute(true);
        const silent = await consul.ask("www.example.net", {
          cd: true,
          resendMs: 1000,
          deadlineMs: CONDITION_DEADLINE_MS,
        });
        console.log(
          `${stack}: with every resolver silent, ${silent.status} after ${silent.elapsedMs} ms`,
        );
        assert.equal(silent.status, "SERVFAIL");
        assert.ok(silent.elapsedMs <= 5000, `SERVFAIL after ${silent.elapsedMs} ms`);
      } finally {
        await stop(resolver);
      }
    });
  }

  test("jp: reverse lookups of the hosts' addresses answer from the zone data", async () => {
    const resolver = await start("jp-ptr", loadStack("jp"));
    try {
      for (const [address, name] of [
        ["10.10.68.16", "util-1.local."],
        ["10.10.192.21", "db01.local."],
        ["10.10.69.17", "chocon-2.local."],
      ]) {
        const answer = await resolver.dig(address ?? "", { type: "PTR" });
        assert.equal(answer.status, "NOERROR", address);
        assert.deepEqual(answer.ptr, [name], address);
      }
      // An address of the network without a host: no such name, and no upstream is asked.
      assert.equal((await resolver.dig("10.10.1.1", { type: "PTR" })).status, "NXDOMAIN");
      assert.deepEqual(await resolver.askedBy("1.1.10.10.in-addr.arpa"), []);
    } finally {
      await stop(resolver);
    }
  });

  test("an answer with TTL 0 from Consul is still served while Consul restarts", async () => {
    const resolver = await start("ttl0", loadStack("us"), 0);
    try {
      assert.deepEqual((await resolver.dig("app.service.consul")).addresses, [
        "10.99.0.11",
        "10.99.0.12",
      ]);
      await resolver.upstreams.get("127.0.0.1@8600")?.close();
      await sleep(1500);
      const answer = await resolver.dig("app.service.consul");
      assert.equal(answer.status, "NOERROR");
      assert.deepEqual(answer.addresses, ["10.99.0.11", "10.99.0.12"]);
    } finally {
      await stop(resolver);
    }
  });

  for (const stack of ["us", "uk"] as Stack[]) {
    test(`${stack}: with resolvers of its own for public names, the private zone still goes to the cloud's`, async () => {
      const spec = loadStack(stack);
      const own = { ...spec, dns: { ...spec.dns, upstreams: ["192.0.2.53"] } };
      const resolver = await start(`${stack}-own`, own);
      try {
        const cloud = stack === "us" ? "169.254.169.253" : "169.254.169.254";
        assert.deepEqual(
          (await resolver.dig("util-1.local")).addresses,
          EXPECTED[stack]["util-1.local"],
        );
        assert.deepEqual(await resolver.askedBy("util-1.local"), [cloud]);
        if (stack === "uk") {
          const gce = "util-1.europe-west2-a.c.example-uk-prod.internal";
          assert.deepEqual((await resolver.dig(gce)).addresses, ["10.30.68.16"]);
          assert.deepEqual(await resolver.askedBy(gce), [cloud]);
        }
        await resolver.dig("www.example.com", { cd: true });
        assert.deepEqual(await resolver.askedBy("www.example.com"), ["192.0.2.53"]);
        assert.deepEqual(await resolver.askedBy("app.service.consul"), []);
        await resolver.dig("app.service.consul");
        assert.deepEqual(await resolver.askedBy("app.service.consul"), ["127.0.0.1@8600"]);
      } finally {
        await stop(resolver);
      }
    });
  }

  test("the private-name settings are needed: without them Consul names fail", async () => {
    const spec = loadStack("jp");
    const rendered = renderUnboundConf(siteFacts(spec));
    const variants = {
      // Validation expects a DNSSEC chain from the root for consul. and finds none.
      "no domain-insecure": rendered.replace(/^ {4}domain-insecure: .*\n/gm, ""),
      // unbound refuses to send queries to 127.0.0.1 by default.
      "no do-not-query-localhost": rendered.replace(/^ {4}do-not-query-localhost: no\n/m, ""),
    };
    for (const [label, conf] of Object.entries(variants)) {
      assert.notEqual(conf, rendered, label);
      const resolver = await LiveResolver.start(
        `neg-${label.length}`,
        conf,
        { "consul.": { "chocon.service.consul": ["10.10.69.16"] } },
        { ttl: TTL },
      );
      running.add(resolver);
      try {
        // SERVFAIL, not a dig that gave up waiting: unbound itself refused the name.
        const answer = await resolver.dig("chocon.service.consul");
        assert.equal(answer.status, "SERVFAIL", `${label}: chocon.service.consul`);
      } finally {
        await stop(resolver);
      }
    }
  });
});
