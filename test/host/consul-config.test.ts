// The security settings of every Consul agent, as rendered for every role of every stack, against
// the values the estate requires (written here, not taken from the renderer): gossip is encrypted
// and verified both ways, RPC is TLS verified both ways with the servers' name checked, the API is
// HTTPS on loopback only (no plain HTTP), ACLs deny by default, DNS answers on loopback and, on
// the servers only, on the private address too.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allArtifacts } from "./support";

const CONFIG_PATH = "/etc/consul.d/multicloud.json";

describe("Consul agent configuration on every host", () => {
  for (const { stack, roles } of allArtifacts()) {
    test(`${stack}: gossip and RPC TLS verified both ways, default-deny ACLs, HTTPS on loopback`, () => {
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
          { dns: 8600, http: -1, https: 8501, grpc: -1, grpc_tls: -1 },
          label,
        );
        assert.deepEqual(
          config.tls,
          {
            defaults: {
              ca_file: "/etc/consul.d/tls/ca.pem",
              cert_file: "/etc/consul.d/tls/agent.pem",
              key_file: "/etc/consul.d/tls/agent-key.pem",
              verify_incoming: true,
              verify_outgoing: true,
              tls_min_version: "TLSv1_2",
            },
            internal_rpc: { verify_server_hostname: true },
            https: { verify_incoming: false },
          },
          label,
        );
        const dns = (config.addresses as { dns?: string } | undefined)?.dns;
        if (role === "util")
          assert.match(
            dns ?? "",
            /^127\.0\.0\.1 \{\{ GetPrivateInterfaces \| include "network" "10\.\d+\.0\.0\/16" \| attr "address" \}\}$/,
            label,
          );
        else assert.equal(dns, undefined, label);
        assert.equal(config.enable_script_checks, false, label);
        // Local scripts only where MySQL's role checks run.
        assert.equal(config.enable_local_script_checks, role === "mysql", label);
        assert.equal(config.server, role === "util", label);
        // The gossip key comes from the secret store at boot (the tokens too: acl has none above).
        assert.equal(config.encrypt, undefined, label);
      }
    });
  }
});
