import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { acmeChallengeName } from "../../components/gcp/certificates";
import { GcpLoadBalancer } from "../../components/gcp/load-balancer";
import { publicNames } from "../../components/gcp/public-names";
import { dnsProvider, field, type Program, runProgram } from "./harness";

describe("publicNames", () => {
  it("turns @ into the apex and keeps other names under the domain", () => {
    assert.deepEqual(publicNames("example.co.uk", ["@", "www", "api.v2"]), [
      { relative: "@", fqdn: "example.co.uk", key: "apex" },
      { relative: "www", fqdn: "www.example.co.uk", key: "www" },
      { relative: "api.v2", fqdn: "api.v2.example.co.uk", key: "api-v2" },
    ]);
  });
});

describe("GcpLoadBalancer", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpLoadBalancer("lb", {
        ...context,
        domain: "example.co.uk",
        names: ["@", "www"],
        healthCheckPath: "/healthz",
        instanceGroup: "https://compute/instanceGroups/nginx",
        publicZoneId: "ZUKZONE",
        dnsProvider: dnsProvider(),
      });
    });
  });
  const get = (type: string, name: string) => program.recorder.get(type, name);
  const selfLinkOf = (type: string, name: string) =>
    new RegExp(`${type.replace(/[/]/g, "\\/")}/${name}$`);

  it("is a global external Application Load Balancer on reserved IPv4 and IPv6 addresses", () => {
    const addresses = program.recorder.ofType("gcp:compute/globalAddress:GlobalAddress");
    assert.deepEqual(addresses.map((a) => a.inputs.ipVersion).sort(), ["IPV4", "IPV6"]);
    const rules = program.recorder.ofType("gcp:compute/globalForwardingRule:GlobalForwardingRule");
    assert.deepEqual(rules.map((r) => `${r.name} ${r.inputs.portRange}`).sort(), [
      "lb-ipv4-443 443",
      "lb-ipv4-80 80",
      "lb-ipv6-443 443",
      "lb-ipv6-80 80",
    ]);
    for (const rule of rules) assert.equal(rule.inputs.loadBalancingScheme, "EXTERNAL_MANAGED");
    assert.equal(
      get("gcp:compute/globalForwardingRule:GlobalForwardingRule", "lb-ipv4-443").inputs.target,
      "lb-https-id",
    );
    assert.equal(
      get("gcp:compute/globalForwardingRule:GlobalForwardingRule", "lb-ipv6-80").inputs.target,
      "lb-http-id",
    );
  });

  it("terminates TLS with the certificate map and a MODERN, TLS 1.2+ policy", () => {
    const policy = get("gcp:compute/sSLPolicy:SSLPolicy", "lb-tls-policy");
    assert.equal(policy.inputs.profile, "MODERN");
    assert.equal(policy.inputs.minTlsVersion, "TLS_1_2");
    const proxy = get("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "lb-https");
    assert.match(
      String(proxy.inputs.sslPolicy),
      selfLinkOf("gcp:compute/sSLPolicy:SSLPolicy", "lb-tls-policy"),
    );
    assert.equal(proxy.inputs.certificateMap, "//certificatemanager.googleapis.com/lb-tls-map-id");
    assert.equal(proxy.inputs.urlMap, "lb-https-map-id");
  });

  it("answers plain HTTP only with a permanent redirect to HTTPS", () => {
    const proxy = get("gcp:compute/targetHttpProxy:TargetHttpProxy", "lb-http");
    const map = get("gcp:compute/uRLMap:URLMap", "lb-http-redirect");
    assert.equal(proxy.inputs.urlMap, "lb-http-redirect-id");
    assert.deepEqual(map.inputs.defaultUrlRedirect, {
      httpsRedirect: true,
      redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
      stripQuery: false,
    });
    assert.equal(map.inputs.defaultService, undefined);
  });

  it("sends HTTPS to the nginx group through Cloud Armor, logging every request", () => {
    const backend = get("gcp:compute/backendService:BackendService", "lb-backend");
    assert.equal(backend.inputs.loadBalancingScheme, "EXTERNAL_MANAGED");
    assert.match(
      String(backend.inputs.securityPolicy),
      selfLinkOf("gcp:compute/securityPolicy:SecurityPolicy", "lb-armor"),
    );
    assert.deepEqual(backend.inputs.logConfig, { enable: true, sampleRate: 1 });
    assert.equal(backend.inputs.connectionDrainingTimeoutSec, 300);
    assert.equal(
      field(backend.inputs, "backends", 0, "group"),
      "https://compute/instanceGroups/nginx",
    );
    assert.equal(backend.inputs.healthChecks, "lb-health-id");
    const health = get("gcp:compute/healthCheck:HealthCheck", "lb-health");
    assert.equal(field(health.inputs, "httpHealthCheck", "requestPath"), "/healthz");
    assert.equal(
      get("gcp:compute/uRLMap:URLMap", "lb-https-map").inputs.defaultService,
      "lb-backend-id",
    );
  });

  it("turns on adaptive layer 7 DDoS defense", () => {
    const armor = get("gcp:compute/securityPolicy:SecurityPolicy", "lb-armor");
    assert.equal(
      field(armor.inputs, "adaptiveProtectionConfig", "layer7DdosDefenseConfig", "enable"),
      true,
    );
    assert.equal(armor.inputs.type, "CLOUD_ARMOR");
    const rules = armor.inputs.rules as { priority: number; action: string }[];
    assert.deepEqual(rules.find((r) => r.priority === 2147483647)?.action, "allow");
  });

  it("denies the six OWASP rule sets at the lowest sensitivity before anything allows", () => {
    const armor = get("gcp:compute/securityPolicy:SecurityPolicy", "lb-armor");
    const rules = armor.inputs.rules as Record<string, unknown>[];
    const ordered = [...rules].sort((a, b) => Number(a.priority) - Number(b.priority));
    assert.deepEqual(
      ordered.slice(0, 6).map((r) => [r.action, field(r, "match", "expr", "expression")]),
      [
        ["deny(403)", "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})"],
        ["deny(403)", "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})"],
        ["deny(403)", "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})"],
        ["deny(403)", "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})"],
        [
          "deny(403)",
          "evaluatePreconfiguredWaf('scannerdetection-v33-stable', {'sensitivity': 1})",
        ],
        ["deny(403)", "evaluatePreconfiguredWaf('protocolattack-v33-stable', {'sensitivity': 1})"],
      ],
    );
  });

  it("issues one certificate per name, authorised through a record in Route53", () => {
    const certificates = program.recorder.ofType("gcp:certificatemanager/certificate:Certificate");
    assert.deepEqual(certificates.map((c) => field(c.inputs, "managed", "domains")).sort(), [
      ["example.co.uk"],
      ["www.example.co.uk"],
    ]);
    const entries = program.recorder.ofType(
      "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
    );
    assert.deepEqual(entries.map((e) => e.inputs.hostname).sort(), [
      "example.co.uk",
      "www.example.co.uk",
    ]);
    const www = get("gcp:certificatemanager/certificate:Certificate", "lb-tls-www-certificate");
    assert.deepEqual(field(www.inputs, "managed", "dnsAuthorizations"), [
      "lb-tls-www-authorization-id",
    ]);
    const challenge = get("aws:route53/record:Record", "lb-tls-www-authorization");
    assert.equal(challenge.inputs.name, acmeChallengeName("www.example.co.uk"));
    assert.equal(challenge.inputs.type, "CNAME");
    assert.equal(challenge.inputs.zoneId, "ZUKZONE");
  });

  it("points the public names at the addresses in Route53, through the DNS provider", () => {
    const records = program.recorder
      .ofType("aws:route53/record:Record")
      .filter((r) => r.inputs.type === "A" || r.inputs.type === "AAAA");
    assert.deepEqual(records.map((r) => `${r.inputs.type} ${r.inputs.name}`).sort(), [
      "A example.co.uk",
      "A www.example.co.uk",
      "AAAA example.co.uk",
      "AAAA www.example.co.uk",
    ]);
    for (const record of program.recorder.ofType("aws:route53/record:Record")) {
      assert.match(String(record.provider), /pulumi:providers:aws::test-dns::/);
    }
    for (const resource of program.custom.filter((r) => r.type.startsWith("gcp:"))) {
      assert.match(String(resource.provider), /pulumi:providers:gcp::test-gcp::/, resource.name);
    }
  });
});
