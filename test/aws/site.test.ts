// The whole AWS site built from the real Pulumi.us.yaml, under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsSite } from "../../components/aws/site";
import { type Role, roles } from "../../components/spec/hosts";
import { fixedHosts, networkLayout } from "../../components/spec/layout";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { installMocks, resolveOutput } from "../support/mocks";
import {
  gzipUserDataText,
  isSecret,
  optionsOf,
  runProgram,
  type SeenOptions,
  T,
  usSpec,
} from "./harness";

const rec = installMocks("us");
const spec = usSpec();
/** A recognisable value per host secret, searched for everywhere it must not be. */
const secretValues = Object.fromEntries(
  hostSecretIds.map((id, i) => [id, `s3cret-${id}-7hQ2xv9LmT4pRw8sYb1c-${i}`]),
) as Record<HostSecretId, string>;
let seen: SeenOptions[] = [];
let site: AwsSite | undefined;

function theSite(): AwsSite {
  assert.ok(site, "the site was not built");
  return site;
}

describe("AwsSite (us)", () => {
  before(async () => {
    seen = await runProgram(() => {
      const dnsProvider = new aws.Provider("dns", { region: "us-east-1" });
      site = new AwsSite("us", {
        spec,
        publicZoneId: "Zexamplecom",
        dnsProvider,
        userData: Object.fromEntries(
          roles.map((role) => [role, `#cloud-config\nhostname: ${role}\nruncmd: [echo ${role}]\n`]),
        ) as Record<Role, string>,
        hostSecrets: Object.fromEntries(
          hostSecretIds.map((id) => [id, pulumi.secret(secretValues[id])]),
        ) as Record<HostSecretId, pulumi.Output<string>>,
      });
    });
  });

  it("creates its own provider for the region with the region's tags", () => {
    const provider = rec.get(T.provider, "us-aws").inputs;
    assert.equal(provider.region, "us-west-2");
    const tags = JSON.parse(String(provider.defaultTags)) as { tags: Record<string, string> };
    assert.deepEqual(tags.tags, {
      owner: "sre-us",
      "cost-center": "marketplace-us",
      project: "multicloud",
      region: "us",
      "managed-by": "pulumi",
    });
    assert.equal(provider.allowedAccountIds, undefined, "the us spec names no account");
  });

  it("gives every custom resource an explicit provider: the site's, the DNS one for public records, the backup region's for backups", () => {
    const siteProvider = "pulumi:providers:aws::us-aws::us-aws-id";
    const dnsProvider = "pulumi:providers:aws::dns::dns-id";
    const backupProvider = "pulumi:providers:aws::us-backups-aws::us-backups-aws-id";
    const custom = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.ok(custom.length > 100);
    for (const resource of custom) {
      // Route53 is global: public records and health checks (failover) go through the DNS provider.
      const publicDns =
        (resource.type === T.record && resource.inputs.zoneId === "Zexamplecom") ||
        resource.type === T.healthCheck;
      const backups = /^us-(backups|offsite)-|-backups-replication$/.test(resource.name);
      const expected = publicDns ? dnsProvider : backups ? backupProvider : siteProvider;
      assert.ok(
        resource.provider?.endsWith(expected),
        `${resource.type} ${resource.name}: ${resource.provider}`,
      );
    }
    for (const s of seen.filter(
      (s) => !s.type.startsWith("multicloud:") && !s.type.startsWith("pulumi:"),
    )) {
      assert.ok(s.opts.provider, `${s.type} ${s.name} has no provider option`);
    }
  });

  it("cuts subnets in three zones with the layout's CIDRs", () => {
    const layout = networkLayout(spec);
    const subnets = rec.ofType(T.subnet);
    assert.equal(subnets.length, 9);
    assert.deepEqual([...new Set(subnets.map((s) => s.inputs.availabilityZone))].sort(), [
      "us-west-2a",
      "us-west-2b",
      "us-west-2c",
    ]);
    const cidrs = subnets.map((s) => s.inputs.cidrBlock).sort();
    const planned = [...layout.public, ...layout.private, ...layout.data]
      .map(
        (c) =>
          `${[24, 16, 8, 0].map((b) => Math.floor(c.base / 2 ** b) % 256).join(".")}/${c.prefix}`,
      )
      .sort();
    assert.deepEqual(cidrs, planned);
    assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
  });

  it("runs a NAT gateway in each zone", () => {
    const nats = rec.ofType(T.nat);
    assert.equal(nats.length, 3);
    assert.equal(new Set(nats.map((n) => n.inputs.subnetId)).size, 3);
  });

  it("requires IMDSv2 with hop limit 1 and encrypts every volume in every launch template", () => {
    const templates = rec.ofType(T.launchTemplate);
    assert.equal(templates.length, 2);
    for (const t of templates) {
      const metadata = t.inputs.metadataOptions as Record<string, unknown>;
      assert.equal(metadata.httpTokens, "required", t.name);
      assert.equal(metadata.httpPutResponseHopLimit, 1, t.name);
      const devices = t.inputs.blockDeviceMappings as { ebs?: Record<string, unknown> }[];
      assert.ok(devices.length > 0);
      for (const device of devices) assert.equal(device.ebs?.encrypted, "true", t.name);
    }
    for (const instance of rec.ofType(T.instance)) {
      assert.equal(
        (instance.inputs.metadataOptions as Record<string, unknown>).httpTokens,
        "required",
      );
      assert.equal((instance.inputs.rootBlockDevice as Record<string, unknown>).encrypted, true);
    }
    assert.ok(rec.ofType(T.volume).every((v) => v.inputs.encrypted === true));
  });

  it("opens nothing to the internet but the front's 80/443, and nothing on port 22", () => {
    const ingress = rec.ofType(T.ingress);
    const open = ingress.filter(
      (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0",
    );
    assert.deepEqual(
      open.map((r) => `${r.inputs.securityGroupId}:${r.inputs.fromPort}-${r.inputs.toPort}`).sort(),
      ["us-sg-alb-id:443-443", "us-sg-alb-id:80-80"],
    );
    for (const rule of [...ingress, ...rec.ofType(T.egress)]) {
      const from = Number(rule.inputs.fromPort);
      const to = Number(rule.inputs.toPort);
      assert.ok(!(from <= 22 && 22 <= to), `${rule.name} covers port 22`);
      assert.notEqual(rule.inputs.ipProtocol, "-1", `${rule.name} allows every protocol`);
    }
    for (const group of rec.ofType(T.sg)) {
      assert.equal(group.inputs.ingress, undefined);
      assert.equal(group.inputs.egress, undefined);
    }
  });

  it("makes the RDS databases multi-AZ, encrypted, protected and private", () => {
    const dbs = rec.ofType(T.rds);
    assert.deepEqual(dbs.map((d) => d.inputs.identifier).sort(), [
      "us-accounts",
      "us-notifications",
    ]);
    for (const db of dbs) {
      const i = db.inputs;
      assert.equal(i.multiAz, true, db.name);
      assert.equal(i.storageEncrypted, true, db.name);
      assert.ok(i.kmsKeyId, db.name);
      assert.equal(i.deletionProtection, true, db.name);
      assert.equal(i.publiclyAccessible, false, db.name);
      assert.equal(i.skipFinalSnapshot, false, db.name);
      assert.ok(i.finalSnapshotIdentifier, db.name);
      assert.ok(Number(i.backupRetentionPeriod) >= 7, db.name);
      assert.equal(i.manageMasterUserPassword, true, db.name);
      assert.deepEqual(i.vpcSecurityGroupIds, ["us-sg-database-id"], db.name);
      assert.equal(optionsOf(seen, T.rds, db.name).protect, true, db.name);
    }
  });

  it("keeps secret values out of user data and the secrets themselves secret", () => {
    const userData = [
      ...rec.ofType(T.launchTemplate).map((t) => gzipUserDataText(t.inputs.userData)),
      ...rec.ofType(T.instance).map((i) => gzipUserDataText(i.inputs.userDataBase64)),
    ];
    assert.equal(userData.length, 2 + fixedHosts(spec).length);
    const values = Object.values(secretValues);
    for (const text of userData) {
      assert.match(text, /^#cloud-config/);
      assert.ok(values.every((value) => !text.includes(value)));
    }
    const everythingButSecrets = JSON.stringify(
      rec.resources.filter((r) => r.type !== T.secretVersion).map((r) => r.inputs),
    );
    assert.ok(values.every((value) => !everythingButSecrets.includes(value)));
    const versions = rec.ofType(T.secretVersion);
    assert.equal(versions.length, hostSecretIds.length);
    assert.ok(versions.every((v) => isSecret(v.inputs.secretString)));
  });

  it("never replaces stateful hosts silently and protects MySQL, Consul servers and data volumes", () => {
    const instances = rec.ofType(T.instance);
    assert.equal(instances.length, fixedHosts(spec).length);
    for (const instance of instances) {
      const opts = optionsOf(seen, T.instance, instance.name);
      assert.ok(opts.ignoreChanges?.includes("ami"), instance.name);
      assert.ok(opts.ignoreChanges?.includes("userDataBase64"), instance.name);
      assert.equal(instance.inputs.disableApiTermination, true, instance.name);
      const stateful = /-(mysql|util)-\d+-instance$/.test(instance.name);
      assert.equal(opts.protect === true, stateful, instance.name);
    }
    const volumes = rec.ofType(T.volume);
    assert.equal(volumes.length, 2);
    for (const volume of volumes)
      assert.equal(optionsOf(seen, T.volume, volume.name).protect, true);
    assert.equal(optionsOf(seen, T.zone, "us-internal-zone").protect, true);
  });

  it("boots no host before its routes, address reservations, secrets and grants exist", async () => {
    const urnsOf = async (type: string, name: string): Promise<string[]> => {
      const dependsOn = optionsOf(seen, type, name).dependsOn;
      const list = Array.isArray(dependsOn) ? dependsOn : [];
      return Promise.all(list.map((r) => resolveOutput((r as pulumi.Resource).urn)));
    };
    const hosts = [
      ...rec.ofType(T.instance).map((i) => [T.instance, i.name] as const),
      ...rec.ofType(T.asg).map((g) => [T.asg, g.name] as const),
    ];
    assert.equal(hosts.length, 9 + 2);
    for (const [type, name] of hosts) {
      const urns = await urnsOf(type, name);
      const count = (pattern: RegExp) => urns.filter((u) => pattern.test(u)).length;
      assert.equal(count(/SubnetCidrReservation::/), 12, name);
      assert.equal(count(/ec2\/route:Route::us-network-private-[abc]-default$/), 3, name);
      // Only the values its own role reads: the gossip key, its Consul token and certificate,
      // and MySQL's replication password; util hosts hold the management token and every token.
      const role = /-(nginx|app|memcached|chocon|mysql|util)-/.exec(name)?.[1] ?? "";
      const reads = { nginx: 3, app: 3, memcached: 3, chocon: 3, mysql: 4, util: 9 }[role];
      assert.equal(count(/SecretVersion::/), reads, name);
      assert.equal(count(/RolePolicy::us-iam-[a-z]+-host$/), 1, name);
      assert.equal(count(/RolePolicyAttachment::us-iam-[a-z]+-ssm$/), 1, name);
    }
  });

  it("points the front names at the ALB and serves the internal zone", () => {
    const aliases = rec.ofType(T.record).filter((r) => Array.isArray(r.inputs.aliases));
    assert.deepEqual(aliases.map((r) => r.inputs.name).sort(), ["example.com", "www.example.com"]);
    const internal = rec.ofType(T.record).filter((r) => r.inputs.zoneId === "ZUSINTERNALZONE");
    const names = internal.map((r) => r.inputs.name);
    assert.ok(names.includes("mysql-1.local") && names.includes("util.local"));
    assert.ok(names.includes("accounts-db.local") && names.includes("notifications-db.local"));
    assert.equal(rec.ofType(T.zone).length, 1);
  });

  it("exposes what the region and the host layer need", async () => {
    const s = theSite();
    assert.equal(await resolveOutput(s.vpcId), "us-network-vpc-id");
    assert.equal(s.vpcResolver, "10.20.0.2");
    assert.equal(s.vpcCidr, "10.20.0.0/16");
    assert.equal(s.natPublicIps.length, 3);
    assert.ok(s.albDnsName);
    assert.deepEqual(Object.keys(s.frontAddresses), []);
    assert.deepEqual(Object.keys(s.databases).sort(), ["accounts", "notifications"]);
    assert.equal(s.databases.accounts?.internalName, "accounts-db.local");
    assert.equal(await resolveOutput(s.privateZoneId), "ZUSINTERNALZONE");
    assert.equal(s.hosts.length, 9);
    assert.deepEqual(Object.keys(s.instanceIds).sort(), s.hosts.map((h) => h.name).sort());
    assert.deepEqual(Object.keys(s.groupNames).sort(), ["app", "nginx"]);
    assert.deepEqual(s.consulServerTag, { key: "consul-server", value: "consul-server-us" });
    const servers = rec
      .ofType(T.instance)
      .filter(
        (i) => (i.inputs.tags as Record<string, string>)["consul-server"] === "consul-server-us",
      );
    assert.deepEqual(servers.map((i) => i.name).sort(), [
      "us-fleet-util-1-instance",
      "us-fleet-util-2-instance",
      "us-fleet-util-3-instance",
    ]);
  });
});
