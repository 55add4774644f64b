// Region on its own, with a small spec: it picks the site of the spec's cloud, builds the public
// zone and the Consul secrets, and adds GKE only when the spec asks for it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRegionSpec } from "../../components/spec/load";
import { TEST_CHOCON_RELEASE } from "../support/chocon-release";
import { installMocks, runInStack } from "../support/mocks";
import { rawRegion } from "../support/stacks";

const recorder = installMocks("uk");

/** The uk region made small: one of each fixed role where allowed, no GKE. */
function smallSpec() {
  const raw = rawRegion("uk") as Record<string, Record<string, Record<string, unknown>>>;
  raw.hosts = {
    nginx: { count: 1, size: "small" },
    app: { count: 1, size: "small" },
    mysql: { count: 0, size: "small" },
    memcached: { count: 0, size: "small" },
    util: { size: "small" },
    chocon: { count: 0, size: "small" },
  };
  return parseRegionSpec(raw, "Pulumi.uk.yaml");
}

describe("Region", () => {
  it("builds the public zone, the Consul secrets and the GCP site, and no GKE", async () => {
    const { Region } = await import("../../components/region");
    let region: Awaited<InstanceType<typeof Region>["ready"]> | undefined;
    // Resource options are visible only to the stack transformation, not to the mocks.
    const seen = await runInStack(async () => {
      region = await new Region("small", { spec: smallSpec(), chocon: TEST_CHOCON_RELEASE }).ready;
    });
    const options = seen.map((r) => ({
      type: r.type,
      name: r.name,
      protect: r.opts.protect === true,
    }));
    assert.ok(region);
    const types = new Set(recorder.resources.map((r) => r.type));
    assert.ok(types.has("multicloud:index:Region"));
    assert.ok(types.has("multicloud:dns:PublicZone"));
    assert.ok(types.has("multicloud:host:ConsulSecrets"));
    assert.ok(types.has("multicloud:gcp:Site"), "a gcp spec gets the GCP site");
    assert.ok(!types.has("multicloud:aws:Site") && !types.has("multicloud:sakura:Site"));
    assert.ok(!types.has("multicloud:gke:Microservices"), "no gke block, no cluster");
    const zone = recorder.get("aws:route53/zone:Zone", "small-public-zone");
    assert.equal(zone.inputs.name, "example.co.uk");
    const randoms = options.filter((o) => o.type.startsWith("random:"));
    assert.equal(
      randoms.length,
      9,
      "gossip key, management token, a token per role (6), the MySQL replication password",
    );
    assert.ok(
      randoms.every((o) => o.protect),
      "Consul secrets survive a careless destroy",
    );
    const secrets = recorder
      .ofType("gcp:secretmanager/secret:Secret")
      .map((r) => r.inputs.secretId);
    assert.deepEqual([...secrets].sort(), [
      "multicloud-uk-consul-gossip-key",
      "multicloud-uk-consul-management-token",
      "multicloud-uk-consul-tls-app",
      "multicloud-uk-consul-tls-chocon",
      "multicloud-uk-consul-tls-memcached",
      "multicloud-uk-consul-tls-mysql",
      "multicloud-uk-consul-tls-nginx",
      "multicloud-uk-consul-tls-util",
      "multicloud-uk-consul-token-app",
      "multicloud-uk-consul-token-chocon",
      "multicloud-uk-consul-token-memcached",
      "multicloud-uk-consul-token-mysql",
      "multicloud-uk-consul-token-nginx",
      "multicloud-uk-consul-token-util",
      "multicloud-uk-mysql-replication-password",
    ]);
    assert.equal(region.hosts.nginx?.role, "nginx");
    assert.equal(region.hosts.mysql, undefined, "no mysql hosts, no mysql files");
  });
});
