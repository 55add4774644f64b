// The two deliveries lay down the same files: the cloud-init document (parsed as YAML) and the
// bootstrap script (run for real with bash under a scratch ROOT, twice; the second run changes
// nothing). Neither holds a secret.
import assert from "node:assert/strict";
import { appendFileSync, chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { allArtifacts, run, runAsync, scratchDir } from "./support";

interface CloudInitFile {
  path: string;
  content: string;
  permissions: string;
  owner: string;
  defer: boolean;
}

const stacks = allArtifacts();

describe("cloud-init and bootstrap lay down the same files", { concurrency: true }, () => {
  for (const { stack, roles } of stacks) {
    test(`${stack}: path -> content and mode agree for every role, and a second run changes nothing`, async () => {
      await Promise.all(
        roles.map(async ([role, artifacts]) => {
          const label = `${stack}/${role}`;
          assert.ok(artifacts.cloudInit.startsWith("#cloud-config\n"), label);
          const document = parse(artifacts.cloudInit) as {
            write_files: CloudInitFile[];
            runcmd: string[];
            packages: string[];
          };
          const fromCloudInit = new Map(
            document.write_files.map((file) => [
              file.path,
              { content: file.content, mode: file.permissions },
            ]),
          );

          const root = scratchDir(`bootstrap-${stack}-${role}`);
          const script = join(root, "..", `${root.split("/").pop()}.sh`);
          writeFileSync(script, artifacts.bootstrap);
          const env = { ...process.env, ROOT: root };
          const first = await runAsync("bash", [script], env);
          assert.equal(first.status, 0, `${label}: ${first.output}`);
          assert.match(
            first.output,
            new RegExp(`bootstrap: ${fromCloudInit.size} file\\(s\\) changed`),
            label,
          );

          for (const [path, expected] of fromCloudInit) {
            const onDisk = join(root, path);
            assert.equal(
              readFileSync(onDisk, "utf8"),
              expected.content,
              `${label}: ${path} content`,
            );
            assert.equal(
              `0${(statSync(onDisk).mode & 0o777).toString(8)}`,
              expected.mode,
              `${label}: ${path} mode`,
            );
          }
          const written = run("find", [root, "-type", "f"]).output.trim().split("\n").length;
          assert.equal(written, fromCloudInit.size, `${label}: the bootstrap wrote other files`);

          const mtimes = [...fromCloudInit.keys()].map(
            (path) => statSync(join(root, path)).mtimeMs,
          );
          const second = await runAsync("bash", [script], env);
          assert.equal(second.status, 0, `${label}: ${second.output}`);
          assert.match(
            second.output,
            /bootstrap: 0 file\(s\) changed/,
            `${label}: ${second.output}`,
          );
          assert.deepEqual(
            [...fromCloudInit.keys()].map((path) => statSync(join(root, path)).mtimeMs),
            mtimes,
            `${label}: a second run touched files`,
          );

          // Both run the same commands, in the same order (cloud-init first marks every service).
          const commands = artifacts.plan.commands;
          assert.deepEqual(document.runcmd.slice(-commands.length), [...commands], label);
          for (const command of commands)
            assert.ok(artifacts.bootstrap.includes(`\n${command}\n`), `${label}: ${command}`);
          assert.deepEqual(document.packages, [...artifacts.plan.packages], label);
        }),
      );
    });
  }

  test("a file changed on the host is put back, and only that file", () => {
    const { roles } = stacks[0] ?? { roles: [] };
    const artifacts = roles.find(([role]) => role === "chocon")?.[1];
    assert.ok(artifacts);
    const root = scratchDir("bootstrap-drift");
    const script = join(root, "..", `${root.split("/").pop()}.sh`);
    writeFileSync(script, artifacts.bootstrap);
    const env = { ...process.env, ROOT: root };
    assert.equal(run("bash", [script], env).status, 0);
    const unit = join(root, "etc/systemd/system/chocon.service");
    appendFileSync(unit, "# edited by hand\n");
    chmodSync(join(root, "usr/local/sbin/multicloud-service"), 0o700);
    const again = run("bash", [script], env);
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /bootstrap: 2 file\(s\) changed/);
    assert.match(again.output, /wrote .*chocon\.service/);
    assert.match(again.output, /wrote .*multicloud-service/);
    assert.ok(!readFileSync(unit, "utf8").includes("edited by hand"));
  });
});
