// The real programs read what the renderers wrote: unbound-checkconf on every unbound.conf,
// nginx -t on every nginx config, cloud-init's schema on every document, shellcheck on every script.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NGINX_APP_SERVERS_PATH, NGINX_CONF_PATH } from "../../components/host/nginx";
import {
  ROOT_TRUST_ANCHOR_PATH,
  UNBOUND_CONF_PATH,
  UNBOUND_CONTROL_SOCKET,
} from "../../components/host/unbound";
import { withScratchCertificate } from "./front-certificate";
import { allArtifacts, run, runAsync, scratchDir } from "./support";

const stacks = allArtifacts();
const work = scratchDir("programs");
const packagedRootKey = readFileSync("/usr/share/dns/root.key", "utf8");

function fileOf(files: readonly { path: string; content: string }[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `no ${path} rendered`);
  return file.content;
}

describe("unbound-checkconf", () => {
  for (const { stack, roles } of stacks) {
    test(`${stack}: every role's unbound.conf, as the host's whole configuration`, () => {
      for (const [role, artifacts] of roles) {
        const label = `${stack}/${role}`;
        const rendered = fileOf(artifacts.files, UNBOUND_CONF_PATH);
        const verbatim = join(work, `${stack}-${role}-unbound.conf`);
        writeFileSync(verbatim, rendered);
        // The file exactly as rendered. Its one dependency outside itself is the trust anchor,
        // which the package's unit copies from dns-root-data before unbound starts: a machine
        // whose unbound never started lacks it, and that must be the only complaint.
        const asIs = run("unbound-checkconf", [verbatim]);
        if (asIs.status !== 0) {
          assert.ok(!existsSync(ROOT_TRUST_ANCHOR_PATH), `${label}: ${asIs.output}`);
          assert.match(
            asIs.output.trim(),
            /^(\/var\/lib\/unbound\/root\.key: No such file or directory\n)?\[\d+\] unbound-checkconf\[\d+:\d+\] fatal error: auto-trust-anchor-file: "\/var\/lib\/unbound\/root\.key" does not exist$/,
            label,
          );
        }
        // The same file with that one path moved to a copy of the packaged key, as on a host.
        const rootKey = join(work, `${stack}-${role}-root.key`);
        writeFileSync(rootKey, packagedRootKey);
        const moved = rendered.replace(`"${ROOT_TRUST_ANCHOR_PATH}"`, `"${rootKey}"`);
        assert.equal(diffLines(rendered, moved), 1, label);
        const conf = join(work, `${stack}-${role}-unbound-with-key.conf`);
        writeFileSync(conf, moved);
        const result = run("unbound-checkconf", [conf]);
        assert.equal(result.status, 0, `${label}: ${result.output}`);
        assert.match(result.output, /no errors/, label);
        // What unbound itself reads from the file: the anchor, the local control socket.
        const option = (name: string) => run("unbound-checkconf", ["-o", name, verbatim]).output;
        assert.equal(option("auto-trust-anchor-file").trim(), ROOT_TRUST_ANCHOR_PATH, label);
        assert.equal(option("control-interface").trim(), UNBOUND_CONTROL_SOCKET, label);
        assert.equal(option("interface").trim(), "127.0.0.1", label);
      }
    });
  }
});

function diffLines(a: string, b: string): number {
  const left = a.split("\n");
  const right = b.split("\n");
  assert.equal(left.length, right.length);
  return left.filter((line, index) => line !== right[index]).length;
}

describe("nginx -t", () => {
  // Debian's own nginx.conf, with only its paths moved into a scratch prefix.
  const debianConf = readFileSync("/etc/nginx/nginx.conf", "utf8");
  for (const { stack, roles } of stacks) {
    const nginx = roles.find(([role]) => role === "nginx")?.[1];
    if (!nginx) continue;
    for (const servers of [
      "server 10.0.0.1:8080 max_fails=2 fail_timeout=10s;\nserver 10.0.0.2:8080 max_fails=2 fail_timeout=10s;\n",
      "server 127.0.0.1:8080 down;\n",
    ]) {
      test(`${stack}: the front config with ${servers.includes("down") ? "no app server yet" : "two app servers"}`, () => {
        const prefix = scratchDir(`nginx-${stack}`);
        writeFileSync(join(prefix, "app-servers.conf"), servers);
        // The test-only changes to the rendered file: where the generated server list lives, and
        // the certificate where nginx terminates TLS.
        const site = withScratchCertificate(
          fileOf(nginx.files, NGINX_CONF_PATH).replace(
            NGINX_APP_SERVERS_PATH,
            join(prefix, "app-servers.conf"),
          ),
          prefix,
        );
        assert.notEqual(site, fileOf(nginx.files, NGINX_CONF_PATH));
        mkdirSync(join(prefix, "conf.d"));
        writeFileSync(join(prefix, "conf.d", "multicloud.conf"), site);
        const main = debianConf
          .replace(/^pid .*$/m, `pid ${join(prefix, "nginx.pid")};`)
          .replace(/^error_log .*$/m, `error_log ${join(prefix, "error.log")};`)
          .replace(/access_log \S+;/, `access_log ${join(prefix, "access.log")};`)
          .replace(
            "include /etc/nginx/conf.d/*.conf;",
            `include ${join(prefix, "conf.d", "*.conf")};`,
          )
          // The plan removes the default site; the test simply leaves sites-enabled out.
          .replace("include /etc/nginx/sites-enabled/*;", "");
        writeFileSync(join(prefix, "nginx.conf"), main);
        const result = run("nginx", [
          "-t",
          "-p",
          prefix,
          "-c",
          join(prefix, "nginx.conf"),
          "-e",
          join(prefix, "error.log"),
        ]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /test is successful/);
      });
    }
  }
});

describe("cloud-init schema", { concurrency: true }, () => {
  for (const { stack, roles } of stacks) {
    test(`${stack}: every role's document is valid cloud-config`, async () => {
      const results = await Promise.all(
        roles.map(async ([role, artifacts]) => {
          const path = join(work, `${stack}-${role}.cloud-init.yaml`);
          writeFileSync(path, artifacts.cloudInit);
          return { role, ...(await runAsync("cloud-init", ["schema", "--config-file", path])) };
        }),
      );
      for (const { role, status, output } of results) {
        assert.equal(status, 0, `${stack}/${role}: ${output}`);
        assert.match(output, /Valid cloud-config/, `${stack}/${role}: ${output}`);
      }
    });
  }
});

describe("shellcheck", () => {
  for (const { stack, roles } of stacks) {
    test(`${stack}: every bootstrap and every script written to hosts`, () => {
      const scripts: string[] = [];
      for (const [role, artifacts] of roles) {
        const bootstrap = join(work, `${stack}-${role}-bootstrap.sh`);
        writeFileSync(bootstrap, artifacts.bootstrap);
        scripts.push(bootstrap);
        for (const file of artifacts.files) {
          if (!file.content.startsWith("#!/usr/bin/env bash")) continue;
          assert.equal(file.mode, "0755", `${file.path} is a script but not executable`);
          const path = join(work, `${stack}-${role}-${file.path.split("/").pop()}`);
          writeFileSync(path, file.content);
          scripts.push(path);
        }
      }
      assert.ok(scripts.length >= roles.length * 8, `only ${scripts.length} scripts found`);
      const result = run("shellcheck", ["--shell=bash", "--severity=style", ...scripts]);
      assert.equal(result.status, 0, result.output);
    });
  }
});
