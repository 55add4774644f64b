// Three defects rendered into jp's files, each of which the estate must catch: a wrong Consul DNS
// port in unbound.conf, no gossip key in Consul's secrets, and a chocon suffix missing from unbound.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Role } from "../../components/spec/hosts";
import { ask, detail, dns, joined, passing, questions, show } from "./checks";
import { type EstateHost, PARTNER, Region } from "./region";

export interface Defect {
  readonly name: string;
  readonly mutate: (role: Role, path: string, content: string) => string;
}

function changed(before: string, after: string, what: string): string {
  if (after === before) throw new Error(`the defect "${what}" changed nothing`);
  return after;
}

export const DEFECTS: readonly Defect[] = [
  {
    name: "a wrong Consul DNS port in unbound.conf",
    mutate: (_role, path, content) =>
      path === "/etc/unbound/unbound.conf"
        ? changed(
            content,
            content.replace("forward-addr: 127.0.0.1@8600", "forward-addr: 127.0.0.1@8601"),
            "port",
          )
        : content,
  },
  {
    name: "no gossip key in Consul's secrets",
    mutate: (_role, path, content) => {
      if (path !== "/etc/multicloud/consul-secrets.json.in") return content;
      const { encrypt: _key, ...rest } = JSON.parse(content) as Record<string, unknown>;
      return changed(content, `${JSON.stringify(rest, null, 2)}\n`, "gossip key");
    },
  },
  {
    name: "the ccnproxy-https suffix missing from unbound.conf",
    mutate: (_role, path, content) =>
      path === "/etc/unbound/unbound.conf"
        ? changed(
            content,
            content
              .split("\n")
              .filter((line) => !line.includes('"ccnproxy-https.'))
              .join("\n"),
            "suffix",
          )
        : content,
  },
];

/** Each defect in its own small jp region (util, app, chocon hosts): the estate must fail it. */
export function describeDefects(): void {
  describe("estate jp rendered with a defect", { concurrency: false }, () => {
    const [port, gossip, suffix] = DEFECTS as [Defect, Defect, Defect];
    const start = async (defect: Defect) => {
      const region = new Region({
        stack: "jp",
        roles: ["util", "app", "chocon"],
        mutate: defect.mutate,
      });
      try {
        await region.start();
        await region.waitFor(
          "app and chocon to pass their checks",
          60_000,
          async () =>
            (await passing(region, "app")) === 1 && (await passing(region, "chocon")) === 1,
        );
      } catch (error) {
        region.stop();
        throw error;
      }
      return region;
    };
    const booted = (region: Region) => region.running();

    test(port.name, { timeout: 240_000 }, async () => {
      const region = await start(port);
      try {
        const figure = await dns(
          region,
          booted(region),
          questions(region).filter((q) => q.name.endsWith(".consul")),
        );
        console.log(`defect, ${port.name}: dns ${show(figure)}`);
        assert.equal(figure.good, 0, detail(figure));
        // Consul itself answers on its port: the failure is unbound's.
        const direct = await ask(
          region.ofRole("app")[0] as EstateHost,
          ["chocon.service.consul"],
          8600,
        );
        assert.equal(direct.get("chocon.service.consul")?.addresses.length, 1);
      } finally {
        region.stop();
      }
    });

    test(gossip.name, { timeout: 240_000 }, async () => {
      const region = await start(gossip);
      try {
        const figure = await joined(region, booted(region));
        console.log(`defect, ${gossip.name}: ${show(figure)} joined with the gossip key`);
        assert.equal(figure.good, 0, detail(figure));
        assert.equal(figure.total, 5);
      } finally {
        region.stop();
      }
    });

    test(suffix.name, { timeout: 240_000 }, async () => {
      const region = await start(suffix);
      try {
        const asked = questions(region).filter((q) => q.name.endsWith(".ccnproxy-https"));
        assert.equal(asked.length, 1);
        const figure = await dns(region, booted(region), asked);
        console.log(`defect, ${suffix.name}: dns ${show(figure)}`);
        assert.equal(figure.good, 0, detail(figure));
        // The other suffixes still answer as chocon (asked again while the answer is empty: a
        // lookup through unbound and Consul can time out once on a loaded machine).
        const otherName = `${PARTNER.name}.ccnproxy-secure`;
        const app = region.ofRole("app")[0] as EstateHost;
        let addresses: readonly string[] | undefined;
        await region
          .waitFor(`an answer for ${otherName}`, 20_000, async () => {
            addresses = (await ask(app, [otherName])).get(otherName)?.addresses;
            return (addresses?.length ?? 0) > 0;
          })
          .catch(() => undefined);
        assert.deepEqual(addresses, asked[0]?.addresses);
      } finally {
        region.stop();
      }
    });
  });
}
