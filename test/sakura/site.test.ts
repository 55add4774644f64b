// The jp Sakura site under Pulumi's mocks, built from the real Pulumi.jp.yaml: packet filters on
// every cloud server's public NIC, what they let in, the SSH steps, the round-robin front, the
// protection of stateful hosts and the private NIC's netplan in cloud-init.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import { EPHEMERAL_PORTS } from "../../components/sakura/site/packet-filter-rules";
import type { Role } from "../../components/spec/hosts";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import { hostSecretIds, secretName } from "../../components/spec/secrets";
import { installMocks, type RecordedResource, type SeenResource } from "../support/mocks";
import {
  roleBootstrap as bootstrap,
  buildJpSite,
  DISK,
  FILTER,
  jpSite,
  jpSpec,
  SERVER,
  secretValues,
} from "./jp-site";

const recorder = installMocks("jp");
const spec = jpSpec();
const hosts = fixedHosts(spec);
const cloudHosts = hosts.filter((h) => h.placement === "cloud");
const dedicatedHosts = hosts.filter((h) => h.placement === "dedicated");
const site = jpSite;

const COMMAND = "command:remote:Command";

const seen: SeenResource[] = [];

interface Rule {
  protocol: string;
  sourceNetwork?: string;
  sourcePort?: string;
  destinationPort?: string;
  action: string;
}

function rulesOf(filterName: string): Rule[] {
  return recorder.get(FILTER, `${site}-${filterName}-filter`).inputs.expressions as Rule[];
}

function optionsOf(type: string, name: string): pulumi.ResourceOptions {
  const found = seen.find((s) => s.type === type && s.name === name);
  assert.ok(found, `no options seen for ${type} ${name}`);
  return found.opts;
}

/** Whether a rule lets a TCP packet to `port` in (ports are "n" or "from-to"; absent = any). */
function coversTcpPort(rule: Rule, port: number): boolean {
  if (rule.protocol === "ip") return true;
  if (rule.protocol !== "tcp") return false;
  if (rule.destinationPort === undefined) return true;
  const [from, to = from] = rule.destinationPort.split("-").map(Number);
  return from !== undefined && to !== undefined && port >= from && port <= to;
}

/** Pulumi's marker of a secret value in the inputs the mocks receive. */
const secretSig = specialSigKey;

function revealed(value: unknown): { secret: boolean; value: unknown } {
  if (typeof value === "object" && value !== null && secretSig in value) {
    return { secret: true, value: (value as Record<string, unknown>).value };
  }
  return { secret: false, value };
}

/** The source the API sees for an operations CIDR: a single host is its plain address. */
const adminSources = spec.operations.cidrs.map((c) => c.replace(/\/32$/, ""));

describe("SakuraSite (jp)", () => {
  before(async () => {
    // Resource options (protect, additionalSecretOutputs) are visible only to the transformation.
    seen.push(...(await buildJpSite(spec)));
  });

  it("puts a packet filter on the shared NIC of every cloud server, front or hosts by role", () => {
    const servers = recorder.ofType(SERVER);
    assert.equal(servers.length, cloudHosts.length);
    assert.ok(
      cloudHosts.some((h) => h.role === "nginx") && cloudHosts.some((h) => h.role !== "nginx"),
    );
    for (const host of cloudHosts) {
      const server = recorder.get(SERVER, `${site}-${host.name}`);
      assert.deepEqual(server.inputs.interfaces, ["shared", `${site}-private-id`]);
      const expected = host.role === "nginx" ? "front" : "hosts";
      assert.deepEqual(
        server.inputs.packetFilterIds,
        [`${site}-${expected}-filter-id`, null],
        `${host.name}: ${expected} filter on the shared NIC, the private switch unfiltered`,
      );
    }
    for (const filter of recorder.ofType(FILTER)) {
      assert.equal(filter.inputs.zone, spec.sakura.zone);
    }
    assert.equal(recorder.ofType(FILTER).length, 2);
  });

  it("front filter: 80/443 from anywhere, nothing else from anywhere but replies", () => {
    const rules = rulesOf("front");
    const fromAnywhere = rules.filter((r) => r.action === "allow" && r.sourceNetwork === undefined);
    const web = fromAnywhere.filter(
      (r) => r.protocol === "tcp" && ["80", "443"].includes(r.destinationPort ?? ""),
    );
    assert.deepEqual(
      web.map((r) => r.destinationPort),
      ["80", "443"],
    );
    for (const rule of fromAnywhere.filter((r) => !web.includes(r))) {
      const isDhcpReply =
        rule.protocol === "udp" && rule.sourcePort === "67" && rule.destinationPort === "68";
      const isReply =
        ((rule.protocol === "tcp" || rule.protocol === "udp") &&
          rule.destinationPort === EPHEMERAL_PORTS) ||
        isDhcpReply ||
        rule.protocol === "icmp" ||
        rule.protocol === "fragment";
      assert.ok(isReply, `only return traffic may come from anywhere: ${JSON.stringify(rule)}`);
    }
    assert.ok(
      fromAnywhere.some((r) => r.protocol === "tcp" && r.destinationPort === EPHEMERAL_PORTS),
      "replies to the hosts' own TCP connections come back",
    );
  });

  it("both filters: SSH only from the admin networks, UDP from port 53 only from resolvers", () => {
    for (const filter of ["front", "hosts"]) {
      const allows = rulesOf(filter).filter((r) => r.action === "allow");
      const ssh = allows.filter((r) => coversTcpPort(r, 22));
      assert.deepEqual(
        ssh.map((r) => r.sourceNetwork),
        adminSources,
        `${filter}: every rule that lets port 22 in names an admin network`,
      );
      for (const dns of allows.filter((r) => r.protocol === "udp" && r.sourcePort === "53")) {
        assert.ok(dns.sourceNetwork, `${filter}: DNS replies only from named resolvers`);
      }
    }
    const hostAllows = rulesOf("hosts").filter((r) => r.action === "allow");
    assert.ok(
      !hostAllows.some((r) => coversTcpPort(r, 80) || coversTcpPort(r, 443)),
      "the non-front hosts serve nothing publicly",
    );
  });

  it("both filters let DHCP replies (UDP 67 -> 68) in before the final deny", () => {
    for (const filter of ["front", "hosts"]) {
      const rules = rulesOf(filter);
      const dhcp = rules.findIndex(
        (r) =>
          r.protocol === "udp" &&
          r.sourcePort === "67" &&
          r.destinationPort === "68" &&
          r.sourceNetwork === undefined &&
          r.action === "allow",
      );
      assert.ok(dhcp >= 0, `${filter}: a rule allows UDP from port 67 to port 68`);
      const firstDeny = rules.findIndex((r) => r.action === "deny");
      assert.ok(dhcp < firstDeny, `${filter}: the DHCP rule comes before the deny`);
    }
  });

  it("sets every cloud server up by cloud-init: password login off, keys, host name, no disk edit", () => {
    for (const host of cloudHosts) {
      const server = recorder.get(SERVER, `${site}-${host.name}`);
      const document = parse(server.inputs.cloudInitUserData as string) as Record<string, unknown>;
      // The requirement, literally: SSH password login is off on every host.
      assert.equal(document.ssh_pwauth, false, `${host.name}: ssh_pwauth must be false`);
      assert.equal(document.hostname, host.name);
      assert.deepEqual(document.ssh_authorized_keys, [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAXkyNozh2CWwI+2xOltHhDYhIsPUtQ6/57aLi62GHSw deploy@example.jp",
      ]);
      // One mechanism: a cloud-init image takes no disk edit.
      assert.equal(server.inputs.diskEdit, undefined, `${host.name}: no disk edit`);
      const disk = recorder.get(DISK, `${site}-${host.name}-disk`);
      assert.equal(disk.inputs.edit, undefined);
      assert.deepEqual(disk.inputs.sourceArchiveTags, [
        "cloud-init",
        "distro-ubuntu",
        "distro-ver-24.04*",
      ]);
    }
  });

  it("puts each cloud host on a Sakura plan and disk size that exist, at least the size asked for", () => {
    // small 2/4, medium 2/8, large 4/16 in the config reference; Sakura's known plans are
    // 2/4, 4/8, 4/16 (limits table), and disks come in 20, 40, 60, ... GiB.
    const expected: Partial<Record<Role, [number, number]>> = {
      nginx: [4, 8],
      util: [4, 8],
      memcached: [4, 16],
      chocon: [2, 4],
    };
    for (const host of cloudHosts) {
      const server = recorder.get(SERVER, `${site}-${host.name}`);
      assert.deepEqual(
        [server.inputs.cpu, server.inputs.memoryGb],
        expected[host.role],
        `${host.name} (${host.role})`,
      );
      assert.equal(recorder.get(DISK, `${site}-${host.name}-disk`).inputs.sizeGb, 40);
    }
  });

  it("both filters end by denying everything", () => {
    for (const filter of ["front", "hosts"]) {
      const rules = rulesOf(filter);
      const last = rules.at(-1);
      assert.equal(last?.protocol, "ip");
      assert.equal(last?.action, "deny");
      assert.equal(last?.sourceNetwork ?? last?.sourcePort ?? last?.destinationPort, undefined);
      assert.equal(rules.filter((r) => r.action === "deny").length, 1, "one deny, at the end");
    }
  });

  it("runs the bootstrap on dedicated servers only, as sudo bash with the script on stdin", () => {
    const bootstraps = recorder.ofType(COMMAND).filter((c) => c.name.endsWith("-bootstrap"));
    assert.deepEqual(
      bootstraps.map((c) => c.name).sort(),
      dedicatedHosts.map((h) => `${site}-${h.name}-bootstrap`).sort(),
    );
    for (const host of dedicatedHosts) {
      const command = recorder.get(COMMAND, `${site}-${host.name}-bootstrap`);
      assert.equal(command.inputs.create, "sudo bash -s");
      assert.equal(command.inputs.stdin, bootstrap(host.role));
      const connection = revealed(command.inputs.connection).value as Record<string, unknown>;
      assert.equal(connection.host, host.ssh?.host);
      assert.equal(connection.user, host.ssh?.user);
    }
  });

  it("pushes the secrets to every host, unlogged, as a secret stdin", async () => {
    const pushes = recorder.ofType(COMMAND).filter((c) => c.name.endsWith("-secrets"));
    assert.deepEqual(
      pushes.map((c) => c.name).sort(),
      hosts.map((h) => `${site}-${h.name}-secrets`).sort(),
    );
    // Each host gets its role's secrets only: the gossip key, its role's token and TLS identity;
    // util hosts (the servers, which set the ACLs up) also the management token and every token;
    // MySQL hosts also the replication password.
    const wanted = (role: string, id: string) =>
      id === "consul-gossip-key" ||
      id === `consul-token-${role}` ||
      id === `consul-tls-${role}` ||
      (role === "util" && (id === "consul-management-token" || id.startsWith("consul-token-"))) ||
      (role === "mysql" && id === "mysql-replication-password");
    // The front hosts alone also get the key that writes their ACME challenge records.
    const frontLines = [
      "multicloud-jp-acme-access-key-id fake-acme-key-id-value",
      "multicloud-jp-acme-secret-access-key fake-acme-secret-value",
    ];
    // util and MySQL hosts (the publishers of the host signals) also get the key that puts them.
    const publisherLines = [
      "multicloud-jp-signals-access-key-id fake-signals-key-id-value",
      "multicloud-jp-signals-secret-access-key fake-signals-secret-value",
    ];
    const roleLines: Record<string, string[]> = {
      nginx: frontLines,
      util: publisherLines,
      mysql: publisherLines,
    };
    assert.ok(["util", "mysql", "nginx"].every((role) => hosts.some((h) => h.role === role)));
    for (const push of pushes) {
      const role = hosts.find((h) => push.name === `${site}-${h.name}-secrets`)?.role;
      const expectedLines = hostSecretIds
        .filter((id) => wanted(role ?? "", id))
        .map((id) => `${secretName(spec, id)} ${secretValues[id]}`);
      assert.equal(push.inputs.logging, "none");
      const stdin = revealed(push.inputs.stdin);
      assert.equal(stdin.secret, true, `${push.name}: stdin travels as a secret`);
      assert.deepEqual(
        (stdin.value as string).trimEnd().split("\n"),
        [...expectedLines, ...(roleLines[role ?? ""] ?? [])],
        push.name,
      );
      assert.doesNotMatch(
        push.inputs.create as string,
        /fake-.*-value/,
        "no secret on the command line",
      );
      const options = optionsOf(COMMAND, push.name) as pulumi.CustomResourceOptions;
      assert.ok(options.additionalSecretOutputs?.includes("stdin"), "stdin stays secret in state");
      const props = seen.find((s) => s.type === COMMAND && s.name === push.name)?.props;
      assert.equal(await pulumi.isSecret(props?.stdin as pulumi.Output<string>), true);
    }
  });

  it("fronts every name with one multivalue, health-checked record per nginx host", () => {
    const nginx = hosts.filter((h) => h.role === "nginx");
    const all = recorder.ofType("aws:route53/record:Record");
    const records = all.filter((r) => r.inputs.multivalueAnswerRoutingPolicy === true);
    assert.equal(records.length, nginx.length * spec.front.names.length);
    const checks = recorder.ofType("aws:route53/healthCheck:HealthCheck");
    assert.equal(checks.length, nginx.length);
    for (const record of records) {
      assert.equal(record.inputs.multivalueAnswerRoutingPolicy, true);
      assert.equal(record.inputs.type, "A");
      const check = checks.find((c) => record.inputs.healthCheckId === `${c.name}-id`);
      assert.ok(check, `${record.name} is tied to a health check`);
      assert.ok(check.name.endsWith(`-${record.inputs.setIdentifier as string}`));
    }
    for (const host of nginx) {
      const named = records.filter((r) => r.inputs.setIdentifier === host.name);
      assert.equal(named.length, spec.front.names.length, `${host.name}: one record per name`);
      // Route53's checkers come from Amazon's ranges: the front filter must let them in.
      const check = checks.find((c) => c.name.endsWith(`-${host.name}`)) as RecordedResource;
      const port = check.inputs.port as number;
      assert.ok(
        rulesOf("front").some(
          (r) => r.action === "allow" && r.sourceNetwork === undefined && coversTcpPort(r, port),
        ),
        `health checks on port ${port} pass the front filter`,
      );
    }
    // Each host's certificate holds a name of its own, which no record publishes (a rebuild's
    // hosts carry the same names); its health check asks it over HTTPS, with that name as SNI.
    assert.deepEqual(
      all.filter((r) => r.inputs.multivalueAnswerRoutingPolicy !== true).map((r) => r.name),
      [],
    );
    for (const check of checks) {
      const name = check.name.slice(`${site}-front-`.length);
      assert.deepEqual(
        [check.inputs.type, check.inputs.port, check.inputs.fqdn, check.inputs.enableSni],
        ["HTTPS", 443, `${name}.example.jp`, true],
      );
    }
  });

  it("protects the servers and disks of mysql and util hosts, and only those", () => {
    const stateful: readonly Role[] = ["mysql", "util"];
    assert.ok(
      cloudHosts.some((h) => stateful.includes(h.role)),
      "the jp spec has such cloud hosts",
    );
    for (const host of cloudHosts) {
      const keep = stateful.includes(host.role);
      for (const [type, name] of [
        [SERVER, `${site}-${host.name}`],
        [DISK, `${site}-${host.name}-disk`],
      ] as const) {
        assert.equal(optionsOf(type, name).protect === true, keep, `${name} protect=${keep}`);
      }
    }
  });

  it("adds the private NIC's netplan to each cloud server's cloud-init", () => {
    const prefix = networkLayout(spec).network.prefix;
    for (const host of cloudHosts) {
      const text = recorder.get(SERVER, `${site}-${host.name}`).inputs.cloudInitUserData as string;
      assert.ok(text.startsWith("#cloud-config\n"));
      const document = parse(text) as {
        runcmd: unknown[];
        write_files: { path: string; content: string; permissions: string }[];
      };
      const netplan = document.write_files.find(
        (f) => f.path === "/etc/netplan/60-multicloud-private.yaml",
      );
      assert.ok(netplan, `${host.name} has the netplan file`);
      assert.equal(netplan.permissions, "0600");
      assert.deepEqual(parse(netplan.content), {
        network: {
          version: 2,
          ethernets: {
            eth1: {
              dhcp4: false,
              addresses: [`${host.address}/${prefix}`],
              // GKE Tokyo's node range through the VPC router of the jp link.
              routes: [{ to: "10.11.0.0/20", via: "10.10.0.1" }],
            },
          },
        },
      });
      assert.deepEqual(document.runcmd, [
        ["netplan", "apply"],
        ["echo", `${host.role}-ready`],
      ]);
    }
  });
});
