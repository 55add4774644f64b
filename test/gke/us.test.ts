// Microservices built from the real us stack file, under mocks.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { clusterSuite } from "./cluster-suite";
import { at, buildMicroservices, type MockedProgram } from "./support";
import { workloadsSuite } from "./workloads-suite";

describe("Microservices (us)", () => {
  let program: MockedProgram | undefined;
  before(async () => {
    program = await buildMicroservices("us");
  });
  const load = (): MockedProgram => {
    if (!program) throw new Error("the us program was not built");
    return program;
  };
  describe("cluster", () => clusterSuite(load));
  describe("workloads", () => workloadsSuite(load));

  describe("the gateway wraps the monolith", () => {
    const objects = (type: string) =>
      load()
        .recorder.ofType(type)
        .map((r) => r.inputs);
    const find = (type: string, namespace: string, name: string) => {
      const found = objects(type).find(
        (o) => at(o, "metadata", "namespace") === namespace && at(o, "metadata", "name") === name,
      );
      assert.ok(found, `${type} ${namespace}/${name}`);
      return found;
    };

    it("routes every path no service claims to the monolith's app tier, through chocon", () => {
      const config = find("kubernetes:core/v1:ConfigMap", "gateway", "api-gateway-routes");
      const routes = (
        JSON.parse(String(at(config, "data", "routes.json"))) as {
          routes: Record<string, unknown>[];
        }
      ).routes;
      assert.deepEqual(
        routes.map((route) => route.prefix),
        ["/v1/search", "/v1/items", "/"],
        "the services first, the default route last",
      );
      assert.deepEqual(routes.at(-1), {
        prefix: "/",
        protocol: "http",
        upstream: "http://app.service.consul.ccnproxy:8080",
        connect: "chocon.chocon.svc.cluster.local:80",
        host: "app.service.consul.ccnproxy:8080",
        target: "http://app.service.consul:8080",
        timeouts: { connect: "2s", perTry: "10s", total: "30s" },
        retries: {
          attempts: 2,
          onConnectFailure: "any-method",
          onStatus: [502, 503, 504],
          methods: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"],
          backoff: { base: "100ms", max: "1s" },
        },
        forwardedHeaders: ["X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"],
      });
    });

    it("lets the load balancer send every path to the gateway, and wait longer than the route", () => {
      const route = find(
        "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        "gateway",
        "api-gateway",
      );
      assert.deepEqual(at(route, "spec", "rules"), [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [{ name: "api-gateway", port: 80 }],
        },
      ]);
      const backend = find(
        "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
        "gateway",
        "api-gateway",
      );
      assert.equal(at(backend, "spec", "default", "timeoutSec"), 35);
    });

    it("opens the path: the gateway may call chocon, and chocon the monolith's port", () => {
      const policies = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
      const clients = find(policies, "chocon", "allow-clients");
      assert.deepEqual(
        at(
          clients,
          "spec",
          "ingress",
          0,
          "from",
          0,
          "namespaceSelector",
          "matchExpressions",
          0,
          "values",
        ),
        ["gateway", "item", "search"],
      );
      const upstreams = find(policies, "chocon", "allow-upstreams");
      assert.deepEqual(
        (at(upstreams, "spec", "egress", 0, "ports") as { port: number }[]).map((p) => p.port),
        [80, 443, 8080],
      );
    });
  });
});
