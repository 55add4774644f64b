// Every file the plan writes for every role of every stack (`npm run plan -- --out DIR`): chocon is
// installed only by the verifying installer, whose SHA-256 is never empty, and only on the hosts
// that run it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { writeHostFiles } from "../../tools/plan/host-files";
import { planChoconBuild } from "../../tools/plan/offline-config";
import { loadStack, STACKS, scratchDir } from "./support";

/** Every file under dir, as path (relative to dir) and text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path: relative(dir, path), text: readFileSync(path, "utf8") }));
}

/** A line that puts bytes at chocon's path: a download, copy, move or install onto it. */
const WRITES_CHOCON =
  /(curl|wget|install|cp|mv|tee|dd)\b[^\n]*(\/usr\/local\/bin\/chocon|"\$BIN(\.new)?")(\s|"|$)/;

for (const stack of STACKS) {
  describe(`${stack}: the files the plan writes for its hosts`, () => {
    const dir = scratchDir(`chocon-rendered-${stack}`);
    writeHostFiles(loadStack(stack), dir, planChoconBuild({}));
    const files = filesUnder(dir);

    test("leave no chocon checksum empty", () => {
      assert.ok(files.length > 50, `${files.length} files`);
      for (const file of files) {
        assert.doesNotMatch(file.text, /SHA256=(''|""|\s*$)/m, file.path);
        assert.doesNotMatch(
          file.text,
          /# No chocon build is pinned: this installer refuses/,
          file.path,
        );
      }
    });

    test("install chocon only after checking its SHA-256, and only on chocon hosts", () => {
      const installing = files.filter((file) => WRITES_CHOCON.test(file.text));
      assert.ok(installing.length > 0, "some file installs chocon");
      for (const file of installing) {
        assert.match(file.path, /^hosts\/chocon\//, `${file.path} installs chocon`);
        const pin = /readonly SHA256='?([0-9a-f]{64})'?$/m.exec(file.text);
        assert.ok(pin, `${file.path}: no 64-digit SHA-256`);
        const check = file.text.indexOf("sha256sum --check --quiet --strict -;");
        const firstWrite = file.text.search(
          /^\s*(install -m 0755 "\$work\/chocon"|mv -f "\$BIN\.new")/m,
        );
        assert.ok(check > 0, `${file.path}: no check of the download`);
        assert.ok(firstWrite > check, `${file.path}: writes chocon before the check`);
      }
      const bootstrap = readFileSync(join(dir, "hosts", "chocon", "bootstrap.sh"), "utf8");
      assert.match(bootstrap, /multicloud-chocon-install/);
    });
  });
}
