// The plan command as users run it: exit codes, the tree, the JSON shape, and one-line errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scratchProject } from "../support/scratch-project";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

function plan(args: string[], cwd = projectDir) {
  const result = spawnSync(
    process.execPath,
    [...TS_ROUTE, join(cwd, "tools/plan/cli.ts"), ...args],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
      // A plan that hangs fails its test (no exit code) instead of holding the run.
      timeout: 120_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan", () => {
  it("prints the tree and counts, and writes the JSON shape", () => {
    const out = join(mkdtempSync(join(tmpdir(), "multicloud-json-")), "us.json");
    const outDir = join(mkdtempSync(join(tmpdir(), "multicloud-out-")), "p");
    const result = plan(["--stack", "us", "--json", out, "--out", outDir]);
    assert.equal(result.code, 0, result.stderr);
    for (const role of ["nginx", "app", "mysql", "memcached", "util", "chocon"]) {
      const unbound = readFileSync(join(outDir, "hosts", role, "etc/unbound/unbound.conf"), "utf8");
      assert.match(unbound, /forward-zone:|stub-zone:/, `${role} has unbound's zones`);
      assert.match(
        readFileSync(join(outDir, "hosts", role, "cloud-init.yaml"), "utf8"),
        /^#cloud-config/,
      );
      assert.match(readFileSync(join(outDir, "hosts", role, "bootstrap.sh"), "utf8"), /^#!/);
    }
    assert.match(result.stdout, /^\+ pulumi:pulumi:Stack\s+multicloud-us$/m);
    assert.match(result.stdout, /└─ aws:route53\/zone:Zone\s+us-public-zone\s+\[protected\]/);
    assert.match(result.stdout, /Resources by type:/);
    const json = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(json.stack, "us");
    assert.equal(json.project, "multicloud");
    assert.ok(json.resources.length > 3);
    for (const resource of json.resources) {
      for (const key of ["urn", "type", "name", "custom", "protect", "dependencies", "inputs"]) {
        assert.ok(key in resource, `${resource.urn} has ${key}`);
      }
    }
    // Every resource has a parent but the stack and the default provider the engine makes for the
    // dynamic resources (the Google API waits), as in a real stack's state.
    const orphans = json.resources
      .filter((r: { parent?: string }) => !r.parent)
      .map((r: { urn: string }) => r.urn);
    assert.deepEqual(orphans, [
      "urn:pulumi:us::multicloud::pulumi:providers:pulumi-nodejs::default",
      "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us",
    ]);
    assert.equal(typeof json.outputs, "object");
  });

  it("an unknown stack is one line and exit 2", () => {
    const result = plan(["--stack", "nope"]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.trim(),
      'plan: unknown stack "nope": there is no Pulumi.nope.yaml (stacks here: jp, uk, us)',
    );
    assert.equal(result.stdout, "");
  });

  it("a bad value is one line naming the file and key, exit 2", () => {
    const dir = scratchProject();
    const file = join(dir, "Pulumi.uk.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("servers: 3", "servers: 4"));
    const result = plan(["--stack", "uk"], dir);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.trim(),
      "plan: Pulumi.uk.yaml: multicloud:region.consul.servers = 4: expected 3 or 5 (an odd number of servers keeps a quorum)",
    );
  });

  it("a mandatory policy violation ends the plan with exit 3", () => {
    const dir = scratchProject();
    const file = join(dir, "Pulumi.jp.yaml");
    const key = [
      "  multicloud:sshPrivateKey: |",
      "    -----BEGIN OPENSSH PRIVATE KEY-----",
      "    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
      "    -----END OPENSSH PRIVATE KEY-----",
      "",
    ].join("\n");
    writeFileSync(file, `${readFileSync(file, "utf8")}${key}`);
    const result = plan(["--stack", "jp"], dir);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^Policies: 1 violation\(s\), 1 mandatory, 0 advisory:$/m);
    assert.ok(
      result.stdout.includes(
        "\n  mandatory no-secrets-in-stack-file urn:pulumi:jp::multicloud::pulumi:pulumi:Stack::multicloud-jp: " +
          "Pulumi.jp.yaml: multicloud:sshPrivateKey holds the SSH key that logs in to the hosts in clear: " +
          "expected it encrypted (pulumi config set --secret multicloud:sshPrivateKey)\n",
      ),
      result.stdout.slice(-600),
    );
  });

  it("two resources with one URN end the plan with exit 2, as the engine refuses them", () => {
    const result = spawnSync(
      process.execPath,
      [...TS_ROUTE, join(__dirname, "duplicate-urn-cli.ts"), "--stack", "us"],
      { cwd: projectDir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
    );
    assert.equal(result.status, 2, result.stderr);
    assert.equal(
      result.stderr.trim(),
      "plan: Pulumi.us.yaml: duplicate resource URN urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:dns:PublicZone$aws:route53/zone:Zone::us-public-zone: " +
        "two aws:route53/zone:Zone resources named us-public-zone under us-public; the engine refuses the second: give one of them a unique name",
    );
  });

  it("a --json path that is a directory, or an --out path that is a file: one line, exit 2, nothing planned", () => {
    const dir = mkdtempSync(join(tmpdir(), "multicloud-paths-"));
    const json = plan(["--stack", "uk", "--json", dir]);
    assert.equal(json.code, 2, json.stderr);
    assert.equal(
      json.stderr.trim(),
      `plan: --json ${dir}: is a directory: expected the path of the JSON file to write`,
    );
    assert.equal(json.stdout, "");
    const file = join(dir, "plan.txt");
    writeFileSync(file, "");
    const out = plan(["--stack", "uk", "--out", file]);
    assert.equal(out.code, 2, out.stderr);
    assert.equal(
      out.stderr.trim(),
      `plan: --out ${file}: is a file: expected a directory to write into (made when missing)`,
    );
    assert.equal(out.stdout, "");
    const under = plan(["--stack", "uk", "--json", join(file, "us.json")]);
    assert.equal(under.code, 2, under.stderr);
    assert.equal(
      under.stderr.trim(),
      `plan: --json ${join(file, "us.json")}: ${file} is a file: expected a directory there`,
    );
  });

  it("a file the system refuses to write is one line naming the option, exit 2", () => {
    // /dev/full takes no byte: every write to it fails with ENOSPC.
    const result = plan(["--stack", "uk", "--json", "/dev/full"]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr.trim(),
      "plan: --json /dev/full: cannot write it (ENOSPC: no space left on device, write)",
    );
  });

  it("a directory the system refuses to make is one line naming the option, exit 2", () => {
    // /proc takes no new directory: mkdir there fails with ENOENT.
    const result = plan(["--stack", "uk", "--json", "/proc/multicloud-plan/uk.json"]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr.trim(),
      "plan: --json /proc/multicloud-plan/uk.json: cannot write it (ENOENT: no such file or directory, mkdir '/proc/multicloud-plan')",
    );
  });

  it("an option given twice is one line, exit 2", () => {
    const result = plan(["--stack", "us", "--stack", "jp"]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), "plan: option --stack is given twice");
    assert.equal(result.stdout, "");
  });

  it("broken YAML and bad options are one line too", () => {
    const dir = scratchProject();
    writeFileSync(join(dir, "Pulumi.us.yaml"), "config:\n  multicloud:region: [unclosed\n");
    const yaml = plan(["--stack", "us"], dir);
    assert.equal(yaml.code, 2);
    assert.match(yaml.stderr, /^plan: Pulumi\.us\.yaml: not valid YAML: /);
    assert.equal(yaml.stderr.trim().split("\n").length, 1);
    const option = plan(["--stack", "us", "--jsn", "x"]);
    assert.equal(option.code, 2);
    assert.equal(option.stderr.trim(), 'plan: unknown option "--jsn" (see --help)');
    const escaped = plan(["--stack", "us", "--x\ny\u001b[31m"]);
    assert.equal(escaped.code, 2);
    assert.equal(escaped.stderr.trim(), 'plan: unknown option "--x\\ny\\u001b[31m" (see --help)');
    const stack = plan(["--stack", "x\ny"]);
    assert.equal(stack.code, 2);
    assert.equal(
      stack.stderr.trim(),
      'plan: unknown stack "x\\ny": there is no Pulumi.x\\ny.yaml (stacks here: jp, uk, us)',
    );
  });
});
