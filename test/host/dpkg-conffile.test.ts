// The rendered unbound.conf replaces a conffile of the unbound package. Real dpkg, in a scratch
// root, installs a package that owns /etc/unbound/unbound.conf over our file, and then upgrades
// it to a version whose unbound.conf changed: with the options the bootstrap passes, and with
// those cloud-init's apt-get passes, our file stays byte for byte and the package's copy goes to
// unbound.conf.dpkg-dist. Without them, dpkg stops at a prompt.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { UNBOUND_CONF_PATH } from "../../components/host/unbound";
import { allArtifacts, run, scratchDir } from "./support";

const CLOUD_INIT_DEBIAN = "/usr/lib/python3/dist-packages/cloudinit/distros/debian.py";
const PACKAGED =
  '# The package\'s own file.\ninclude-toplevel: "/etc/unbound/unbound.conf.d/*.conf"\n';

const [first] = allArtifacts();
const artifacts = first?.roles[0]?.[1];
assert.ok(artifacts);
const rendered = artifacts.files.find((file) => file.path === UNBOUND_CONF_PATH)?.content ?? "";
assert.ok(rendered.length > 0);
const work = scratchDir("dpkg");

/** A package named unbound owning /etc/unbound/unbound.conf as a conffile (no scripts). */
function unboundPackage(version: string, conf: string): string {
  const tree = join(work, `unbound-${version}`);
  mkdirSync(join(tree, "DEBIAN"), { recursive: true });
  mkdirSync(join(tree, "etc/unbound"), { recursive: true });
  writeFileSync(join(tree, "etc/unbound/unbound.conf"), conf);
  writeFileSync(join(tree, "DEBIAN/conffiles"), `${UNBOUND_CONF_PATH}\n`);
  writeFileSync(
    join(tree, "DEBIAN/control"),
    [
      "Package: unbound",
      `Version: ${version}`,
      "Architecture: all",
      "Maintainer: test <test@example.invalid>",
      "Description: stands in for unbound's conffile",
      "",
    ].join("\n"),
  );
  const deb = `${tree}.deb`;
  const built = run("dpkg-deb", ["--root-owner-group", "-Znone", "-b", tree, deb]);
  assert.equal(built.status, 0, built.output);
  return deb;
}

const v1 = unboundPackage("1.0-1", PACKAGED);
const v2 = unboundPackage("1.0-2", `${PACKAGED}# changed by the maintainer\n`);

/** A scratch dpkg root holding only our unbound.conf. */
function hostRoot(label: string): string {
  const root = scratchDir(`dpkg-${label}`);
  for (const dir of ["var/lib/dpkg/info", "var/lib/dpkg/updates", "etc/unbound"])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "var/lib/dpkg/status"), "");
  writeFileSync(join(root, UNBOUND_CONF_PATH), rendered);
  return root;
}

function dpkgInstall(root: string, options: readonly string[], deb: string) {
  return run(
    "dpkg",
    [`--root=${root}`, "--force-not-root", ...options, "-i", deb],
    // No terminal: a prompt reads end of file, as under cloud-init or an SSH session without one.
    { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  );
}

/** `-o Dpkg::Options::=X` of the bootstrap's own apt-get install. */
function bootstrapOptions(): string[] {
  const install = /apt-get install .*\\\n.*/.exec(artifacts?.bootstrap ?? "")?.[0] ?? "";
  return [...install.matchAll(/-o Dpkg::Options::=(\S+)/g)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
}

/** The dpkg options in cloud-init's APT_GET_COMMAND, read from the installed cloud-init. */
function cloudInitOptions(): string[] {
  const source = readFileSync(CLOUD_INIT_DEBIAN, "utf8");
  const command = /APT_GET_COMMAND = \(([^)]*)\)/.exec(source)?.[1] ?? "";
  return [...command.matchAll(/"--option=Dpkg::Options::=(--force-conf\w+)"/g)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
}

describe("dpkg keeps the rendered unbound.conf", () => {
  test("the bootstrap passes --force-confold and --force-confdef; cloud-init passes --force-confold", () => {
    assert.deepEqual(bootstrapOptions().sort(), ["--force-confdef", "--force-confold"]);
    assert.match(artifacts.bootstrap, /^export DEBIAN_FRONTEND=noninteractive$/m);
    assert.deepEqual(cloudInitOptions(), ["--force-confold"]);
  });

  for (const [delivery, options] of [
    ["bootstrap", bootstrapOptions()],
    ["cloud-init", cloudInitOptions()],
  ] as const) {
    test(`${delivery}: install over our file, then an upgrade that changes the packaged file`, () => {
      const root = hostRoot(delivery);
      const conf = join(root, UNBOUND_CONF_PATH);
      for (const deb of [v1, v2]) {
        const result = dpkgInstall(root, options, deb);
        assert.equal(result.status, 0, result.output);
        assert.equal(readFileSync(conf, "utf8"), rendered, `${deb}: our file was replaced`);
        assert.equal(readFileSync(`${conf}.dpkg-dist`, "utf8").startsWith(PACKAGED), true);
      }
      assert.match(readFileSync(`${conf}.dpkg-dist`, "utf8"), /changed by the maintainer/);
      const status = readFileSync(join(root, "var/lib/dpkg/status"), "utf8");
      assert.match(status, /^Version: 1\.0-2$/m);
      assert.match(status, /^Status: install ok installed$/m);
    });
  }

  test("without those options dpkg stops at the conffile prompt", () => {
    const root = hostRoot("no-options");
    const result = dpkgInstall(root, [], v1);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /end of file on stdin at conffile prompt/);
    assert.equal(readFileSync(join(root, UNBOUND_CONF_PATH), "utf8"), rendered);
    assert.ok(!existsSync(join(root, `${UNBOUND_CONF_PATH}.dpkg-dist`)));
  });
});
