import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  HOST_METADATA,
  hostMetadata,
  hostNetworkTags,
  serviceAccountEmail,
  serviceAccountId,
} from "../../components/gcp/host-settings";
import { gcpMachineTypes, machineTypeFor } from "../../components/gcp/machine-types";
import { roles } from "../../components/spec/hosts";
import { sizes } from "../../components/spec/primitives";
import { loadSpec } from "../support/stacks";

describe("machine types", () => {
  it("maps small to a burstable machine and doubles the vCPUs with each larger size", () => {
    assert.equal(gcpMachineTypes.small, "e2-medium");
    const vcpus = sizes
      .slice(1)
      .map((size) => Number(/^n2-standard-(\d+)$/.exec(gcpMachineTypes[size])?.[1]));
    assert.deepEqual(vcpus, [2, 4, 8, 16]);
  });

  it("takes a role's machineType over its size", () => {
    const spec = loadSpec("uk");
    assert.equal(machineTypeFor(spec.hosts, "app"), gcpMachineTypes.large);
    const hosts = { ...spec.hosts, app: { ...spec.hosts.app, machineType: "c3-standard-8" } };
    assert.equal(machineTypeFor(hosts, "app"), "c3-standard-8");
  });
});

describe("host settings", () => {
  it("adds cloud-init to the fixed metadata only when there is one", () => {
    assert.deepEqual(hostMetadata(), HOST_METADATA);
    assert.deepEqual(hostMetadata("#cloud-config\n"), {
      ...HOST_METADATA,
      "user-data": "#cloud-config\n",
    });
    assert.equal(HOST_METADATA["enable-oslogin"], "TRUE");
    assert.equal(HOST_METADATA["serial-port-enable"], "FALSE");
  });

  it("tags hosts for their role, and only the Consul servers for Consul auto-join", () => {
    assert.deepEqual(hostNetworkTags("util", "consul-server-uk"), ["util", "consul-server-uk"]);
    assert.deepEqual(hostNetworkTags("app", "consul-server-uk"), ["app"]);
  });

  it("forms valid service account ids for every role of the longest region id", () => {
    for (const role of roles) {
      const id = serviceAccountId("abcdefghij", role);
      assert.match(id, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, id);
    }
    assert.equal(
      serviceAccountEmail("uk-app-host", "p-1"),
      "uk-app-host@p-1.iam.gserviceaccount.com",
    );
  });
});
