// The security settings of every Consul agent, as rendered for every role of every stack, against
// the values the estate requires (written here, not taken from the renderer): gossip is encrypted
// and verified both ways, ACLs deny by default, HTTP and DNS answer on loopback only.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allArtifacts } from "./support";

const CONFIG_PATH = "/etc/consul.d/multicloud.json";

describe("Consul agent configuration on every host", () => {
  for (const { stack, roles } of allArtifacts()) {
    test(`${stack}: gossip verified both ways, default-deny ACLs, loopback clients`, () => {
      for (const [role, artifacts] of roles) {
        const file = artifacts.files.find((candidate) => candidate.path === CONFIG_PATH);
        assert.ok(file, `${stack}/${role}: no ${CONFIG_PATH}`);
        const config = JSON.parse(file.content) as Record<string, unknown>;
        const label = `${stack}/${role}`;
        assert.equal(config.encrypt_verify_incoming, true, label);
        assert.equal(config.encrypt_verify_outgoing, true, label);
        assert.deepEqual(
          config.acl,
          {
            enabled: true,
            default_policy: "deny",
            down_policy: "extend-cache",
            enable_token_persistence: true,
          },
          label,
        );
        assert.equal(config.client_addr, "127.0.0.1", label);
        assert.deepEqual(
          config.ports,
          { dns: 8600, http: 8500, https: -1, grpc: -1, grpc_tls: -1 },
          label,
        );
        assert.equal(config.enable_script_checks, false, label);
        assert.equal(config.enable_local_script_checks, false, label);
        assert.equal(config.server, role === "util", label);
        // The gossip key comes from the secret store at boot (the tokens too: acl has none above).
        assert.equal(config.encrypt, undefined, label);
      }
    });
  }
});
