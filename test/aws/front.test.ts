// The load-balanced front (ALB, ACM, logs bucket, public records) and the DNS round-robin front.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Front } from "../../components/aws/front";
import { RoundRobinFront } from "../../components/aws/round-robin-front";
import { installMocks } from "../support/mocks";
import {
  named,
  optionsOf,
  policyOf,
  runProgram,
  type SeenOptions,
  T,
  testProvider,
  usSpec,
} from "./harness";

const rec = installMocks("us");
let seen: SeenOptions[] = [];

describe("Front", () => {
  before(async () => {
    seen = await runProgram(() => {
      const provider = testProvider("site-aws");
      const dnsProvider = testProvider("dns-aws", "us-east-1");
      const spec = usSpec((raw) => {
        (raw.front as Record<string, unknown>).names = ["www", "m.shop", "@"];
      });
      new Front(
        "lb",
        {
          spec,
          provider,
          account: { id: "123456789012", partition: "aws" },
          dnsProvider,
          publicZoneId: "Zpublic",
          vpcId: "vpc-1",
          publicSubnetIds: ["public-a", "public-b", "public-c"],
          securityGroupId: "sg-alb",
        },
        {},
      );
      const rr = usSpec((raw) => {
        (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
        // Multivalue records cannot also be failover records.
        delete (raw.front as Record<string, unknown>).failover;
      });
      new RoundRobinFront(
        "rr",
        {
          spec: rr,
          provider,
          dnsProvider,
          publicZoneId: "Zpublic",
          hosts: [1, 2].map((n) => ({
            plan: {
              name: `nginx-${n}`,
              role: "nginx",
              ordinal: n,
              zone: "us-west-2a",
              zoneIndex: n - 1,
              address: `10.20.${n === 1 ? 1 : 17}.16`,
              consulServer: false,
              placement: "cloud",
            },
            instanceId: pulumi.output(`i-${n}`),
          })),
        },
        {},
      );
    });
  });

  it("makes an internet-facing ALB that drops invalid headers, logs, and resists deletion", () => {
    const alb = rec.get(T.lb, "lb-alb").inputs;
    assert.equal(alb.loadBalancerType, "application");
    assert.equal(alb.internal, false);
    assert.deepEqual(alb.subnets, ["public-a", "public-b", "public-c"]);
    assert.deepEqual(alb.securityGroups, ["sg-alb"]);
    assert.equal(alb.dropInvalidHeaderFields, true);
    assert.equal(alb.enableDeletionProtection, true);
    const logs = alb.accessLogs as Record<string, unknown>;
    assert.equal(logs.enabled, true);
    assert.equal(logs.bucket, "lb-logs-bucket-id");
    const dependsOn = optionsOf(seen, T.lb, "lb-alb").dependsOn;
    assert.ok(
      Array.isArray(dependsOn) && dependsOn.length === 1,
      "the ALB waits for the bucket policy",
    );
  });

  it("serves HTTPS with the modern policy and a validated certificate, and redirects HTTP", () => {
    const https = rec.get(T.listener, "lb-https").inputs;
    assert.equal(https.port, 443);
    assert.equal(https.protocol, "HTTPS");
    assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert.equal(
      https.certificateArn,
      rec.get(T.validation, "lb-tls-validation").inputs.certificateArn,
    );
    assert.deepEqual(https.defaultActions, [
      { type: "forward", targetGroupArn: "arn:aws:mock:::aws:lb/targetGroup:TargetGroup/lb-nginx" },
    ]);
    const http = rec.get(T.listener, "lb-http").inputs;
    assert.deepEqual(http.defaultActions, [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ]);
  });

  it("checks nginx on the spec's health path", () => {
    const tg = rec.get(T.targetGroup, "lb-nginx").inputs;
    assert.equal(tg.port, 80);
    assert.equal(tg.vpcId, "vpc-1");
    assert.equal((tg.healthCheck as Record<string, unknown>).path, "/healthz");
  });

  it("certifies the domain and every front name, validated in the public zone", () => {
    const cert = rec.get(T.certificate, "lb-tls-cert");
    assert.equal(cert.inputs.domainName, "example.com");
    assert.deepEqual(cert.inputs.subjectAlternativeNames, [
      "www.example.com",
      "m.shop.example.com",
    ]);
    assert.equal(cert.inputs.validationMethod, "DNS");
    assert.match(String(cert.provider), /site-aws/);
    const records = named(rec, T.record, "lb-tls-validation-");
    assert.equal(records.length, 3);
    for (const record of records) {
      assert.equal(record.inputs.zoneId, "Zpublic");
      assert.match(String(record.provider), /dns-aws/);
    }
    const validation = rec.get(T.validation, "lb-tls-validation").inputs;
    assert.equal((validation.validationRecordFqdns as unknown[]).length, 3);
  });

  it("points every front name at the ALB with alias records", () => {
    const records = ["lb-apex-a", "lb-www-a", "lb-m-shop-a"].map((n) => rec.get(T.record, n));
    assert.equal(
      named(rec, T.record, "lb-").filter((r) => Array.isArray(r.inputs.aliases)).length,
      3,
    );
    assert.deepEqual(
      records.map((r) => r.inputs.name),
      ["example.com", "www.example.com", "m.shop.example.com"],
    );
    for (const record of records) {
      assert.equal(record.inputs.type, "A");
      assert.equal(record.inputs.zoneId, "Zpublic");
      const [alias] = record.inputs.aliases as Record<string, unknown>[];
      assert.equal(alias?.zoneId, "ZLBALB");
      assert.equal(alias?.evaluateTargetHealth, true);
      assert.match(String(record.provider), /dns-aws/);
    }
  });

  it("keeps access logs private, encrypted, TLS-only and bounded", () => {
    assert.deepEqual(
      { ...rec.get(T.publicAccess, "lb-logs-public-access").inputs, bucket: undefined },
      {
        bucket: undefined,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    );
    assert.deepEqual(rec.get(T.ownership, "lb-logs-ownership").inputs.rule, {
      objectOwnership: "BucketOwnerEnforced",
    });
    const sse = rec.get(T.encryption, "lb-logs-encryption").inputs.rules as Record<
      string,
      Record<string, unknown>
    >[];
    assert.equal(sse[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm, "AES256");
    const lifecycle = rec.get(T.lifecycle, "lb-logs-lifecycle").inputs.rules as Record<
      string,
      Record<string, unknown>
    >[];
    assert.equal(lifecycle[0]?.expiration?.days, 90);
    const policy = policyOf(rec.get(T.bucketPolicy, "lb-logs-policy").inputs.policy);
    const sids = policy.Statement.map((s) => s.Sid);
    assert.deepEqual(sids, [
      "DenyInsecureTransport",
      "ElbAccountWritesLogs",
      "ElbLogDeliveryWritesLogs",
    ]);
    assert.deepEqual(policy.Statement[1]?.Principal, { AWS: "arn:aws:iam::797873946194:root" });
    assert.equal(
      policy.Statement[1]?.Resource,
      "arn:aws:mock:::aws:s3/bucket:Bucket/lb-logs-bucket/alb/AWSLogs/123456789012/*",
    );
  });

  it("gives round-robin nginx hosts Elastic IPs, health checks and multi-value records", () => {
    const eips = named(rec, T.eip, "rr-");
    assert.deepEqual(
      eips.map((e) => e.inputs.instance),
      ["i-1", "i-2"],
    );
    const checks = named(rec, T.healthCheck, "rr-");
    assert.equal(checks.length, 2);
    for (const check of checks) {
      assert.equal(check.inputs.type, "HTTP");
      assert.equal(check.inputs.resourcePath, "/healthz");
      assert.equal(check.inputs.port, 80);
    }
    const records = named(rec, T.record, "rr-");
    assert.deepEqual(records.map((r) => r.name).sort(), [
      "rr-apex-nginx-1",
      "rr-apex-nginx-2",
      "rr-www-nginx-1",
      "rr-www-nginx-2",
    ]);
    const one = rec.get(T.record, "rr-www-nginx-2").inputs;
    assert.equal(one.multivalueAnswerRoutingPolicy, true);
    assert.equal(one.setIdentifier, "nginx-2");
    assert.equal(one.healthCheckId, "rr-nginx-2-health-id");
    assert.equal(one.name, "www.example.com");
    assert.equal(named(rec, T.lb, "rr-").length, 0);
  });
});
