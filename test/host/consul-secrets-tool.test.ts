// The boot step that fills Consul's secrets, run for real with bash on the SSH-push source: it fills
// every placeholder from the pushed files and refuses values of the wrong shape. Paths are moved
// into a scratch directory; nothing else in the script changes.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  CONSUL_PRIVATE_DIR,
  CONSUL_SECRETS_PATH,
  CONSUL_SECRETS_TEMPLATE_PATH,
  CONSUL_TLS_DIR,
  renderConsulSecretsTemplate,
} from "../../components/host/consul";
import { renderConsulSecretsTool } from "../../components/host/consul-boot";
import { SERVICE_TOOL } from "../../components/host/scripts";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import { loadStack, run, scratchDir } from "./support";

const spec = loadStack("jp");
if (spec.name !== "jp") throw new Error("the pushed names below are jp's");
const GOSSIP = Buffer.alloc(32, 42).toString("base64");
const AGENT = "0b7e6f1e-5d3c-4a8e-9f61-2c4d8e1a7b90";
const MANAGEMENT = "6a1d2c3b-4e5f-4789-8abc-def012345678";

const ROLES = ["nginx", "app", "mysql", "memcached", "util", "chocon"];
const TLS = JSON.stringify({
  ca: "-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n",
});

function prepare(values: { gossip: string; agent: string; management: string; tls?: string }) {
  const dir = scratchDir("secrets-tool");
  const pushed = join(dir, "pushed");
  mkdirSync(pushed);
  writeFileSync(join(pushed, "multicloud-jp-consul-gossip-key"), `${values.gossip}\n`);
  // The util hosts read every role's token; the util token is the agent's own.
  for (const [i, role] of ROLES.entries())
    writeFileSync(
      join(pushed, `multicloud-jp-consul-token-${role}`),
      role === "util" ? values.agent : `0b7e6f1e-5d3c-4a8e-9f61-2c4d8e1a7b9${i}`,
    );
  writeFileSync(join(pushed, "multicloud-jp-consul-tls-util"), values.tls ?? TLS);
  writeFileSync(join(pushed, "multicloud-jp-consul-management-token"), values.management);
  writeFileSync(join(dir, "template.json"), renderConsulSecretsTemplate("util"));
  writeFileSync(join(dir, "mark"), '#!/bin/sh\necho "marked $*"\n', { mode: 0o755 });
  const script = renderConsulSecretsTool(spec, siteFacts(spec).secretSource, "util")
    .replaceAll(CONSUL_SECRETS_TEMPLATE_PATH, join(dir, "template.json"))
    .replaceAll(CONSUL_SECRETS_PATH, join(dir, "secrets.json"))
    .replaceAll(CONSUL_PRIVATE_DIR, join(dir, "private"))
    .replaceAll(PUSHED_SECRETS_DIR, pushed)
    .replaceAll(CONSUL_TLS_DIR, join(dir, "tls"))
    .replaceAll(SERVICE_TOOL, join(dir, "mark"))
    // No consul group on a test machine: files keep the test user's group.
    .replaceAll(" -o root -g consul", "");
  writeFileSync(join(dir, "tool.sh"), script);
  return dir;
}

test("fills the template from the pushed secrets, root-only, and marks consul once", () => {
  const dir = prepare({ gossip: GOSSIP, agent: AGENT, management: MANAGEMENT });
  const first = run("bash", [join(dir, "tool.sh")]);
  assert.equal(first.status, 0, first.output);
  assert.match(first.output, /marked mark consul/);
  const filled = JSON.parse(readFileSync(join(dir, "secrets.json"), "utf8"));
  assert.deepEqual(filled, {
    encrypt: GOSSIP,
    acl: {
      tokens: {
        agent: AGENT,
        config_file_service_registration: AGENT,
        initial_management: MANAGEMENT,
      },
    },
  });
  assert.equal(readFileSync(join(dir, "tls", "agent-key.pem"), "utf8"), JSON.parse(TLS).key);
  assert.equal(statSync(join(dir, "tls", "agent-key.pem")).mode & 0o777, 0o640);
  assert.equal(readFileSync(join(dir, "tls", "ca.pem"), "utf8"), JSON.parse(TLS).ca);
  assert.equal(
    readFileSync(join(dir, "private", "consul-token-chocon.token"), "utf8"),
    "0b7e6f1e-5d3c-4a8e-9f61-2c4d8e1a7b95",
  );
  assert.equal(statSync(join(dir, "secrets.json")).mode & 0o777, 0o640);
  assert.equal(readFileSync(join(dir, "private", "consul-management.token"), "utf8"), MANAGEMENT);
  assert.equal(statSync(join(dir, "private", "consul-role.token")).mode & 0o777, 0o600);
  const second = run("bash", [join(dir, "tool.sh")]);
  assert.equal(second.status, 0, second.output);
  assert.doesNotMatch(second.output, /marked/, "unchanged secrets restart nothing");
});

test("refuses a value that is not what Consul expects", () => {
  for (const bad of [
    { gossip: "not-a-key", agent: AGENT, management: MANAGEMENT },
    { gossip: GOSSIP, agent: 'x", "acl": {}', management: MANAGEMENT },
  ]) {
    const dir = prepare(bad);
    const result = run("bash", [join(dir, "tool.sh")]);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /does not have the expected shape/);
    assert.throws(() => statSync(join(dir, "secrets.json")));
  }
  const noKey = prepare({
    gossip: GOSSIP,
    agent: AGENT,
    management: MANAGEMENT,
    tls: JSON.stringify({ ca: JSON.parse(TLS).ca }),
  });
  const result = run("bash", [join(noKey, "tool.sh")]);
  assert.notEqual(result.status, 0);
  assert.match(result.output, /the TLS identity has no PEM cert/);
  assert.throws(() => statSync(join(noKey, "secrets.json")));
});
