// ConsulSecrets under Pulumi's mocks: its children and that every output is a secret.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { installMocks } from "../support/mocks";

const recorder = installMocks("us");

test("gossip key, management token and one token per role are made with @pulumi/random and come out as secrets", async () => {
  const { ConsulSecrets } = await import("../../components/host/consul-secrets");
  const provider = new random.Provider("random");
  const secrets = new ConsulSecrets("consul-us", { provider });

  for (const output of [
    secrets.gossipKey,
    secrets.managementToken,
    ...Object.values(secrets.roleTokens),
  ]) {
    assert.equal(await pulumi.isSecret(output), true);
  }
  const bytes = recorder.get("random:index/randomBytes:RandomBytes", "consul-us-gossip-key");
  assert.equal(bytes.inputs.length, 32);
  // The management token and one token per role: nginx, app, mysql, memcached, util, chocon.
  assert.equal(recorder.ofType("random:index/randomUuid:RandomUuid").length, 7);
  assert.ok(recorder.get("random:index/randomUuid:RandomUuid", "consul-us-chocon-token"));
  for (const resource of recorder.resources.filter(
    (r) => r.custom && r.type.startsWith("random:index/random"),
  )) {
    assert.ok(resource.provider?.includes("random"), `${resource.name} has no explicit provider`);
  }
});
