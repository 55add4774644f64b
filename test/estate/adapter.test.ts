// The estate's adapter changes only what it says it changes: the join list, the cloud's resolvers,
// the outside names' DNSSEC, and the installers; its systemctl shim is clean bash.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { renderRoleArtifacts } from "../../components/host";
import { scratchDir } from "../host/support";
import { loadSpec } from "../support/stacks";
import { adaptFile, bootCommands, SYSTEMCTL_SHIM } from "./adapter";

const context = {
  consulServers: ["10.20.68.16", "10.20.84.16", "10.20.100.16"],
  standInResolver: "169.254.169.253",
  insecureDomains: ["partner.example"],
};

function rendered(stack: "jp" | "us", path: string): string {
  const file = renderRoleArtifacts(loadSpec(stack), "app").files.find((f) => f.path === path);
  assert.ok(file, path);
  return file.content;
}

test("cloud auto-join becomes the static list of the util hosts, and nothing else changes", () => {
  const before = JSON.parse(rendered("us", "/etc/consul.d/multicloud.json"));
  const after = JSON.parse(
    adaptFile("/etc/consul.d/multicloud.json", JSON.stringify(before), context),
  );
  assert.match(before.retry_join[0], /^provider=aws /);
  assert.deepEqual(after.retry_join, ["10.20.68.16", "10.20.84.16", "10.20.100.16"]);
  assert.deepEqual({ ...after, retry_join: null }, { ...before, retry_join: null });
});

test("unbound: public resolvers move to the stand-in, Consul and link-local ones stay", () => {
  const jp = adaptFile(
    "/etc/unbound/unbound.conf",
    rendered("jp", "/etc/unbound/unbound.conf"),
    context,
  );
  assert.doesNotMatch(jp, /210\.188\.224/);
  assert.match(jp, /forward-addr: 127\.0\.0\.1@8600/);
  assert.match(jp, /forward-addr: 169\.254\.169\.253\n/);
  assert.match(jp, /^server:\n {4}domain-insecure: "partner\.example"\n/m);
  const usConf = rendered("us", "/etc/unbound/unbound.conf");
  const us = adaptFile("/etc/unbound/unbound.conf", usConf, context);
  assert.equal(us.replace('    domain-insecure: "partner.example"\n', ""), usConf);
});

test("only the installers of downloaded programs are left out of the boot", () => {
  const commands = [
    "set -e",
    "/usr/local/sbin/multicloud-consul-install",
    "/usr/local/sbin/multicloud-consul-secrets",
    "/usr/local/sbin/multicloud-chocon-install",
    "/usr/local/sbin/multicloud-service apply chocon",
  ];
  assert.deepEqual(bootCommands(commands), [
    "set -e",
    "/usr/local/sbin/multicloud-consul-secrets",
    "/usr/local/sbin/multicloud-service apply chocon",
  ]);
});

test("the systemctl shim passes shellcheck", () => {
  const path = join(scratchDir("estate-shim"), "systemctl");
  writeFileSync(path, SYSTEMCTL_SHIM);
  const result = spawnSync("shellcheck", ["-s", "bash", path], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout);
});
