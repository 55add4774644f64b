// Assertions on the Kubernetes side of Microservices, run once per stack: every pod template is
// hardened, every namespace denies by default, and the workloads follow the spec. Whether the API
// server accepts each object is api-server.test.ts's part.
import assert from "node:assert/strict";
import { it } from "node:test";
import { choconClusterIp, clusterRanges } from "../../components/gke/cluster-settings";
import { LOAD_BALANCER_SOURCE_RANGES } from "../../components/gke/contract";
import type { GkeSpec } from "../../components/spec/gke";
import { at, consulServers, type MockedProgram } from "./support";

function gkeOf(program: MockedProgram): GkeSpec {
  const gke = program.spec.gke;
  if (!gke) throw new Error("the stack has no gke block");
  return gke;
}

function objectsOf(program: MockedProgram, type: string): Record<string, unknown>[] {
  return program.recorder.ofType(type).map((r) => r.inputs);
}

function named(objects: Record<string, unknown>[], namespace: string, name: string) {
  const found = objects.find(
    (o) => at(o, "metadata", "namespace") === namespace && at(o, "metadata", "name") === name,
  );
  assert.ok(found, `${namespace}/${name}`);
  return found;
}

/** Registers the workload assertions for the program `load` resolves to. */
export function workloadsSuite(load: () => MockedProgram): void {
  it("hardens every pod template", () => {
    const program = load();
    const accounts = objectsOf(program, "kubernetes:core/v1:ServiceAccount");
    const deployments = objectsOf(program, "kubernetes:apps/v1:Deployment");
    assert.equal(deployments.length, 2, "the gateway and chocon");
    for (const deployment of deployments) {
      const where = String(at(deployment, "metadata", "name"));
      const pod = at(deployment, "spec", "template", "spec");
      assert.equal(at(pod, "securityContext", "runAsNonRoot"), true, where);
      assert.ok(Number(at(pod, "securityContext", "runAsUser")) >= 1000, where);
      assert.equal(at(pod, "securityContext", "seccompProfile", "type"), "RuntimeDefault", where);
      assert.equal(at(pod, "automountServiceAccountToken"), false, where);
      const account = String(at(pod, "serviceAccountName"));
      assert.notEqual(account, "default", where);
      const namespace = String(at(deployment, "metadata", "namespace"));
      const sa = named(accounts, namespace, account);
      assert.equal(sa.automountServiceAccountToken, false);
      const zones = (at(pod, "topologySpreadConstraints") as Record<string, unknown>[]).find(
        (c) => c.topologyKey === "topology.kubernetes.io/zone",
      );
      assert.equal(zones?.whenUnsatisfiable, "DoNotSchedule", where);
      const containers = at(pod, "containers") as Record<string, unknown>[];
      assert.ok(containers.length > 0);
      for (const container of containers) {
        const security = at(container, "securityContext");
        assert.equal(at(security, "readOnlyRootFilesystem"), true, where);
        assert.equal(at(security, "allowPrivilegeEscalation"), false, where);
        assert.equal(at(security, "privileged"), false, where);
        assert.deepEqual(at(security, "capabilities"), { drop: ["ALL"] }, where);
        for (const kind of ["requests", "limits"]) {
          for (const resource of ["cpu", "memory"]) {
            assert.ok(at(container, "resources", kind, resource), `${where} ${kind}.${resource}`);
          }
        }
        assert.ok(at(container, "readinessProbe", "httpGet", "path"), where);
        assert.ok(at(container, "livenessProbe", "httpGet", "path"), where);
      }
    }
  });

  it("runs the pods on the spec's node pools by name, and makes nothing else wait for them", () => {
    const program = load();
    const gke = gkeOf(program);
    const deployments = objectsOf(program, "kubernetes:apps/v1:Deployment");
    assert.equal(deployments.length, 2, "the gateway and chocon");
    for (const deployment of deployments) {
      const where = String(at(deployment, "metadata", "name"));
      const terms = at(
        deployment,
        ...["spec", "template", "spec", "affinity", "nodeAffinity"],
        ...["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"],
      ) as Record<string, unknown>[] | undefined;
      assert.equal(terms?.length, 1, where);
      const expressions = at(terms?.[0], "matchExpressions") as Record<string, unknown>[];
      assert.equal(expressions.length, 1, where);
      assert.equal(expressions[0]?.key, "cloud.google.com/gke-nodepool", where);
      assert.equal(expressions[0]?.operator, "In", where);
      // The pools' own names (GKE's, from their outputs), one per pool of the spec.
      const values = expressions[0]?.values as string[];
      assert.equal(values.length, gke.nodePools.length, where);
      for (const pool of gke.nodePools) {
        const generated = new RegExp(`^${program.name}-cluster-${pool.name}-[0-9a-f]{7}$`);
        assert.ok(
          values.some((value) => generated.test(value)),
          `${where}: pool ${pool.name}`,
        );
      }
    }
    // Namespaces, services and policies only need the control plane: the provider waits for no pool.
    const provider = program.options.get(`pulumi:providers:kubernetes::${program.name}-k8s`);
    assert.ok(provider, "the cluster's provider");
    assert.deepEqual(provider.dependsOnKeys, []);
  });

  it("denies all traffic by default in every namespace it creates, and enforces restricted pods", () => {
    const program = load();
    const namespaces = objectsOf(program, "kubernetes:core/v1:Namespace");
    assert.deepEqual(namespaces.map((n) => at(n, "metadata", "name")).sort(), [
      "chocon",
      "gateway",
    ]);
    const policies = objectsOf(program, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    for (const namespace of namespaces) {
      const name = at(namespace, "metadata", "name");
      assert.equal(
        at(namespace, "metadata", "labels", "pod-security.kubernetes.io/enforce"),
        "restricted",
      );
      const denyAll = policies.find(
        (p) =>
          at(p, "metadata", "namespace") === name &&
          JSON.stringify(at(p, "spec", "podSelector")) === "{}" &&
          JSON.stringify(at(p, "spec", "policyTypes")) === JSON.stringify(["Ingress", "Egress"]) &&
          at(p, "spec", "ingress") === undefined &&
          at(p, "spec", "egress") === undefined,
      );
      assert.ok(denyAll, `default deny in ${String(name)}`);
    }
  });

  it("lets the load balancer in and the gateway out only to its routes' services", () => {
    const program = load();
    const gke = gkeOf(program);
    const policies = objectsOf(program, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const ingress = named(policies, "gateway", "allow-load-balancer");
    assert.deepEqual(
      (at(ingress, "spec", "ingress", 0, "from") as unknown[]).map((p) => at(p, "ipBlock", "cidr")),
      [...LOAD_BALANCER_SOURCE_RANGES],
    );
    const egress = named(policies, "gateway", "allow-upstreams");
    const allowed = (at(egress, "spec", "egress") as Record<string, unknown>[]).flatMap((rule) =>
      (rule.ports as { port: number }[]).map(
        (p) =>
          `${String(at(rule, "to", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"))}:${p.port}`,
      ),
    );
    const wanted = [
      ...new Set(gke.gateway.routes.map((r) => `${r.service}:${r.port}`)),
      // The default route goes through chocon: its pods' port, behind the Service's 80.
      ...(gke.gateway.default ? ["chocon:8080"] : []),
    ].sort();
    assert.deepEqual(allowed.sort(), wanted);
  });

  it("keeps chocon from reaching the cluster or the metadata server", () => {
    const program = load();
    const gke = gkeOf(program);
    const policies = objectsOf(program, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const egress = named(policies, "chocon", "allow-upstreams");
    const block = at(egress, "spec", "egress", 0, "to", 0, "ipBlock");
    assert.equal(at(block, "cidr"), "0.0.0.0/0");
    const except = at(block, "except") as string[];
    for (const range of [...clusterRanges(gke), "169.254.0.0/16"]) {
      assert.ok(except.includes(range), range);
    }
    const ingress = named(policies, "chocon", "allow-clients");
    assert.deepEqual(at(ingress, "spec", "ingress", 0, "ports"), [{ protocol: "TCP", port: 8080 }]);
  });

  it("runs the gateway with the spec's image, routes and replicas", () => {
    const program = load();
    const gke = gkeOf(program);
    const deployment = named(
      objectsOf(program, "kubernetes:apps/v1:Deployment"),
      "gateway",
      "api-gateway",
    );
    assert.equal(
      at(deployment, "spec", "template", "spec", "containers", 0, "image"),
      gke.gateway.image,
    );
    assert.equal(at(deployment, "spec", "replicas"), undefined, "the autoscaler owns replicas");
    const config = named(
      objectsOf(program, "kubernetes:core/v1:ConfigMap"),
      "gateway",
      "api-gateway-routes",
    );
    const routes = JSON.parse(String(at(config, "data", "routes.json"))) as {
      routes: { prefix: string; upstream: string }[];
    };
    assert.deepEqual(
      routes.routes.map((r) => `${r.prefix}=${r.upstream}`).sort(),
      [
        ...gke.gateway.routes.map(
          (r) => `${r.prefix}=${r.service}.${r.service}.svc.cluster.local:${r.port}`,
        ),
        ...(gke.gateway.default ? [`/=${gke.gateway.default.upstream}`] : []),
      ].sort(),
    );
    const hpa = named(
      objectsOf(program, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"),
      "gateway",
      "api-gateway",
    );
    assert.equal(at(hpa, "spec", "minReplicas"), gke.gateway.replicas.min);
    assert.equal(at(hpa, "spec", "maxReplicas"), gke.gateway.replicas.max);
    assert.equal(at(hpa, "spec", "scaleTargetRef", "name"), "api-gateway");
    const gateway = objectsOf(program, "kubernetes:gateway.networking.k8s.io/v1:Gateway")[0];
    assert.equal(at(gateway, "spec", "gatewayClassName"), "gke-l7-global-external-managed");
    const address = program.recorder.ofType("gcp:compute/globalAddress:GlobalAddress")[0];
    assert.equal(at(gateway, "spec", "addresses", 0, "value"), address?.inputs.name);
    const map = program.recorder.ofType("gcp:certificatemanager/certificateMap:CertificateMap")[0];
    assert.equal(
      at(gateway, "metadata", "annotations", "networking.gke.io/certmap"),
      map?.inputs.name,
    );
    const routesObjects = objectsOf(program, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
    const route = named(routesObjects, "gateway", "api-gateway");
    const prefixes = (at(route, "spec", "rules", 0, "matches") as unknown[]).map((m) =>
      at(m, "path", "value"),
    );
    // With a default route every path is the gateway's; without one, only the services' prefixes.
    assert.deepEqual(
      prefixes.sort(),
      gke.gateway.default ? ["/"] : gke.gateway.routes.map((r) => r.prefix).sort(),
    );
    assert.deepEqual(at(route, "spec", "rules", 0, "backendRefs"), [
      { name: "api-gateway", port: 80 },
    ]);
  });

  it("health-checks the gateway on the port it serves, with GKE's port fields consistent", () => {
    const program = load();
    const [policy, ...others] = objectsOf(
      program,
      "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
    );
    assert.equal(others.length, 0);
    assert.deepEqual(at(policy, "spec", "default", "config"), {
      type: "HTTP",
      httpHealthCheck: { portSpecification: "USE_SERVING_PORT", requestPath: "/healthz" },
    });
    assert.deepEqual(at(policy, "spec", "targetRef"), {
      group: "",
      kind: "Service",
      name: "api-gateway",
    });
  });

  it("sends the gateway's backend through the Cloud Armor policy, created before it is named", () => {
    const program = load();
    const [armor] = program.recorder.ofType("gcp:compute/securityPolicy:SecurityPolicy");
    assert.ok(armor, "a Cloud Armor policy");
    const backendType = "kubernetes:networking.gke.io/v1:GCPBackendPolicy";
    const backend = program.recorder
      .ofType(backendType)
      .find((r) => at(r.inputs, "metadata", "name") === "api-gateway");
    assert.ok(backend, "the gateway's GCPBackendPolicy");
    assert.equal(at(backend.inputs, "apiVersion"), "networking.gke.io/v1");
    assert.equal(at(backend.inputs, "metadata", "namespace"), "gateway");
    assert.equal(at(backend.inputs, "spec", "default", "securityPolicy"), armor.inputs.name);
    // The policy targets the Service the external Gateway's route sends traffic to.
    const target = at(backend.inputs, "spec", "targetRef");
    assert.deepEqual(target, { group: "", kind: "Service", name: "api-gateway" });
    const route = program.recorder
      .ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
      .find((r) => at(r.inputs, "metadata", "name") === "api-gateway");
    assert.ok(route);
    assert.equal(
      at(route.inputs, "spec", "rules", 0, "backendRefs", 0, "name"),
      at(target, "name"),
    );
    // The policy exists before the object naming it, and the route (which makes GKE build the
    // backend service) waits for the backend policy.
    const backendOptions = program.options.get(`${backendType}::${backend.name}`);
    assert.deepEqual(backendOptions?.dependsOnKeys, [`${armor.type}::${armor.name}`]);
    const routeOptions = program.options.get(`${route.type}::${route.name}`);
    assert.ok(routeOptions?.dependsOnKeys.includes(`${backendType}::${backend.name}`));
  });

  it("runs chocon with the region's settings behind port 80 on its fixed address", () => {
    const program = load();
    const gke = gkeOf(program);
    const deployment = named(
      objectsOf(program, "kubernetes:apps/v1:Deployment"),
      "chocon",
      "chocon",
    );
    const args = at(deployment, "spec", "template", "spec", "containers", 0, "args") as string[];
    assert.ok(args.includes(`--keepalive-conns=${program.spec.chocon.maxIdleConnsPerHost}`));
    assert.ok(args.includes(`--proxy-read-timeout=${program.spec.chocon.upstreamTimeoutSeconds}`));
    const service = named(objectsOf(program, "kubernetes:core/v1:Service"), "chocon", "chocon");
    assert.equal(at(service, "spec", "clusterIP"), choconClusterIp(gke));
    assert.equal(at(service, "spec", "ports", 0, "port"), 80);
    const hpa = named(
      objectsOf(program, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"),
      "chocon",
      "chocon",
    );
    assert.equal(at(hpa, "spec", "minReplicas"), gke.chocon.replicas.min);
    assert.equal(at(hpa, "spec", "maxReplicas"), gke.chocon.replicas.max);
    named(objectsOf(program, "kubernetes:policy/v1:PodDisruptionBudget"), "chocon", "chocon");
  });

  it("forwards `consul` from the cluster's DNS to the region's Consul servers by a patch", () => {
    const program = load();
    const [patch] = program.recorder.ofType("kubernetes:core/v1:ConfigMapPatch");
    assert.ok(patch);
    assert.equal(at(patch.inputs, "metadata", "name"), "kube-dns");
    assert.equal(at(patch.inputs, "metadata", "namespace"), "kube-system");
    assert.equal(at(patch.inputs, "metadata", "annotations", "pulumi.com/patchForce"), "true");
    const stub = JSON.parse(String(at(patch.inputs, "data", "stubDomains")));
    assert.deepEqual(stub, { consul: consulServers(program.spec) });
  });
}
