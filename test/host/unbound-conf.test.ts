// What the rendered resolver files say, against the values the estate requires (literals here):
// unbound's upstream health settings and TTL floor, the reverse zone on Sakura, GCE's own names sent
// to the metadata server, and glibc's retry policy in resolv.conf.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { siteFacts } from "../../components/host/site-facts";
import { renderResolvConf, renderUnboundConf } from "../../components/host/unbound";
import { loadStack } from "./support";

const jp = loadStack("jp");
const us = loadStack("us");
const uk = loadStack("uk");

/** The server: clause's settings, one `name: value` per line, comments dropped. */
function serverSettings(conf: string): string[] {
  const server = conf.split(/^(?:remote-control|forward-zone):$/m)[0] ?? "";
  return server
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}

describe("unbound.conf settings", () => {
  test("upstream health: short retries, quick to forget, a TTL floor for Consul's answers", () => {
    for (const spec of [jp, us, uk]) {
      const settings = serverSettings(renderUnboundConf(siteFacts(spec)));
      // Exactly these: infra-keep-probing would be inert under a 600 ms ceiling.
      assert.deepEqual(
        settings.filter((line) => /^(?:infra-|outbound-msg-retry:)/.test(line)),
        [
          "infra-cache-min-rtt: 200",
          "infra-cache-max-rtt: 600",
          "outbound-msg-retry: 2",
          "infra-host-ttl: 1",
        ],
        spec.name,
      );
      for (const line of [
        "cache-min-ttl: 5",
        "serve-expired: yes",
        "serve-expired-ttl: 86400",
        "serve-expired-client-timeout: 100",
      ])
        assert.ok(settings.includes(line), `${spec.name}: ${line}`);
    }
  });

  test("jp answers reverse lookups of its hosts from the zone data", () => {
    const settings = serverSettings(renderUnboundConf(siteFacts(jp)));
    assert.ok(settings.includes('local-zone: "10.10.in-addr.arpa." static'));
    for (const line of [
      'local-data-ptr: "10.10.68.16 300 util-1.local."',
      'local-data-ptr: "10.10.68.18 300 util-3.local."',
      'local-data-ptr: "10.10.192.21 300 db01.local."',
      'local-data-ptr: "10.10.69.17 300 chocon-2.local."',
    ])
      assert.ok(settings.includes(line), line);
    // One pointer per host: the role names (util.local, chocon.local) have none.
    const pointers = settings.filter((line) => line.startsWith("local-data-ptr:"));
    assert.equal(pointers.length, new Set(pointers.map((line) => line.split(" ")[1])).size);
    assert.ok(
      !pointers.some((line) => / (util|chocon|app|mysql|nginx|memcached)\.local\./.test(line)),
    );
    // AWS and GCP answer reverse lookups through the cloud's resolver instead.
    for (const spec of [us, uk])
      assert.ok(!renderUnboundConf(siteFacts(spec)).includes("local-data-ptr"), spec.name);
  });

  test("uk sends GCE's own names (*.internal) to the metadata server whatever the upstreams", () => {
    const own = { ...uk, dns: { ...uk.dns, upstreams: ["192.0.2.53"] } };
    const conf = renderUnboundConf(siteFacts(own));
    assert.match(
      conf,
      /^forward-zone:\n {4}name: "internal\."\n {4}forward-addr: 169\.254\.169\.254$/m,
    );
    assert.match(
      conf,
      /^forward-zone:\n {4}name: "local\."\n {4}forward-addr: 169\.254\.169\.254$/m,
    );
    assert.match(conf, /^forward-zone:\n {4}name: "\."\n {4}forward-addr: 192\.0\.2\.53$/m);
    assert.doesNotMatch(renderUnboundConf(siteFacts(us)), /name: "internal\."/);
  });

  test("resolv.conf: unbound only, the internal zone searched, a retry every second for 5 s", () => {
    for (const spec of [jp, us, uk]) {
      const lines = renderResolvConf(siteFacts(spec))
        .split("\n")
        .filter((line) => line.length > 0 && !line.startsWith("#"));
      assert.deepEqual(lines, [
        "nameserver 127.0.0.1",
        "search local",
        "options edns0 trust-ad timeout:1 attempts:5",
      ]);
    }
  });
});
