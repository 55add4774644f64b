// The whole uk site, built from Pulumi.uk.yaml under the mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { SITE_APIS } from "../../components/gcp/apis";
import { GcpSite, secretLocations, wanPeers } from "../../components/gcp/site";
import { roles } from "../../components/spec/hosts";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import { hostSecretIds, secretsForRole } from "../../components/spec/secrets";
import { field, outputValue, type Program, runProgram, secretInput } from "./harness";
import { hostSecrets, ukSiteArgs, ukSpec } from "./uk-site";

const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const INSTANCE = "gcp:compute/instance:Instance";
const MIG = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";

describe("GcpSite (uk)", () => {
  const spec = ukSpec();
  let program: Program;
  let site: GcpSite | undefined;
  before(async () => {
    program = await runProgram(() => {
      site = new GcpSite("uk", ukSiteArgs(spec));
    });
  });
  const hostsOf = () => [
    ...program.recorder.ofType(TEMPLATE),
    ...program.recorder.ofType(INSTANCE),
  ];

  it("admits nothing from 0.0.0.0/0 but the logged catch-all deny", () => {
    const rules = program.recorder.ofType("gcp:compute/firewall:Firewall");
    assert.ok(rules.length > 5);
    for (const rule of rules) {
      const ranges = (rule.inputs.sourceRanges as string[] | undefined) ?? [];
      const open = ranges.includes("0.0.0.0/0") || ranges.includes("::/0");
      if (open)
        assert.ok(rule.inputs.denies && !rule.inputs.allows, `${rule.name} opens to the internet`);
      assert.ok(rule.inputs.logConfig, `${rule.name} is not logged`);
    }
  });

  it("shields every host, gives it no external address and its role's own service account", () => {
    const hosts = hostsOf();
    assert.equal(hosts.length, 2 + 2 + 2 + 3 + 2);
    for (const host of hosts) {
      const role = String(field(host.inputs, "labels", "role"));
      assert.ok((roles as readonly string[]).includes(role), host.name);
      assert.deepEqual(host.inputs.shieldedInstanceConfig, {
        enableSecureBoot: true,
        enableVtpm: true,
        enableIntegrityMonitoring: true,
      });
      const nics = host.inputs.networkInterfaces as Record<string, unknown>[];
      assert.equal(nics.length, 1);
      assert.equal(nics[0]?.accessConfigs, undefined, host.name);
      const email = String(field(host.inputs, "serviceAccount", "email"));
      assert.equal(email, `uk-${role}-host@${spec.gcp.project}.iam.gserviceaccount.com`, host.name);
      assert.doesNotMatch(email, /-compute@developer\.gserviceaccount\.com$/);
    }
  });

  it("turns on OS Login and turns off project SSH keys and the serial port on every host", () => {
    for (const host of hostsOf()) {
      const metadata = host.inputs.metadata as Record<string, unknown>;
      assert.equal(metadata["enable-oslogin"], "TRUE", host.name);
      assert.equal(metadata["block-project-ssh-keys"], "TRUE", host.name);
      assert.equal(metadata["serial-port-enable"], "FALSE", host.name);
      assert.match(String(metadata["user-data"]), /^#cloud-config\n/, host.name);
    }
  });

  it("puts no secret value in any metadata, and stores each one as a secret", () => {
    const everything = JSON.stringify(hostsOf().map((host) => host.inputs.metadata));
    for (const value of Object.values(hostSecrets)) assert.ok(!everything.includes(value));
    const versions = program.recorder.ofType("gcp:secretmanager/secretVersion:SecretVersion");
    assert.deepEqual(
      versions.map((v) => secretInput(v.inputs.secretData)).sort(),
      Object.values(hostSecrets).sort(),
    );
    const names = program.recorder
      .ofType("gcp:secretmanager/secret:Secret")
      .map((s) => s.inputs.secretId);
    assert.deepEqual(names.sort(), hostSecretIds.map((id) => `multicloud-uk-${id}`).sort());
  });

  it("serves HTTPS under the SSL policy and Cloud Armor", () => {
    const proxies = program.recorder.ofType("gcp:compute/targetHttpsProxy:TargetHttpsProxy");
    assert.equal(proxies.length, 1);
    assert.match(String(proxies[0]?.inputs.sslPolicy), /sSLPolicy:SSLPolicy\/uk-lb-tls-policy$/);
    const backends = program.recorder.ofType("gcp:compute/backendService:BackendService");
    assert.equal(backends.length, 1);
    assert.match(
      String(backends[0]?.inputs.securityPolicy),
      /securityPolicy:SecurityPolicy\/uk-lb-armor$/,
    );
  });

  it("heals the nginx and app groups and rolls them out proactively", () => {
    const groups = program.recorder.ofType(MIG);
    assert.deepEqual(groups.map((g) => g.inputs.baseInstanceName).sort(), ["app", "nginx"]);
    for (const group of groups) {
      assert.ok(field(group.inputs, "autoHealingPolicies", "healthCheck"), group.name);
      assert.equal(field(group.inputs, "updatePolicy", "type"), "PROACTIVE");
      assert.equal(field(group.inputs, "updatePolicy", "maxUnavailableFixed"), 0);
      assert.deepEqual(group.inputs.distributionPolicyZones, spec.gcp.zones);
    }
    const nginx = program.recorder.get(MIG, "uk-nginx-group");
    assert.equal(nginx.inputs.targetSize, spec.hosts.nginx.count);
    assert.deepEqual(nginx.inputs.namedPorts, [{ name: "http", port: 80 }]);
  });

  it("snapshots every MySQL data disk on a schedule", () => {
    const disks = program.recorder.ofType("gcp:compute/disk:Disk");
    assert.equal(disks.length, spec.hosts.mysql.count);
    const attached = program.recorder
      .ofType("gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment")
      .map((a) => a.inputs.disk);
    for (const disk of disks) {
      assert.equal(disk.inputs.size, spec.hosts.mysql.dataDiskGb);
      assert.ok(attached.includes(disk.inputs.name), `${disk.name} has no snapshot schedule`);
    }
    const policy = program.recorder.ofType("gcp:compute/resourcePolicy:ResourcePolicy")[0];
    assert.equal(
      field(policy?.inputs, "snapshotSchedulePolicy", "retentionPolicy", "maxRetentionDays"),
      14,
    );
    assert.equal(
      field(policy?.inputs, "snapshotSchedulePolicy", "snapshotProperties", "storageLocations"),
      "europe-west1",
    );
  });

  it("names an explicit provider for every custom resource", () => {
    assert.ok(program.custom.length > 100);
    for (const resource of program.custom) {
      // The waits after the APIs run in the engine's dynamic provider host, with no cloud's provider.
      if (resource.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait") continue;
      const expected = resource.type.startsWith("aws:") ? "aws::test-dns" : "gcp::uk-gcp";
      assert.match(
        String(resource.provider),
        new RegExp(`pulumi:providers:${expected}::`),
        resource.name,
      );
      assert.equal(program.optionsOf(resource).hasProvider, true, resource.name);
    }
  });

  it("protects MySQL, its data, the Consul servers and the internal zone, and keeps fixed hosts from being replaced", () => {
    const protectedNames = program.custom
      .filter((r) => program.optionsOf(r).protect)
      .map((r) => r.name);
    assert.deepEqual(protectedNames.sort(), [
      "uk-hosts-mysql-1",
      "uk-hosts-mysql-1-data",
      "uk-hosts-mysql-2",
      "uk-hosts-mysql-2-data",
      "uk-hosts-util-1",
      "uk-hosts-util-2",
      "uk-hosts-util-3",
      "uk-internal-zone-zone",
      "uk-offsite-bucket",
    ]);
    for (const instance of program.recorder.ofType(INSTANCE)) {
      const ignored = program.optionsOf(instance).ignoreChanges;
      assert.ok(ignored.includes("bootDisk.initializeParams.image"), instance.name);
      assert.ok(ignored.includes('metadata["user-data"]'), instance.name);
      const guarded = /mysql|util/.test(instance.name);
      assert.equal(instance.inputs.deletionProtection, guarded, instance.name);
    }
  });

  it("answers the internal zone from the fixed hosts and the public names from the load balancer", async () => {
    const records = program.recorder.ofType("gcp:dns/recordSet:RecordSet");
    assert.equal(records.length, internalRecords(fixedHosts(spec)).length);
    const zone = program.recorder.get("gcp:dns/managedZone:ManagedZone", "uk-internal-zone-zone");
    assert.equal(zone.inputs.dnsName, "local.");
    assert.deepEqual(
      field(zone.inputs, "privateVisibilityConfig", "networks", 0, "networkUrl"),
      "uk-network-vpc-id",
    );
    const publicRecords = program.recorder
      .ofType("aws:route53/record:Record")
      .filter((r) => r.inputs.type === "A")
      .map((r) => r.inputs.name);
    assert.deepEqual(publicRecords.sort(), ["example.co.uk", "www.example.co.uk"]);
    if (!site) throw new Error("site not built");
    assert.equal(await outputValue(site.networkId), "uk-network-vpc-id");
    assert.equal(await outputValue(site.privateZoneName), "uk-internal");
    assert.deepEqual(Object.keys(site.instanceGroups).sort(), ["app", "nginx"]);
  });

  it("enables the APIs it uses and leaves them on when destroyed", () => {
    const services = program.recorder.ofType("gcp:projects/service:Service");
    assert.deepEqual(services.map((s) => s.inputs.service).sort(), [...SITE_APIS].sort());
    for (const service of services) assert.equal(service.inputs.disableOnDestroy, false);
    const provider = program.recorder.get("pulumi:providers:gcp", "uk-gcp");
    assert.equal(provider.inputs.project, spec.gcp.project);
    assert.equal(provider.inputs.region, spec.gcp.region);
    assert.ok(provider.inputs.defaultLabels);
  });

  it("creates straight through APIs that are already on: nothing waits for an enabling", () => {
    const waits = program.recorder.ofType("pulumi-nodejs:dynamic/multicloud:GoogleApiWait");
    assert.deepEqual(
      waits.map((wait) => wait.name).sort(),
      SITE_APIS.map((api) => `uk-api-${api.split(".")[0]}-wait`).sort(),
    );
    for (const wait of waits) assert.equal(wait.inputs.enabledBefore, true, wait.name);
    const enabling = new Set([
      ...waits.map((wait) => wait.name),
      ...program.recorder.ofType("gcp:projects/service:Service").map((service) => service.name),
    ]);
    const waiting = [...program.options.values()].filter((options) =>
      options.dependsOn.some((name) => enabling.has(name)),
    );
    assert.deepEqual(
      waiting.map((options) => `${options.type} ${options.name}`),
      [],
      "resources that wait for an API that was on before the run",
    );
  });

  it("replicates secrets to the disaster-recovery region only when that is a GCP region", () => {
    assert.deepEqual(secretLocations(spec), ["europe-west2", "europe-west1"]);
    assert.deepEqual(
      secretLocations({ ...spec, dr: { ...spec.dr, backupLocation: "us-east-1" } }),
      ["europe-west2"],
    );
    const grants = program.recorder.ofType("gcp:secretmanager/secretIamMember:SecretIamMember");
    const expected = roles.reduce((sum, role) => sum + secretsForRole(role).length, 0);
    assert.equal(grants.length, expected);
  });

  it("tells WAN peers the firewall can admit (addresses) from those it cannot (names)", () => {
    const federated = {
      ...spec,
      consul: { ...spec.consul, wanJoin: ["10.20.70.16", "consul.example.com"] },
    };
    assert.deepEqual(wanPeers(federated), {
      addresses: ["10.20.70.16"],
      unresolved: ["consul.example.com"],
    });
  });
});
