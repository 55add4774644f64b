// A Sakura Cloud server's cloud-init text, written from the role's parts once for all its hosts:
// the same text as writing the whole document in one go, for a role document given as text and
// for the host layer's own documents of every role.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { renderRegionHosts } from "../../components/host";
import { hostCloudConfig } from "../../components/sakura/site/cloud-config";
import type { PrivateInterface } from "../../components/sakura/site/private-interface";
import { loadSpec, stacks } from "../support/stacks";

const nic = (address: string): PrivateInterface => ({
  device: "eth1",
  address,
  prefixLength: 16,
  routes: [{ to: "10.11.0.0/20", via: "10.10.0.1" }],
});
const login = (hostName: string) => ({
  hostName,
  sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests ops@example"],
});

describe("a Sakura host's cloud-init text", () => {
  it("is the role's document with the host's NIC, name and keys, written as YAML", () => {
    // A file whose text ends in a blank line is kept with `|+`; one without a newline with `|-`.
    const role = [
      "#cloud-config",
      "packages: [unbound]",
      "write_files:",
      "  - path: /etc/a",
      "    content: |+",
      "      one",
      "",
      "  - path: /etc/b",
      "    content: two",
      "runcmd: [set -e, echo ready]",
      "",
    ].join("\n");
    const expected = [
      "#cloud-config",
      "packages:",
      "  - unbound",
      "write_files:",
      "  - path: /etc/netplan/60-multicloud-private.yaml",
      '    permissions: "0600"',
      "    owner: root:root",
      "    content: |",
      "      network:",
      "        version: 2",
      "        ethernets:",
      "          eth1:",
      "            dhcp4: false",
      "            addresses:",
      "              - 10.10.0.5/16",
      "            routes:",
      "              - to: 10.11.0.0/20",
      "                via: 10.10.0.1",
      "  - path: /etc/a",
      "    content: |+",
      "      one",
      "",
      "  - path: /etc/b",
      "    content: two",
      "runcmd:",
      "  - - netplan",
      "    - apply",
      "  - set -e",
      "  - echo ready",
      "hostname: web-1",
      "ssh_authorized_keys:",
      "  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests ops@example",
      "ssh_pwauth: false",
      "",
    ].join("\n");
    assert.equal(hostCloudConfig(role, nic("10.10.0.5"), login("web-1")), expected);
    // Written a second time from what the first kept: the same text for the same host.
    assert.equal(hostCloudConfig(role, nic("10.10.0.5"), login("web-1")), expected);
    // Another host of the role: only its own entries differ.
    const other = hostCloudConfig(role, nic("10.10.0.6"), login("web-2"));
    assert.equal(
      other,
      expected
        .replace("10.10.0.5/16", "10.10.0.6/16")
        .replace("hostname: web-1", "hostname: web-2"),
    );
  });

  it("is what writing the whole document in one go gives, for every role of every stack", () => {
    for (const stack of stacks) {
      const hosts = renderRegionHosts(loadSpec(stack));
      for (const [role, artifacts] of Object.entries(hosts)) {
        for (const [index, address] of ["10.10.0.5", "10.10.0.6"].entries()) {
          const text = hostCloudConfig(artifacts.cloudInit, nic(address), login(`h${index}`));
          const roleDocument = parse(artifacts.cloudInit) as Record<string, unknown[]>;
          const whole = {
            ...roleDocument,
            runcmd: [["netplan", "apply"], ...(roleDocument.runcmd ?? [])],
            write_files: [
              {
                path: "/etc/netplan/60-multicloud-private.yaml",
                permissions: "0600",
                owner: "root:root",
                content: [
                  "network:",
                  "  version: 2",
                  "  ethernets:",
                  "    eth1:",
                  "      dhcp4: false",
                  "      addresses:",
                  `        - ${address}/16`,
                  "      routes:",
                  "        - to: 10.11.0.0/20",
                  "          via: 10.10.0.1",
                  "",
                ].join("\n"),
              },
              ...(roleDocument.write_files ?? []),
            ],
            hostname: `h${index}`,
            ssh_authorized_keys: login("").sshPublicKeys,
            ssh_pwauth: false,
          };
          const once = `#cloud-config\n${stringify(whole, { lineWidth: 0, minContentWidth: 0 })}`;
          assert.equal(text, once, `${stack}/${role} host ${index}`);
        }
      }
    }
  });
});
