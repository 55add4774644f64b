// ConsulSecrets under Pulumi's mocks: its children and that every output is a secret.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { installMocks } from "../support/mocks";

const recorder = installMocks("us");

test("gossip key and tokens are made with @pulumi/random and come out as secrets", async () => {
  const { ConsulSecrets } = await import("../../components/host/consul-secrets");
  const provider = new random.Provider("random");
  const secrets = new ConsulSecrets("consul-us", { provider });

  for (const output of [secrets.gossipKey, secrets.agentToken, secrets.managementToken]) {
    assert.equal(await pulumi.isSecret(output), true);
  }
  const bytes = recorder.get("random:index/randomBytes:RandomBytes", "consul-us-gossip-key");
  assert.equal(bytes.inputs.length, 32);
  assert.equal(recorder.ofType("random:index/randomUuid:RandomUuid").length, 2);
  for (const resource of recorder.resources.filter(
    (r) => r.custom && r.type.startsWith("random:index/random"),
  )) {
    assert.ok(resource.provider?.includes("random"), `${resource.name} has no explicit provider`);
  }
});
