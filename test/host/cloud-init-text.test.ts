// The role's cloud-init document as text: one block mapping, its entries on lines of their own,
// and what the text was written from is what it reads back as.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderCloudInit, renderedCloudInit } from "../../components/host/cloud-init";
import type { HostPlan } from "../../components/host/model";

const plan: HostPlan = {
  role: "util",
  region: "jp",
  packages: ["unbound", "jq"],
  files: [
    {
      path: "/etc/a.conf",
      content: "one\n\n",
      mode: "0640",
      owner: "root:root",
      units: ["a"],
    },
    { path: "/etc/b", content: "two: 2\n", mode: "0644", owner: "root:root", units: [] },
  ],
  units: ["a"],
  commands: ["systemctl restart a"],
};

describe("renderCloudInit", () => {
  it("writes the packages, the files deferred, then the commands, as one YAML document", () => {
    assert.equal(
      renderCloudInit(plan),
      [
        "#cloud-config",
        "# multicloud host, role util, region jp. Rendered; holds no secret.",
        "package_update: true",
        "package_upgrade: false",
        "packages:",
        "  - unbound",
        "  - jq",
        "write_files:",
        "  - path: /etc/a.conf",
        "    owner: root:root",
        '    permissions: "0640"',
        "    defer: true",
        "    content: |+",
        "      one",
        "",
        "  - path: /etc/b",
        "    owner: root:root",
        '    permissions: "0644"',
        "    defer: true",
        "    content: |",
        "      two: 2",
        "runcmd:",
        "  - set -e",
        "  - /usr/local/sbin/multicloud-service mark a",
        "  - systemctl restart a",
        "",
      ].join("\n"),
    );
  });

  it("keeps what each text was written from, equal to what the text reads back as", () => {
    const text = renderCloudInit(plan);
    assert.deepEqual(renderedCloudInit(text)?.document, parse(text));
    assert.equal(renderedCloudInit(`${text}# edited\n`), undefined);
  });
});
