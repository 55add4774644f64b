import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { FIXED_HOST_IGNORED_CHANGES, GcpFixedHosts } from "../../components/gcp/fixed-hosts";
import type { Role } from "../../components/spec/hosts";
import type { HostPlan } from "../../components/spec/layout";
import { field, type Program, region, runProgram } from "./harness";

const host = (role: Role, ordinal: number, zone: string, address: string): HostPlan => ({
  name: `${role}-${ordinal}`,
  role,
  ordinal,
  zone,
  zoneIndex: 0,
  address,
  consulServer: role === "util",
  placement: "cloud",
});

const hosts = [
  host("mysql", 1, "europe-west2-a", "10.30.66.16"),
  host("mysql", 2, "europe-west2-b", "10.30.82.16"),
  host("memcached", 1, "europe-west2-a", "10.30.67.16"),
  host("util", 1, "europe-west2-c", "10.30.100.16"),
];
const settings = (role: Role) => ({
  machineType: "n2-standard-2",
  diskGb: 40,
  serviceAccountEmail: `uk-${role}-host@p.iam.gserviceaccount.com`,
  networkTags: [role, "consul-europe-west2"],
  userData: `#cloud-config\n# ${role}\n`,
});

describe("GcpFixedHosts", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpFixedHosts("hosts", {
        ...context,
        hosts,
        roles: {
          mysql: settings("mysql"),
          memcached: settings("memcached"),
          util: settings("util"),
        },
        dataDiskGb: 300,
        snapshots: { retentionDays: 14, storageLocation: "europe-west1" },
        regionName: "uk",
        region,
        subnetwork: "projects/p/regions/europe-west2/subnetworks/hosts",
        labels: { owner: "sre-uk" },
      });
    });
  });

  const instance = (name: string) =>
    program.recorder.get("gcp:compute/instance:Instance", `hosts-${name}`);

  it("runs each host under its own name, in its zone, at its reserved address", () => {
    const instances = program.recorder.ofType("gcp:compute/instance:Instance");
    assert.deepEqual(
      instances.map((i) => String(i.inputs.name)).sort(),
      hosts.map((h) => h.name).sort(),
    );
    for (const plan of hosts) {
      const inputs = instance(plan.name).inputs;
      assert.equal(inputs.zone, plan.zone);
      const address = program.recorder.get(
        "gcp:compute/address:Address",
        `hosts-${plan.name}-address`,
      );
      assert.equal(address.inputs.address, plan.address);
      assert.equal(address.inputs.addressType, "INTERNAL");
      assert.equal(field(inputs, "networkInterfaces", 0, "networkIp"), plan.address);
      assert.equal(field(inputs, "networkInterfaces", 0, "accessConfigs"), undefined);
      assert.equal(
        field(inputs, "serviceAccount", "email"),
        `uk-${plan.role}-host@p.iam.gserviceaccount.com`,
      );
      assert.equal(field(inputs, "shieldedInstanceConfig", "enableSecureBoot"), true);
      assert.equal(field(inputs, "metadata", "block-project-ssh-keys"), "TRUE");
      assert.equal(inputs.allowStoppingForUpdate, true);
    }
  });

  it("guards MySQL and the Consul servers against deletion, and not the caches", () => {
    for (const name of ["mysql-1", "mysql-2", "util-1"]) {
      assert.equal(instance(name).inputs.deletionProtection, true, name);
      assert.equal(program.optionsOf(instance(name)).protect, true, name);
    }
    assert.equal(instance("memcached-1").inputs.deletionProtection, false);
    assert.equal(program.optionsOf(instance("memcached-1")).protect, false);
  });

  it("never replaces a fixed host for a new image or cloud-init, and frees its name before a replacement", () => {
    for (const plan of hosts) {
      const options = program.optionsOf(instance(plan.name));
      assert.deepEqual([...options.ignoreChanges].sort(), [...FIXED_HOST_IGNORED_CHANGES].sort());
      assert.equal(options.deleteBeforeReplace, true);
    }
    assert.ok(FIXED_HOST_IGNORED_CHANGES.includes('metadata["user-data"]'));
    assert.ok(FIXED_HOST_IGNORED_CHANGES.includes("bootDisk.initializeParams.image"));
  });

  it("keeps MySQL data on a protected SSD disk of its own, attached to its host", () => {
    const disks = program.recorder.ofType("gcp:compute/disk:Disk");
    assert.deepEqual(disks.map((d) => d.name).sort(), ["hosts-mysql-1-data", "hosts-mysql-2-data"]);
    for (const disk of disks) {
      assert.equal(disk.inputs.type, "pd-ssd");
      assert.equal(disk.inputs.size, 300);
      assert.equal(disk.inputs.createSnapshotBeforeDestroy, true);
      assert.equal(program.optionsOf(disk).protect, true);
    }
    // The mocks invent self links that end in the resource's name.
    assert.match(
      String(field(instance("mysql-2").inputs, "attachedDisks", 0, "source")),
      /disk:Disk\/hosts-mysql-2-data$/,
    );
    assert.equal(field(instance("mysql-2").inputs, "attachedDisks", 0, "deviceName"), "data");
    assert.deepEqual(instance("util-1").inputs.attachedDisks, []);
  });

  it("snapshots every data disk daily into the disaster-recovery location", () => {
    const policy = program.recorder.get(
      "gcp:compute/resourcePolicy:ResourcePolicy",
      "hosts-daily-snapshots",
    );
    const schedule = policy.inputs.snapshotSchedulePolicy;
    assert.equal(field(schedule, "schedule", "dailySchedule", "daysInCycle"), 1);
    assert.equal(field(schedule, "retentionPolicy", "maxRetentionDays"), 14);
    assert.equal(field(schedule, "snapshotProperties", "storageLocations"), "europe-west1");
    const attachments = program.recorder.ofType(
      "gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment",
    );
    assert.deepEqual(attachments.map((a) => [a.inputs.disk, a.inputs.zone, a.inputs.name]).sort(), [
      ["uk-mysql-1-data", "europe-west2-a", policy.inputs.name],
      ["uk-mysql-2-data", "europe-west2-b", policy.inputs.name],
    ]);
    const diskNames = program.recorder
      .ofType("gcp:compute/disk:Disk")
      .map((d) => String(d.inputs.name))
      .sort();
    assert.deepEqual(diskNames, ["uk-mysql-1-data", "uk-mysql-2-data"]);
  });

  it("names the site's provider on every resource", () => {
    for (const resource of program.custom) {
      assert.ok(resource.provider, resource.name);
      assert.equal(program.optionsOf(resource).hasProvider, true, resource.name);
    }
  });
});
