// One stack's region, run for real: what it proves, each as a test with a figure, and the one line
// that sums it up:
//   estate <stack>: consul <leaders>/<servers> leader, <joined>/<hosts> joined; dns <answered>/<asked>;
//   ccnproxy handshakes <n>/100; outage answered <answered>/<asked>
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { StackName } from "../support/stacks";
import {
  acls,
  api,
  ask,
  detail,
  dns,
  joined,
  leaders,
  questions,
  sequentialCalls,
  settledDns,
  show,
} from "./checks";
import { type EstateHost, PARTNER, Region } from "./region";

const CALLS = 100;
/** How long a caller waits for chocon before it gives up. */
const CALLER_TIMEOUT_S = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStack(stack: StackName): void {
  describe(`estate ${stack}`, { concurrency: false }, () => {
    const region = new Region({ stack });
    const figures: Record<string, string> = {};
    const running = () => region.running();
    before(() => region.start(), { timeout: 240_000 });
    after(() => {
      region.stop();
      console.log(
        `estate ${stack}: consul ${figures.leaders ?? "?"} leader, ${figures.joined ?? "?"} joined; dns ${figures.dns ?? "?"}; ccnproxy handshakes ${figures.handshakes ?? "?"}; outage answered ${figures.outage ?? "?"}`,
      );
    });

    test("Consul: one leader of three servers, every agent joined with the gossip key, ACLs deny by default, DNS on the servers' private addresses", {
      timeout: 180_000,
    }, async () => {
      const leader = await leaders(region);
      figures.leaders = show(leader);
      assert.equal(leader.good, 1, detail(leader));
      assert.equal(leader.total, 3);
      assert.deepEqual(leader.failures, []);
      const members = await joined(region, running());
      figures.joined = show(members);
      assert.equal(members.good, 6, detail(members));
      assert.equal(members.total, 6);
      const access = await acls(region);
      assert.deepEqual(access.failures, [], detail(access));
      // Another host asks each Consul server's DNS on its private address, without a token.
      const asker = region.ofRole("nginx")[0] as EstateHost;
      for (const util of region.ofRole("util")) {
        const answer = (await ask(asker, ["consul.service.consul"], 8600, util.address)).get(
          "consul.service.consul",
        );
        assert.equal(answer?.status, "NOERROR", `${util.name}: DNS on ${util.address}:8600`);
        assert.equal(answer?.addresses.length, 3, `${util.name}: the three servers`);
      }
    });

    test("every host's own unbound answers Consul's services, every internal name and chocon names", {
      timeout: 180_000,
    }, async () => {
      // A service is in DNS once Consul's first health check passed (10 s interval).
      await region.waitFor("the app and chocon services to be healthy", 60_000, async () => {
        const answers = await ask(region.ofRole("nginx")[0] as EstateHost, [
          "app.service.consul",
          "chocon.service.consul",
        ]);
        return [...answers.values()].every((answer) => answer.addresses.length > 0);
      });
      const asked = questions(region);
      assert.ok(asked.length >= 8, `only ${asked.length} names to ask`);
      const figure = await settledDns(region, running(), asked);
      figures.dns = show(figure);
      assert.deepEqual(figure.failures, [], detail(figure));
      // The address plan puts util-1 at offset 16 of the util range in the first zone's block.
      const util1 = asked.find((question) => question.name === "util-1.local");
      const expected = { jp: "10.10.68.16", us: "10.20.68.16", uk: "10.30.68.16" }[stack];
      assert.deepEqual(util1?.addresses, [expected]);
    });

    test(`chocon keeps the upstream connection: ${CALLS} sequential calls, at most 2 TLS handshakes upstream`, {
      timeout: 180_000,
    }, async () => {
      const app = region.ofRole("app")[0] as EstateHost;
      const viaChocon = await sequentialCalls(
        region,
        app,
        `http://${PARTNER.name}.ccnproxy-https/estate`,
        CALLS,
      );
      const direct = await sequentialCalls(region, app, `https://${PARTNER.name}/estate`, CALLS);
      figures.handshakes = `${viaChocon.handshakes}/${CALLS}`;
      console.log(
        `${stack}: ${CALLS} calls through chocon made ${viaChocon.handshakes} handshakes upstream, ${direct.handshakes} without it`,
      );
      assert.equal(viaChocon.succeeded, CALLS);
      assert.equal(direct.succeeded, CALLS);
      assert.ok(
        viaChocon.handshakes >= 1 && viaChocon.handshakes <= 2,
        `${viaChocon.handshakes} handshakes`,
      );
      assert.equal(direct.handshakes, CALLS);
    });

    test("nginx follows Consul: a second app server gets traffic after the refresh timer's next run, without a restart", {
      timeout: 180_000,
    }, async () => {
      const nginx = region.ofRole("nginx")[0] as EstateHost;
      const [first, second] = region.ofRole("app") as [EstateHost, EstateHost];
      const master = async () => (await region.run(nginx, "cat /run/nginx.pid")).trim();
      const pidBefore = await master();
      await region.boot(second);
      const took = await region.waitFor(
        "nginx's upstream list to hold the second app server",
        90_000,
        async () => {
          await region
            .run(nginx, "systemctl start multicloud-nginx-upstreams.service")
            .catch(() => "");
          const servers = await region
            .run(nginx, "cat /etc/nginx/multicloud/app-servers.conf")
            .catch(() => "");
          return (
            servers.includes(`${second.address}:8080`) && servers.includes(`${first.address}:8080`)
          );
        },
      );
      console.log(
        `${stack}: nginx listed the second app server ${Math.round(took / 1000)} s after it booted`,
      );
      const requests = async (host: EstateHost) =>
        Number(
          (
            await region.run(
              host,
              "grep -c 'GET /estate' /var/log/estate/app-placeholder.service.log || true",
            )
          ).trim(),
        );
      const before = [await requests(first), await requests(second)];
      // Where nginx terminates TLS (jp) HTTP is redirected to HTTPS, served with the host's
      // self-signed stand-in until it orders a certificate: follow, without verifying.
      await region.run(
        nginx,
        `for i in $(seq 1 20); do curl -s -k -L -o /dev/null --max-time 5 http://${nginx.address}/estate/$i; done; true`,
      );
      const afterCounts = [await requests(first), await requests(second)];
      const served = afterCounts.map((count, i) => count - (before[i] ?? 0));
      console.log(
        `${stack}: nginx sent ${served.join(" and ")} of 20 requests to the two app servers`,
      );
      assert.ok((served[1] ?? 0) > 0, "the second app server got no request");
      assert.ok((served[0] ?? 0) > 0, "the first app server got no request");
      assert.equal(await master(), pidBefore, "nginx was restarted");
    });

    test("faults: one Consul server down, then every server (names keep answering), then chocon (callers get an error in time)", {
      timeout: 180_000,
    }, async () => {
      const utils = region.ofRole("util");
      const leader = JSON.parse(
        await region.run(utils[0] as EstateHost, api("/v1/status/leader")),
      ) as string;
      const stopped = utils.find((host) => leader.startsWith(`${host.address}:`)) as EstateHost;
      await region.run(stopped, "systemctl stop consul");
      const rest = utils.filter((host) => host !== stopped);
      await region.waitFor(
        "a leader among the two servers left",
        30_000,
        async () => (await leaders(region, rest)).failures.length === 0,
      );
      const hosts = running().filter((host) => host !== stopped);
      const quorum = await settledDns(region, hosts);
      assert.deepEqual(quorum.failures, [], detail(quorum));

      // Every server down: what was asked before still answers from unbound's cache once the TTLs
      // have run out (Consul's 10 s), and the internal zone answers.
      const asked = questions(region);
      await Promise.all(rest.map((host) => region.run(host, "systemctl stop consul")));
      await sleep(12_000);
      const consulDown = await ask(
        region.ofRole("app")[0] as EstateHost,
        ["app.service.consul"],
        8600,
      );
      assert.equal(
        consulDown.get("app.service.consul")?.addresses.length ?? 0,
        0,
        "Consul still answers",
      );
      const outage = await dns(region, hosts, asked);
      figures.outage = show(outage);
      assert.deepEqual(outage.failures, [], detail(outage));

      // chocon stops: a caller gets an error within its own timeout, not a hang.
      const chocon = region.ofRole("chocon")[0] as EstateHost;
      await region.run(chocon, "systemctl stop chocon");
      const app = region.ofRole("app")[0] as EstateHost;
      const started = Date.now();
      const code = await region.run(
        app,
        `curl -s -o /dev/null -w '%{http_code}' --max-time ${CALLER_TIMEOUT_S} http://${PARTNER.name}.ccnproxy-https/estate; echo " exit $?"`,
      );
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `${stack}: with chocon stopped the caller got "${code.trim()}" after ${seconds.toFixed(2)} s`,
      );
      assert.doesNotMatch(code, /^200/);
      assert.doesNotMatch(code, /exit 0$/);
      assert.ok(seconds < CALLER_TIMEOUT_S, `the caller waited ${seconds} s`);
    });
  });
}
