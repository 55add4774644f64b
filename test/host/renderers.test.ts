// Properties of each renderer, on the three real stacks: what unbound, Consul, nginx, chocon and the
// daemons are told, that nothing secret is rendered, and that rendering is deterministic and fast.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderRegionHosts } from "../../components/host";
import { renderChoconUnit } from "../../components/host/chocon";
import {
  CONSUL_CONFIG_PATH,
  CONSUL_SECRETS_TEMPLATE_PATH,
  PLACEHOLDERS,
  renderConsulConfig,
} from "../../components/host/consul";
import { renderConsulSecretsTool } from "../../components/host/consul-boot";
import { MEMCACHED_DROP_IN_PATH, MYSQL_DROP_IN_PATH } from "../../components/host/daemons";
import { NGINX_CONF_PATH } from "../../components/host/nginx";
import { hostPlan, rolesPresent } from "../../components/host/role-files";
import { siteFacts } from "../../components/host/site-facts";
import {
  renderUnboundConf,
  UNBOUND_CONF_PATH,
  UNBOUND_CONTROL_SOCKET,
  UNBOUND_FORMER_DROP_IN_PATH,
} from "../../components/host/unbound";
import { secretName } from "../../components/spec/secrets";
import { allArtifacts, loadStack } from "./support";

const jp = loadStack("jp");
const us = loadStack("us");
const uk = loadStack("uk");

function fileContent(spec: typeof us, role: Parameters<typeof hostPlan>[1], path: string): string {
  const file = hostPlan(spec, role, siteFacts(spec)).files.find((f) => f.path === path);
  assert.ok(file, `no ${path} for ${role}`);
  return file.content;
}

describe("site facts", () => {
  test("each cloud gets its resolver, its auto-join and its secret store", () => {
    const aws = siteFacts(us);
    assert.deepEqual(aws.upstreamResolvers, ["169.254.169.253"]);
    assert.equal(aws.consulJoin.kind, "aws-tag");
    assert.deepEqual(aws.secretSource, { kind: "aws-secrets-manager", region: "us-west-2" });
    assert.deepEqual(aws.internalZone, {
      kind: "forward",
      zone: "local",
      resolvers: ["169.254.169.253"],
    });
    const gcp = siteFacts(uk);
    assert.deepEqual(gcp.upstreamResolvers, ["169.254.169.254"]);
    assert.deepEqual(gcp.consulJoin, {
      kind: "gce-tag",
      project: "example-uk-prod",
      tagValue: "consul-server-uk",
    });
    const sakura = siteFacts(jp);
    assert.deepEqual(sakura.upstreamResolvers, ["210.188.224.10", "210.188.224.11"]);
    assert.deepEqual(sakura.consulJoin, {
      kind: "static",
      addresses: ["10.10.68.16", "10.10.68.17", "10.10.68.18"],
    });
    assert.equal(sakura.secretSource.kind, "ssh-push");
    assert.equal(sakura.internalZone.kind, "local-data");
  });

  test("spec upstreams replace the cloud's resolver for public names, not for the private zone", () => {
    const facts = siteFacts({ ...us, dns: { ...us.dns, upstreams: ["10.20.0.2"] } });
    assert.deepEqual(facts.upstreamResolvers, ["10.20.0.2"]);
    assert.deepEqual(facts.internalZone.kind === "forward" && facts.internalZone.resolvers, [
      "169.254.169.253",
    ]);
  });
});

describe("unbound.conf", () => {
  test("loopback only, consul to the agent, chocon suffixes as redirect CNAMEs, serve-expired", () => {
    for (const spec of [jp, us, uk]) {
      const conf = renderUnboundConf(siteFacts(spec));
      assert.match(conf, /^ {4}interface: 127\.0\.0\.1$/m);
      assert.doesNotMatch(conf, /interface: 0\.0\.0\.0/);
      assert.match(conf, /access-control: 0\.0\.0\.0\/0 refuse/);
      assert.match(
        conf,
        /forward-zone:\n {4}name: "consul\."\n {4}forward-addr: 127\.0\.0\.1@8600/,
      );
      assert.match(conf, /do-not-query-localhost: no/);
      assert.match(conf, /domain-insecure: "consul"/);
      assert.match(conf, /domain-insecure: "local"/);
      assert.match(conf, /serve-expired: yes\n {4}serve-expired-ttl: 86400/);
      // unbound-control on a local socket only, never on an address.
      assert.deepEqual(conf.match(/^ {4}control-interface: .*$/gm), [
        `    control-interface: ${UNBOUND_CONTROL_SOCKET}`,
      ]);
      for (const suffix of ["ccnproxy-https", "ccnproxy-secure", "ccnproxy-ssl", "ccnproxy"]) {
        assert.ok(conf.includes(`local-zone: "${suffix}." redirect`), suffix);
        assert.ok(
          conf.includes(`local-data: "${suffix}. 30 IN CNAME chocon.service.consul."`),
          suffix,
        );
      }
    }
  });

  test("the host's whole configuration: no include, the trust anchor while validation is on", () => {
    for (const spec of [jp, us, uk]) {
      const facts = siteFacts(spec);
      assert.equal(facts.dnssecValidation, true);
      for (const conf of [
        fileContent(spec, "util", UNBOUND_CONF_PATH),
        renderUnboundConf({ ...facts, dnssecValidation: false }),
      ]) {
        assert.doesNotMatch(conf, /^\s*include(-toplevel)?:/m);
        const settings = conf.split("\n").filter((line) => !line.trimStart().startsWith("#"));
        assert.ok(!settings.some((line) => line.includes("unbound.conf.d")));
        assert.match(conf, /^# This is the whole configuration: it includes nothing/m);
        // unbound.conf's top-level clauses: a server, the control socket and the forwards.
        assert.deepEqual(
          [...new Set(conf.match(/^[a-z-]+:/gm))],
          ["server:", "remote-control:", "forward-zone:"],
        );
      }
      const validating = fileContent(spec, "util", UNBOUND_CONF_PATH);
      assert.deepEqual(validating.match(/^ {4}auto-trust-anchor-file: .*$/gm), [
        '    auto-trust-anchor-file: "/var/lib/unbound/root.key"',
      ]);
      assert.doesNotMatch(validating, /module-config/);
      const plain = renderUnboundConf({ ...facts, dnssecValidation: false });
      assert.doesNotMatch(plain, /trust-anchor/);
      assert.match(plain, /^ {4}module-config: "iterator"$/m);
    }
  });

  test("both deliveries replace unbound.conf and remove the drop-in of earlier versions", () => {
    assert.equal(UNBOUND_CONF_PATH, "/etc/unbound/unbound.conf");
    for (const spec of [jp, us, uk]) {
      for (const role of rolesPresent(spec)) {
        const plan = hostPlan(spec, role, siteFacts(spec));
        const label = `${spec.name}/${role}`;
        assert.ok(plan.packages.includes("unbound") && plan.packages.includes("dns-root-data"));
        assert.ok(!plan.files.some((file) => file.path.startsWith("/etc/unbound/unbound.conf.d/")));
        const remove = plan.commands.indexOf(`rm -f ${UNBOUND_FORMER_DROP_IN_PATH}`);
        assert.ok(remove >= 0, label);
        assert.ok(
          remove < plan.commands.indexOf("/usr/local/sbin/multicloud-service apply unbound"),
          label,
        );
      }
    }
  });

  test("Sakura carries the zone's records; AWS forwards the zone to the VPC resolver", () => {
    const sakura = renderUnboundConf(siteFacts(jp));
    assert.match(sakura, /local-zone: "local\." static/);
    assert.ok(sakura.includes('local-data: "db01.local. 300 IN A 10.10.192.21"'));
    assert.ok(sakura.includes('local-data: "util.local. 300 IN A 10.10.68.17"'));
    assert.match(
      sakura,
      /forward-zone:\n {4}name: "\."\n {4}forward-addr: 210\.188\.224\.10\n {4}forward-addr: 210\.188\.224\.11/,
    );
    const aws = renderUnboundConf(siteFacts(us));
    assert.match(aws, /local-zone: "local\." transparent/);
    assert.match(aws, /forward-zone:\n {4}name: "local\."\n {4}forward-addr: 169\.254\.169\.253/);
    assert.doesNotMatch(aws, /local-data: "util-1/);
  });

  test("every host resolves through unbound only", () => {
    const plan = hostPlan(us, "app", siteFacts(us));
    const resolv = plan.files.find((file) => file.path === "/etc/multicloud/resolv.conf");
    assert.equal(resolv?.content.match(/^nameserver .*$/gm)?.join(), "nameserver 127.0.0.1");
    const resolved = plan.files.find((file) =>
      file.path.startsWith("/etc/systemd/resolved.conf.d/"),
    );
    assert.match(resolved?.content ?? "", /^DNSStubListener=no$/m);
    const useUnbound = plan.files.find((file) => file.path.endsWith("multicloud-use-unbound"));
    assert.match(useUnbound?.content ?? "", /ln -sfn "\$RESOLV" \/etc\/resolv\.conf/);
    assert.match(useUnbound?.content ?? "", /hosts: {10}files dns/);
  });
});

describe("Consul", () => {
  test("util hosts are servers expecting spec.consul.servers; others are agents", () => {
    for (const spec of [jp, us, uk]) {
      const facts = siteFacts(spec);
      const server = JSON.parse(renderConsulConfig(spec, facts, "util"));
      assert.equal(server.server, true);
      assert.equal(server.bootstrap_expect, 3);
      assert.equal(server.datacenter, spec.consul.datacenter);
      const agent = JSON.parse(renderConsulConfig(spec, facts, "app"));
      assert.equal(agent.server, false);
      assert.equal(agent.bootstrap_expect, undefined);
      for (const config of [server, agent]) {
        assert.equal(config.acl.enabled, true);
        assert.equal(config.acl.default_policy, "deny");
        assert.equal(config.acl.enable_token_persistence, true);
        assert.equal(config.client_addr, "127.0.0.1");
        assert.equal(config.ports.dns, 8600);
        assert.equal(config.encrypt, undefined, "the gossip key is never in the rendered config");
        assert.ok(config.bind_addr.includes(spec.network.cidr));
      }
    }
  });

  test("joining: cloud auto-join on AWS and GCP, the util hosts' addresses on Sakura; WAN on servers", () => {
    assert.deepEqual(JSON.parse(renderConsulConfig(us, siteFacts(us), "app")).retry_join, [
      "provider=aws region=us-west-2 tag_key=consul-server tag_value=consul-server-us",
    ]);
    assert.deepEqual(JSON.parse(renderConsulConfig(uk, siteFacts(uk), "app")).retry_join, [
      "provider=gce project_name=example-uk-prod tag_value=consul-server-uk",
    ]);
    assert.deepEqual(JSON.parse(renderConsulConfig(jp, siteFacts(jp), "nginx")).retry_join, [
      "10.10.68.16",
      "10.10.68.17",
      "10.10.68.18",
    ]);
    const federated = {
      ...us,
      consul: { ...us.consul, servers: 5 as const, wanJoin: ["10.30.68.16"] },
    };
    const server = JSON.parse(renderConsulConfig(federated, siteFacts(federated), "util"));
    assert.equal(server.bootstrap_expect, 5);
    assert.deepEqual(server.retry_join_wan, ["10.30.68.16"]);
    assert.equal(
      JSON.parse(renderConsulConfig(federated, siteFacts(federated), "app")).retry_join_wan,
      undefined,
    );
  });

  test("each role registers its services with the right checks", () => {
    const checks: Record<string, Record<string, string>> = {
      nginx: { nginx: "http://@@PRIVATE_ADDRESS@@:80/healthz" },
      app: { app: "http://@@PRIVATE_ADDRESS@@:8080/healthz" },
      mysql: {
        mysql: "@@PRIVATE_ADDRESS@@:3306",
        "mysql-primary": "/usr/local/sbin/multicloud-mysql-role primary",
        "mysql-replica": "/usr/local/sbin/multicloud-mysql-role replica",
      },
      memcached: { memcached: "@@PRIVATE_ADDRESS@@:11211" },
      chocon: { chocon: "http://@@PRIVATE_ADDRESS@@:80/.api/stats" },
    };
    for (const [role, wanted] of Object.entries(checks)) {
      const plan = hostPlan(us, role as "app", siteFacts(us));
      const template = plan.files.find((file) => file.path.includes("/templates/consul-service-"));
      const services = JSON.parse(template?.content ?? "{}").services as {
        name: string;
        check: {
          http?: string;
          tcp?: string;
          args?: string[];
          deregister_critical_service_after?: string;
        };
      }[];
      const found = Object.fromEntries(
        services.map((service) => [
          service.name,
          service.check.http ?? service.check.tcp ?? service.check.args?.join(" "),
        ]),
      );
      assert.deepEqual(found, wanted, role);
      for (const service of services.filter((each) => each.check.args))
        assert.equal(service.check.deregister_critical_service_after, undefined, service.name);
    }
    assert.ok(
      !hostPlan(us, "util", siteFacts(us)).files.some((f) => f.path.includes("consul-service-")),
    );
  });

  test("secrets: placeholders in the template, the store's names in the boot step", () => {
    const server = fileContent(us, "util", CONSUL_SECRETS_TEMPLATE_PATH);
    const parsed = JSON.parse(server);
    assert.equal(parsed.encrypt, PLACEHOLDERS.gossipKey);
    assert.equal(parsed.acl.tokens.agent, PLACEHOLDERS.roleToken);
    assert.equal(parsed.acl.tokens.config_file_service_registration, PLACEHOLDERS.roleToken);
    assert.equal(
      parsed.acl.tokens.default,
      undefined,
      "no default token: requests without one are anonymous",
    );
    assert.equal(parsed.acl.tokens.initial_management, PLACEHOLDERS.managementToken);
    assert.equal(
      JSON.parse(fileContent(us, "app", CONSUL_SECRETS_TEMPLATE_PATH)).acl.tokens
        .initial_management,
      undefined,
    );
    const aws = renderConsulSecretsTool(us, siteFacts(us).secretSource, "app");
    assert.ok(aws.includes(secretName(us, "consul-gossip-key")));
    assert.ok(aws.includes("multicloud-us-consul-token-app"));
    assert.ok(aws.includes("multicloud-us-consul-tls-app"));
    assert.ok(
      !aws.includes("multicloud-us-consul-token-nginx"),
      "an app host reads only its role's token",
    );
    assert.ok(aws.includes("--aws-sigv4"));
    assert.ok(!aws.includes("management-token"), "agents never read the management token");
    const gcp = renderConsulSecretsTool(uk, siteFacts(uk).secretSource, "util");
    assert.ok(
      gcp.includes(
        "https://secretmanager.googleapis.com/v1/projects/$PROJECT/secrets/$1/versions/latest:access",
      ),
    );
    assert.ok(gcp.includes("multicloud-uk-consul-management-token"));
    const pushed = renderConsulSecretsTool(jp, siteFacts(jp).secretSource, "app");
    assert.ok(pushed.includes("readonly PUSHED=/etc/multicloud/secrets"));
  });
});

describe("nginx, chocon and the daemons", () => {
  test("nginx: health path, keep-alive upstream, no server tokens, no default site", () => {
    const conf = fileContent(us, "nginx", NGINX_CONF_PATH);
    assert.match(conf, /^server_tokens off;$/m);
    assert.match(conf, /location = \/healthz \{/);
    assert.match(conf, /upstream app \{[^}]*keepalive 64;/);
    assert.match(conf, /proxy_http_version 1\.1;\n\s+proxy_set_header Connection "";/);
    const plan = hostPlan(us, "nginx", siteFacts(us));
    assert.ok(
      plan.commands.some((command) => command.includes("rm -f /etc/nginx/sites-enabled/default")),
    );
  });

  test("chocon: port 80 on the private address, spec.chocon settings, hardened, pinned release", () => {
    const unit = renderChoconUnit({
      ...us,
      chocon: { maxIdleConnsPerHost: 7, idleTimeoutSeconds: 11, upstreamTimeoutSeconds: 13 },
    });
    assert.match(unit, /--listen \$\{PRIVATE_ADDRESS\} --port 80/);
    assert.match(unit, /--keepalive-conns 7 /);
    assert.match(unit, /--read-timeout 11 /);
    assert.match(unit, /--proxy-read-timeout 13 /);
    for (const line of [
      "DynamicUser=yes",
      "AmbientCapabilities=CAP_NET_BIND_SERVICE",
      "ProtectSystem=strict",
      "NoNewPrivileges=yes",
    ]) {
      assert.ok(unit.includes(`\n${line}\n`), line);
    }
  });

  test("mysql and memcached listen on the private address only", () => {
    assert.match(
      fileContent(us, "mysql", MYSQL_DROP_IN_PATH),
      /--bind-address=\$\{PRIVATE_ADDRESS\}/,
    );
    assert.match(
      fileContent(us, "memcached", MEMCACHED_DROP_IN_PATH),
      / -l \$\{PRIVATE_ADDRESS\} /,
    );
    const plan = hostPlan(us, "mysql", siteFacts(us));
    const disk = plan.commands.findIndex((c) => c.includes("multicloud-data-disk"));
    const install = plan.commands.findIndex((c) => c.includes("mysql-server"));
    assert.ok(disk >= 0 && disk < install, "the data disk is mounted before mysql-server installs");
    assert.ok(plan.commands.some((c) => c.endsWith("multicloud-mysql-secure")));
  });

  test("util hosts save Consul snapshots on a timer", () => {
    const plan = hostPlan(uk, "util", siteFacts(uk));
    assert.ok(plan.files.some((f) => f.path === "/etc/systemd/system/consul-snapshot.timer"));
    assert.match(
      plan.files.find((f) => f.path.endsWith("multicloud-consul-snapshot"))?.content ?? "",
      /consul snapshot save/,
    );
    assert.ok(
      plan.commands.includes("/usr/local/sbin/multicloud-service apply consul-snapshot.timer"),
    );
  });
});

describe("all artifacts", () => {
  const stacks = allArtifacts();

  test("one artifact set per role with hosts; nothing secret-shaped in any file", () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
    const gossip = /"encrypt":\s*"(?!@@)/;
    for (const { stack, spec, roles } of stacks) {
      assert.deepEqual(
        roles.map(([role]) => role),
        rolesPresent(spec),
        stack,
      );
      for (const [role, artifacts] of roles) {
        for (const text of [
          artifacts.cloudInit,
          artifacts.bootstrap,
          ...artifacts.files.map((f) => f.content),
        ]) {
          assert.doesNotMatch(text, uuid, `${stack}/${role}: a token-shaped value was rendered`);
          assert.doesNotMatch(text, gossip, `${stack}/${role}: a gossip key was rendered`);
        }
        const placeholders = new Set(
          artifacts.files.flatMap((f) => f.content.match(/@@[A-Z_]+@@/g) ?? []),
        );
        assert.ok(
          [...placeholders].every((p) => Object.values(PLACEHOLDERS).includes(p as never)),
          `${stack}/${role}`,
        );
        assert.ok(
          artifacts.files.some((f) => f.path === UNBOUND_CONF_PATH && f.units.includes("unbound")),
        );
        assert.ok(artifacts.files.some((f) => f.path === CONSUL_CONFIG_PATH));
        for (const file of artifacts.files) assert.ok(file.content.endsWith("\n"), file.path);
        assert.equal(
          new Set(artifacts.files.map((f) => f.path)).size,
          artifacts.files.length,
          "unique paths",
        );
      }
    }
  });

  test("deterministic and fast: same input, same bytes; every role of every stack in well under a second", () => {
    const started = performance.now();
    const first = [jp, us, uk].map((spec) => JSON.stringify(renderRegionHosts(spec)));
    const elapsed = performance.now() - started;
    const second = [jp, us, uk].map((spec) => JSON.stringify(renderRegionHosts(spec)));
    assert.deepEqual(first, second);
    assert.ok(elapsed < 500, `rendering took ${elapsed.toFixed(0)} ms`);
  });
});
