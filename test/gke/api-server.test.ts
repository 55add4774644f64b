// Every Kubernetes object of every stack's plan, put to the API server's own validation (the
// kube-validate peer): built-in kinds through kube-apiserver's, GKE's and the Gateway API's
// custom resources through apiextensions-apiserver's, CEL rules included. Then deliberate
// defects, each of which the API server refuses, so the check is known to bite.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { loadSpec, stacks } from "../support/stacks";
import {
  apiServerErrors,
  type Manifest,
  peerSources,
  planInChildProcess,
  planManifests,
} from "./api-server";
import { at } from "./support";

describe("Kubernetes objects against the API server's validation", () => {
  const plans = new Map<string, Plan>();
  before(async () => {
    const planned = await Promise.all(stacks.map((stack) => planInChildProcess(stack)));
    for (const plan of planned) plans.set(plan.stack, plan);
  });
  const manifests = (): Manifest[] => [...plans.values()].flatMap(planManifests);

  /** One object of the us plan, by type and resource name, as a fresh copy to break. */
  function usObject(type: string, name: string): Record<string, unknown> {
    const found = manifests().find((m) => m.id === `us ${type} ${name}`);
    assert.ok(found, `us ${type} ${name}`);
    return structuredClone(found.object);
  }

  /** The API server's errors for one object. */
  function errorsFor(object: Record<string, unknown>): string[] {
    return apiServerErrors([{ id: "probe", object }]).get("probe") ?? ["no answer"];
  }

  it("reads the CRDs from the pinned modules GKE's versions match", () => {
    const sources = peerSources();
    assert.equal(sources.kubernetes, "v1.35.4");
    assert.deepEqual(
      sources.crds.map((c) => [c.module, c.version]),
      [
        ["github.com/GoogleCloudPlatform/gke-gateway-api", "v1.3.0"],
        ["sigs.k8s.io/gateway-api", "v1.4.1"],
      ],
    );
    const files = sources.crds.flatMap((c) => c.files);
    for (const crd of [
      "config/crd/networking.gke.io_healthcheckpolicies.yaml",
      "config/crd/networking.gke.io_gcpbackendpolicies.yaml",
      "config/crd/networking.gke.io_gcpgatewaypolicies.yaml",
      "config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
      "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",
    ]) {
      assert.ok(files.includes(crd), crd);
    }
  });

  it("accepts every object of every plan", () => {
    const all = manifests();
    for (const stack of stacks) {
      const count = all.filter((m) => m.id.startsWith(`${stack} `)).length;
      if (loadSpec(stack).gke) assert.ok(count >= 20, `${stack}: ${count} objects`);
      else assert.equal(count, 0, `${stack} has no cluster`);
    }
    const errors = [...apiServerErrors(all)].filter(([, e]) => e.length > 0);
    assert.deepEqual(errors, []);
  });

  it("refuses a HealthCheckPolicy port without portSpecification (GKE's CEL rule)", () => {
    const policy = usObject(
      "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
      "us-gke-gateway-health-check",
    );
    const check = at(policy, "spec", "default", "config", "httpHealthCheck") as Record<
      string,
      unknown
    >;
    delete check.portSpecification;
    check.port = 8080;
    const errors = errorsFor(policy);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(
      errors[0] ?? "",
      /^spec\.default\.config\.httpHealthCheck: Invalid value: portSpecification decides/,
    );
  });

  it("refuses a health check timeout longer than its interval (GKE's CEL rule)", () => {
    const policy = usObject(
      "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
      "us-gke-gateway-health-check",
    );
    const defaults = at(policy, "spec", "default") as Record<string, unknown>;
    defaults.checkIntervalSec = 5;
    defaults.timeoutSec = 10;
    assert.match(
      errorsFor(policy).join("\n"),
      /spec\.default: Invalid value: timeoutSec must not exceed checkIntervalSec/,
    );
  });

  it("refuses a field GKE's CRD does not declare (a misspelt Cloud Armor policy)", () => {
    const policy = usObject(
      "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
      "us-gke-gateway-backend",
    );
    const defaults = at(policy, "spec", "default") as Record<string, unknown>;
    defaults.securityPolcy = defaults.securityPolicy;
    delete defaults.securityPolicy;
    assert.deepEqual(errorsFor(policy), ['unknown field "spec.default.securityPolcy"']);
  });

  it("refuses an HTTPRoute path that is not absolute (the Gateway API's CEL rule)", () => {
    const route = usObject(
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "us-gke-gateway-route",
    );
    const match = at(route, "spec", "rules", 0, "matches", 0, "path") as Record<string, unknown>;
    match.value = "v1/accounts";
    assert.match(
      errorsFor(route).join("\n"),
      /spec\.rules\[0\]\.matches\[0\]\.path: Invalid value: value must be an absolute path and start with '\/'/,
    );
  });

  it("refuses two Gateway listeners with one name (the Gateway API's CEL rule)", () => {
    const gateway = usObject(
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      "us-gke-gateway-gateway",
    );
    const listeners = at(gateway, "spec", "listeners") as Record<string, unknown>[];
    const [first, second] = listeners;
    assert.ok(first && second);
    second.name = first.name;
    assert.match(errorsFor(gateway).join("\n"), /Listener name must be unique within the Gateway/);
  });

  it("refuses a Deployment whose selector misses its pods (kube-apiserver's own validation)", () => {
    const deployment = usObject("kubernetes:apps/v1:Deployment", "us-gke-gateway-deployment");
    const labels = at(deployment, "spec", "template", "metadata", "labels") as Record<
      string,
      string
    >;
    labels["app.kubernetes.io/name"] = "someone-else";
    assert.match(
      errorsFor(deployment).join("\n"),
      /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
    );
  });

  it("refuses an unknown field and a bad value in built-in kinds", () => {
    const service = usObject("kubernetes:core/v1:Service", "us-gke-gateway-service");
    (at(service, "spec") as Record<string, unknown>).clusterIp = "10.0.0.1";
    assert.match(
      errorsFor(service).join("\n"),
      /strict decoding error: unknown field "spec\.clusterIp"/,
    );
    const policy = usObject(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "us-gke-gateway-allow-lb",
    );
    const block = at(policy, "spec", "ingress", 0, "from", 0, "ipBlock") as Record<string, unknown>;
    block.cidr = "35.191.0.0/33";
    assert.match(
      errorsFor(policy).join("\n"),
      /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: Invalid value: "35\.191\.0\.0\/33"/,
    );
  });

  it("refuses a kind it has no schema for rather than passing it", () => {
    const object = {
      apiVersion: "networking.gke.io/v1",
      kind: "HealthCheckPolicies",
      metadata: { name: "x", namespace: "y" },
    };
    assert.match(
      errorsFor(object).join("\n"),
      /no schema for networking\.gke\.io\/v1, Kind=HealthCheckPolicies/,
    );
  });
});
