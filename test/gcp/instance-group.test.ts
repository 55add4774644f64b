import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { HOST_IMAGE } from "../../components/gcp/host-settings";
import { GcpInstanceGroup } from "../../components/gcp/instance-group";
import { field, type Program, region, runProgram, zones } from "./harness";

const email = "uk-nginx-host@example-test-proj.iam.gserviceaccount.com";
const userData = "#cloud-config\nhostname: nginx\n";

describe("GcpInstanceGroup", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpInstanceGroup("nginx", {
        ...context,
        role: "nginx",
        region,
        zones,
        size: 2,
        machineType: "n2-standard-2",
        diskGb: 40,
        subnetwork: "projects/p/regions/europe-west2/subnetworks/hosts",
        serviceAccountEmail: email,
        networkTags: ["nginx", "consul-europe-west2"],
        labels: { owner: "sre-uk" },
        userData,
        namedPorts: [{ name: "http", port: 80 }],
        healthCheck: { port: 80, requestPath: "/healthz" },
      });
      new GcpInstanceGroup("app", {
        ...context,
        role: "app",
        region,
        zones: zones.slice(0, 2),
        size: 4,
        machineType: "n2-standard-4",
        diskGb: 60,
        subnetwork: "projects/p/regions/europe-west2/subnetworks/hosts",
        serviceAccountEmail: "app@p.iam.gserviceaccount.com",
        networkTags: ["app"],
        labels: {},
        healthCheck: { port: 8080 },
      });
    });
  });

  const template = () =>
    program.recorder.get("gcp:compute/instanceTemplate:InstanceTemplate", "nginx-template");
  const group = (name: string) =>
    program.recorder.get("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name);

  it("builds hosts from a prefix-named template, so a new template can precede the old one's removal", () => {
    assert.equal(template().inputs.namePrefix, "nginx-");
    assert.equal(template().inputs.name, undefined);
    assert.equal(program.optionsOf(template()).deleteBeforeReplace, false);
    // The group points at the template's self link (the mocks invent one ending in its name).
    assert.match(
      String(field(group("nginx-group").inputs, "versions", 0, "instanceTemplate")),
      /instanceTemplate:InstanceTemplate\/nginx-template$/,
    );
  });

  it("boots shielded Ubuntu with no external address and the role's own account", () => {
    const inputs = template().inputs;
    assert.deepEqual(inputs.shieldedInstanceConfig, {
      enableSecureBoot: true,
      enableVtpm: true,
      enableIntegrityMonitoring: true,
    });
    assert.equal(field(inputs, "disks", 0, "sourceImage"), HOST_IMAGE);
    assert.equal(field(inputs, "disks", 0, "boot"), true);
    assert.equal(field(inputs, "networkInterfaces", 0, "accessConfigs"), undefined);
    assert.equal(field(inputs, "networkInterfaces", 0, "ipv6AccessConfigs"), undefined);
    assert.equal(field(inputs, "serviceAccount", "email"), email);
    assert.deepEqual(inputs.tags, ["nginx", "consul-europe-west2"]);
    assert.equal(field(inputs, "labels", "role"), "nginx");
  });

  it("carries cloud-init and locks logins down in metadata", () => {
    assert.deepEqual(template().inputs.metadata, {
      "enable-oslogin": "TRUE",
      "block-project-ssh-keys": "TRUE",
      "serial-port-enable": "FALSE",
      "user-data": userData,
    });
    const app = program.recorder.get(
      "gcp:compute/instanceTemplate:InstanceTemplate",
      "app-template",
    );
    assert.equal(field(app.inputs, "metadata", "user-data"), undefined);
    assert.equal(field(app.inputs, "metadata", "enable-oslogin"), "TRUE");
  });

  it("spreads the group over the zones and heals it from its health check", () => {
    const inputs = group("nginx-group").inputs;
    assert.deepEqual(inputs.distributionPolicyZones, zones);
    assert.equal(inputs.targetSize, 2);
    assert.equal(inputs.baseInstanceName, "nginx");
    assert.deepEqual(inputs.namedPorts, [{ name: "http", port: 80 }]);
    assert.equal(field(inputs, "autoHealingPolicies", "healthCheck"), "nginx-autoheal-id");
    assert.equal(field(inputs, "autoHealingPolicies", "initialDelaySec"), 300);
  });

  it("rolls updates proactively, surging one host per zone and never dropping below target", () => {
    assert.deepEqual(
      ["type", "minimalAction", "maxSurgeFixed", "maxUnavailableFixed"].map((key) =>
        field(group("nginx-group").inputs, "updatePolicy", key),
      ),
      ["PROACTIVE", "REPLACE", 3, 0],
    );
    assert.equal(field(group("app-group").inputs, "updatePolicy", "maxSurgeFixed"), 2);
  });

  it("checks nginx over HTTP on its path and the app over TCP", () => {
    const nginx = program.recorder.get("gcp:compute/healthCheck:HealthCheck", "nginx-autoheal");
    assert.deepEqual(nginx.inputs.httpHealthCheck, { port: 80, requestPath: "/healthz" });
    const app = program.recorder.get("gcp:compute/healthCheck:HealthCheck", "app-autoheal");
    assert.deepEqual(app.inputs.tcpHealthCheck, { port: 8080 });
    assert.equal(app.inputs.httpHealthCheck, undefined);
  });
});
