// Launch templates, auto-scaling groups and fixed hosts, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, type FleetArgs } from "../../components/aws/fleet";
import type { Role } from "../../components/spec/hosts";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import { installMocks } from "../support/mocks";
import {
  gzipUserDataText,
  named,
  optionsOf,
  runProgram,
  type SeenOptions,
  T,
  testProvider,
  usSpec,
} from "./harness";

const rec = installMocks("us");
let seen: SeenOptions[] = [];
const amd64 = "ami-0d4f3e2c1b0a98765";
const arm64 = "ami-0a9b8c7d6e5f40312";

function fleetArgs(spec: ReturnType<typeof usSpec>, prefix: string): FleetArgs {
  const zones = ["a", "b", "c"];
  return {
    spec,
    provider: testProvider(`${prefix}-aws`),
    layout: networkLayout(spec),
    zoneNames: zones.map((z) => `us-west-2${z}`),
    privateSubnetIds: zones.map((z) => `${prefix}-private-${z}`),
    publicSubnetIds: zones.map((z) => `${prefix}-public-${z}`),
    securityGroupIds: (role) => [`sg-host`, `sg-${role}`],
    instanceRole: (role) => ({
      roleArn: pulumi.output(`arn:role/${role}`),
      roleName: pulumi.output(role),
      profileName: pulumi.output(`profile-${role}`),
      profileArn: pulumi.output(`arn:profile/${role}`),
      grants: [],
    }),
    userData: Object.fromEntries(
      (["nginx", "app", "mysql", "memcached", "util", "chocon"] as Role[]).map((role) => [
        role,
        `#cloud-config\n# ${role}\n`,
      ]),
    ),
  };
}

describe("Fleet", () => {
  before(async () => {
    seen = await runProgram(() => {
      const spec = usSpec();
      new Fleet("lb", { ...fleetArgs(spec, "lb"), nginxTargetGroupArns: ["arn:tg/nginx"] }, {});
      const rr = usSpec((raw) => {
        (raw.front as Record<string, unknown>).mode = "dnsRoundRobin";
        // Multivalue records cannot also be failover records.
        delete (raw.front as Record<string, unknown>).failover;
        const hosts = raw.hosts as Record<string, Record<string, unknown>>;
        if (hosts.app) hosts.app.machineType = "m7g.xlarge";
      });
      new Fleet("rr", fleetArgs(rr, "rr"), {});
    });
  });

  it("builds launch templates with IMDSv2, encrypted gp3 roots and gzip user data in base64", () => {
    const templates = named(rec, T.launchTemplate, "lb-");
    assert.deepEqual(templates.map((t) => t.name).sort(), ["lb-app-lt", "lb-nginx-lt"]);
    for (const t of templates) {
      assert.deepEqual(t.inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "enabled",
      });
      const [root, ...others] = t.inputs.blockDeviceMappings as {
        deviceName: string;
        ebs: Record<string, unknown>;
      }[];
      assert.equal(others.length, 0);
      assert.equal(root?.deviceName, "/dev/sda1");
      assert.equal(root?.ebs.encrypted, "true");
      assert.equal(root?.ebs.volumeType, "gp3");
      assert.equal(root?.ebs.volumeSize, 40);
      assert.equal(t.inputs.imageId, amd64);
      const role = t.name === "lb-app-lt" ? "app" : "nginx";
      assert.equal(gzipUserDataText(t.inputs.userData), `#cloud-config\n# ${role}\n`);
      assert.deepEqual(t.inputs.iamInstanceProfile, { arn: `arn:profile/${role}` });
      const instanceTags = (
        t.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]
      ).find((s) => s.resourceType === "instance")?.tags;
      assert.equal(instanceTags?.["consul-datacenter"], "us-west-2");
      assert.equal(instanceTags?.role, role);
      assert.equal(instanceTags?.owner, "sre-us");
    }
    assert.equal(rec.get(T.launchTemplate, "lb-app-lt").inputs.instanceType, "m7i.xlarge");
  });

  it("runs nginx and app in groups over every private subnet with a rolling refresh", () => {
    const nginx = rec.get(T.asg, "lb-nginx-asg").inputs;
    const app = rec.get(T.asg, "lb-app-asg").inputs;
    for (const [group, count] of [
      [nginx, 3],
      [app, 6],
    ] as const) {
      assert.deepEqual(group.vpcZoneIdentifiers, ["lb-private-a", "lb-private-b", "lb-private-c"]);
      assert.equal(group.desiredCapacity, count);
      assert.equal(group.minSize, count);
      const refresh = group.instanceRefresh as {
        strategy: string;
        preferences: Record<string, unknown>;
      };
      assert.equal(refresh.strategy, "Rolling");
      assert.equal(refresh.preferences.minHealthyPercentage, 90);
    }
    assert.equal(nginx.healthCheckType, "ELB");
    assert.deepEqual(nginx.targetGroupArns, ["arn:tg/nginx"]);
    assert.equal(app.healthCheckType, "EC2");
    assert.equal(app.targetGroupArns, undefined);
  });

  it("places every fixed host at its planned address, in its zone's subnet", () => {
    const spec = usSpec();
    const plans = fixedHosts(spec, networkLayout(spec));
    const instances = named(rec, T.instance, "lb-");
    assert.equal(instances.length, plans.length);
    for (const plan of plans) {
      const instance = rec.get(T.instance, `lb-${plan.name}-instance`).inputs;
      assert.equal(instance.privateIp, plan.address, plan.name);
      assert.equal(instance.subnetId, `lb-private-${"abc"[plan.zoneIndex]}`, plan.name);
      assert.equal(instance.disableApiTermination, true);
      assert.equal(instance.associatePublicIpAddress, false);
      assert.equal(instance.iamInstanceProfile, `profile-${plan.role}`);
      assert.deepEqual(instance.vpcSecurityGroupIds, ["sg-host", `sg-${plan.role}`]);
      assert.equal((instance.metadataOptions as Record<string, unknown>).httpTokens, "required");
      const root = instance.rootBlockDevice as Record<string, unknown>;
      assert.equal(root.encrypted, true);
      assert.equal(root.volumeType, "gp3");
      assert.match(String(root.kmsKeyId), /lb-volumes-key-key/);
      // Binary (gzip) user data goes in userDataBase64; userData would re-encode it as UTF-8.
      assert.equal(instance.userData, undefined);
      assert.equal(gzipUserDataText(instance.userDataBase64), `#cloud-config\n# ${plan.role}\n`);
      assert.equal((instance.tags as Record<string, string>).Name, plan.name);
    }
  });

  it("never replaces fixed hosts silently, and protects the stateful ones", () => {
    for (const instance of named(rec, T.instance, "lb-")) {
      const opts = optionsOf(seen, T.instance, instance.name);
      assert.deepEqual(opts.ignoreChanges, ["ami", "userDataBase64"], instance.name);
      const stateful = /^lb-(mysql|util)-/.test(instance.name);
      assert.equal(opts.protect, stateful, instance.name);
    }
    assert.equal(optionsOf(seen, T.key, "lb-volumes-key-key").protect, true);
  });

  it("gives each MySQL host a protected, encrypted data volume", () => {
    const volumes = named(rec, T.volume, "lb-");
    assert.deepEqual(volumes.map((v) => v.name).sort(), ["lb-mysql-1-data", "lb-mysql-2-data"]);
    for (const volume of volumes) {
      assert.equal(volume.inputs.size, 500);
      assert.equal(volume.inputs.encrypted, true);
      assert.equal(volume.inputs.type, "gp3");
      assert.equal(volume.inputs.finalSnapshot, true);
      assert.equal(optionsOf(seen, T.volume, volume.name).protect, true);
    }
    assert.equal(rec.get(T.volume, "lb-mysql-2-data").inputs.availabilityZone, "us-west-2b");
    const attachment = rec.get(T.attachment, "lb-mysql-1-data-attachment").inputs;
    assert.equal(attachment.volumeId, "lb-mysql-1-data-id");
    assert.equal(attachment.instanceId, "lb-mysql-1-instance-id");
    assert.equal(attachment.deviceName, "/dev/sdf");
  });

  it("runs round-robin nginx hosts as fixed hosts in the public subnets", () => {
    assert.equal(named(rec, T.asg, "rr-nginx").length, 0);
    const nginx = named(rec, T.instance, "rr-nginx-");
    assert.deepEqual(
      nginx.map((n) => `${n.inputs.subnetId}@${n.inputs.privateIp}`),
      ["rr-public-a@10.20.1.16", "rr-public-b@10.20.17.16", "rr-public-c@10.20.33.16"],
    );
    // A public address at boot (package mirrors), replaced by the Elastic IP the front attaches.
    assert.ok(nginx.every((n) => n.inputs.associatePublicIpAddress === true));
  });

  it("picks the arm64 image for a Graviton machine type", () => {
    const app = rec.get(T.launchTemplate, "rr-app-lt").inputs;
    assert.equal(app.instanceType, "m7g.xlarge");
    assert.equal(app.imageId, arm64);
  });
});
