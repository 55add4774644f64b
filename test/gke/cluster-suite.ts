// Assertions on the GCP side of Microservices, run once per stack (jp.test.ts, us.test.ts):
// the cluster's hardening, node pools, identities, network, registry, edge and providers.
import assert from "node:assert/strict";
import { it } from "node:test";
import { DEFAULT_RATE_LIMIT } from "../../components/gcp/cloud-armor";
import { choconClusterIp } from "../../components/gke/cluster-settings";
import { containsAddress, parseCidr, parseIpv4 } from "../../components/spec/cidr";
import type { GkeSpec } from "../../components/spec/gke";
import { gcpLabels } from "../../components/tags";
import { TEST_CHOCON_IMAGE_DIGEST } from "../support/chocon-release";
import type { RecordedResource } from "../support/mocks";
import { at, type MockedProgram, PUBLIC_ZONE_ID } from "./support";

const API_WAIT = "pulumi-nodejs:dynamic/multicloud:GoogleApiWait";

const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
const SECURITY_POLICY = "gcp:compute/securityPolicy:SecurityPolicy";

/** The OWASP rule sets the gateway must deny, at the lowest sensitivity (the requirement). */
const REQUIRED_WAF = [
  "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('scannerdetection-v33-stable', {'sensitivity': 1})",
  "evaluatePreconfiguredWaf('protocolattack-v33-stable', {'sensitivity': 1})",
];

function gkeOf(program: MockedProgram): GkeSpec {
  const gke = program.spec.gke;
  if (!gke) throw new Error("the stack has no gke block");
  return gke;
}

function one(program: MockedProgram, type: string): RecordedResource {
  const found = program.recorder.ofType(type);
  assert.equal(found.length, 1, `expected exactly one ${type}, found ${found.length}`);
  const [first] = found;
  if (!first) throw new Error(`no ${type}`);
  return first;
}

function providerName(resource: RecordedResource): string | undefined {
  // Provider references read `<urn>::<id>`; the URN ends with `<type>::<name>`.
  const urn = resource.provider?.split("::").slice(0, -1).join("::");
  return urn?.split("::").at(-1);
}

/** Registers the cluster assertions for the program `load` resolves to. */
export function clusterSuite(load: () => MockedProgram): void {
  it("keeps nodes private and the control plane open to the spec's networks only", () => {
    const program = load();
    const gke = gkeOf(program);
    const cluster = one(program, CLUSTER).inputs;
    assert.equal(at(cluster, "privateClusterConfig", "enablePrivateNodes"), true);
    assert.equal(
      at(cluster, "privateClusterConfig", "masterIpv4CidrBlock"),
      gke.network.controlPlane,
    );
    assert.equal(at(cluster, "privateClusterConfig", "masterGlobalAccessConfig", "enabled"), false);
    // The stacks authorize public networks, so the public endpoint stays (answering only them);
    // private-endpoint.test.ts covers a spec whose networks are all private.
    assert.equal(at(cluster, "privateClusterConfig", "enablePrivateEndpoint"), false);
    assert.deepEqual(
      at(cluster, "masterAuthorizedNetworksConfig", "cidrBlocks"),
      gke.authorizedNetworks.map((n) => ({ cidrBlock: n.cidr, displayName: n.name })),
    );
    assert.equal(
      at(cluster, "masterAuthorizedNetworksConfig", "gcpPublicCidrsAccessEnabled"),
      false,
    );
    assert.equal(
      at(cluster, "masterAuthorizedNetworksConfig", "privateEndpointEnforcementEnabled"),
      true,
    );
    assert.equal(
      at(cluster, "controlPlaneEndpointsConfig", "dnsEndpointConfig", "allowExternalTraffic"),
      false,
    );
  });

  it("hardens the cluster: identity, dataplane, channel, shielded nodes, no legacy auth", () => {
    const program = load();
    const gke = gkeOf(program);
    const cluster = one(program, CLUSTER).inputs;
    assert.equal(cluster.project, gke.project);
    assert.equal(cluster.location, gke.region, "a regional cluster");
    assert.equal(
      at(cluster, "workloadIdentityConfig", "workloadPool"),
      `${gke.project}.svc.id.goog`,
    );
    assert.equal(cluster.datapathProvider, "ADVANCED_DATAPATH");
    assert.equal(at(cluster, "addonsConfig", "networkPolicyConfig", "disabled"), true);
    assert.equal(cluster.networkPolicy, undefined, "Dataplane V2 enforces policy, not Calico");
    assert.equal(at(cluster, "releaseChannel", "channel"), gke.releaseChannel);
    assert.equal(cluster.enableShieldedNodes, true);
    assert.equal(
      at(cluster, "masterAuth", "clientCertificateConfig", "issueClientCertificate"),
      false,
    );
    assert.equal(cluster.enableLegacyAbac, false);
    assert.equal(cluster.removeDefaultNodePool, true);
    assert.equal(cluster.initialNodeCount, 1);
    assert.equal(cluster.deletionProtection, true);
    assert.equal(
      at(cluster, "binaryAuthorization", "evaluationMode"),
      "PROJECT_SINGLETON_POLICY_ENFORCE",
    );
    assert.equal(at(cluster, "gatewayApiConfig", "channel"), "CHANNEL_STANDARD");
    assert.equal(at(cluster, "dnsConfig", "clusterDns"), "KUBE_DNS");
    assert.equal(at(cluster, "addonsConfig", "dnsCacheConfig", "enabled"), true);
    assert.equal(at(cluster, "securityPostureConfig", "mode"), "BASIC");
    // GKE no longer offers vulnerability scanning in the security posture (Artifact Registry
    // scans the images instead); VULNERABILITY_BASIC can no longer be enabled.
    assert.equal(
      at(cluster, "securityPostureConfig", "vulnerabilityMode"),
      "VULNERABILITY_DISABLED",
    );
    assert.equal(
      at(cluster, "nodePoolDefaults", "nodeConfigDefaults", "insecureKubeletReadonlyPortEnabled"),
      "FALSE",
    );
    const options = program.options.get(`${CLUSTER}::${program.name}-cluster-cluster`);
    assert.equal(options?.protect, true, "the cluster is protected");
  });

  it("opens maintenance only in the spec's weekly window", () => {
    const program = load();
    const gke = gkeOf(program);
    const window = at(one(program, CLUSTER).inputs, "maintenancePolicy", "recurringWindow");
    assert.equal(at(window, "recurrence"), `FREQ=WEEKLY;BYDAY=${gke.maintenance.days.join(",")}`);
    const start = Date.parse(String(at(window, "startTime")));
    const end = Date.parse(String(at(window, "endTime")));
    assert.equal((end - start) / 3_600_000, gke.maintenance.hours);
    assert.equal(new Date(start).toISOString().slice(11, 16), gke.maintenance.startUtc);
  });

  it("builds node pools from the spec, auto-repaired and upgraded, on the dedicated account", () => {
    const program = load();
    const gke = gkeOf(program);
    const account = one(program, "gcp:serviceaccount/account:Account").inputs;
    const email = `${account.accountId}@${gke.project}.iam.gserviceaccount.com`;
    const pools = program.recorder.ofType(NODE_POOL);
    assert.equal(pools.length, gke.nodePools.length);
    for (const pool of gke.nodePools) {
      const recorded = pools.find((p) => p.inputs.namePrefix === `${pool.name}-`);
      assert.ok(recorded, `a node pool for ${pool.name}`);
      const inputs = recorded.inputs;
      assert.equal(inputs.cluster, `${program.name}-cluster-cluster-id`);
      assert.deepEqual(at(inputs, "management"), { autoRepair: true, autoUpgrade: true });
      assert.equal(at(inputs, "autoscaling", "minNodeCount"), pool.minPerZone);
      assert.equal(at(inputs, "autoscaling", "maxNodeCount"), pool.maxPerZone);
      assert.equal(at(inputs, "upgradeSettings", "strategy"), "SURGE");
      assert.equal(at(inputs, "upgradeSettings", "maxUnavailable"), 0);
      assert.equal(at(inputs, "nodeConfig", "machineType"), pool.machineType);
      assert.equal(at(inputs, "nodeConfig", "diskSizeGb"), pool.diskGb);
    }
    // The short-lived default pool and every real pool run hardened nodes.
    const nodeConfigs = [
      at(one(program, CLUSTER).inputs, "nodeConfig"),
      ...pools.map((p) => at(p.inputs, "nodeConfig")),
    ];
    for (const config of nodeConfigs) {
      assert.equal(at(config, "serviceAccount"), email);
      assert.deepEqual(at(config, "oauthScopes"), [CLOUD_PLATFORM]);
      assert.equal(at(config, "imageType"), "COS_CONTAINERD");
      assert.equal(at(config, "metadata", "disable-legacy-endpoints"), "true");
      assert.equal(at(config, "workloadMetadataConfig", "mode"), "GKE_METADATA");
      assert.deepEqual(at(config, "shieldedInstanceConfig"), {
        enableSecureBoot: true,
        enableIntegrityMonitoring: true,
      });
    }
  });

  it("grants the node account only the minimum roles, and registry read on one repository", () => {
    const program = load();
    const gke = gkeOf(program);
    const account = one(program, "gcp:serviceaccount/account:Account").inputs;
    const member = `serviceAccount:${account.accountId}@${gke.project}.iam.gserviceaccount.com`;
    const projectRoles = program.recorder
      .ofType("gcp:projects/iAMMember:IAMMember")
      .map((r) => r.inputs);
    // GKE's documented minimum for a node service account: one role, granted once.
    assert.deepEqual(
      projectRoles.map((r) => r.role),
      ["roles/container.defaultNodeServiceAccount"],
    );
    assert.ok(projectRoles.every((r) => r.member === member && r.project === gke.project));
    const readers = program.recorder.ofType(
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    );
    assert.deepEqual(
      readers.map((r) => [r.inputs.role, r.inputs.member, r.inputs.repository]),
      [["roles/artifactregistry.reader", member, "services"]],
    );
  });

  it("puts the cluster in its own VPC with the spec's ranges, private Google access and NAT", () => {
    const program = load();
    const gke = gkeOf(program);
    const network = one(program, "gcp:compute/network:Network").inputs;
    assert.equal(network.autoCreateSubnetworks, false);
    const subnet = one(program, "gcp:compute/subnetwork:Subnetwork").inputs;
    assert.equal(subnet.ipCidrRange, gke.network.nodes);
    assert.equal(subnet.region, gke.region);
    assert.equal(subnet.privateIpGoogleAccess, true);
    assert.ok(at(subnet, "logConfig"), "flow logs");
    assert.deepEqual(subnet.secondaryIpRanges, [
      { rangeName: "pods", ipCidrRange: gke.network.pods },
      { rangeName: "services", ipCidrRange: gke.network.services },
    ]);
    const cluster = one(program, CLUSTER).inputs;
    assert.equal(at(cluster, "ipAllocationPolicy", "clusterSecondaryRangeName"), "pods");
    assert.equal(at(cluster, "ipAllocationPolicy", "servicesSecondaryRangeName"), "services");
    const nat = one(program, "gcp:compute/routerNat:RouterNat").inputs;
    assert.equal(nat.natIpAllocateOption, "MANUAL_ONLY");
    assert.equal((nat.natIps as unknown[]).length, 2);
    assert.deepEqual(at(nat, "subnetworks", 0, "sourceIpRangesToNats"), ["ALL_IP_RANGES"]);
  });

  it("enables the APIs it needs and keeps them on destroy", () => {
    const program = load();
    const services = program.recorder.ofType("gcp:projects/service:Service");
    const names = services.map((s) => s.inputs.service);
    for (const needed of ["container.googleapis.com", "artifactregistry.googleapis.com"]) {
      assert.ok(names.includes(needed), needed);
    }
    assert.ok(services.every((s) => s.inputs.disableOnDestroy === false));
  });

  it("passes providers explicitly: its own GCP provider, Route53's, the cluster's", () => {
    const program = load();
    const gke = gkeOf(program);
    const providers = program.recorder.ofType("pulumi:providers:gcp");
    for (const provider of providers) {
      assert.equal(provider.inputs.project, gke.project);
      assert.equal(provider.inputs.region, gke.region);
      assert.deepEqual(JSON.parse(String(provider.inputs.defaultLabels)), gcpLabels(program.spec));
    }
    for (const resource of program.recorder.resources) {
      if (!resource.custom || resource.type.startsWith("pulumi:providers:")) continue;
      // The waits after the APIs run in the engine's dynamic provider host, with no cloud's provider.
      if (resource.type === API_WAIT) continue;
      const expected = resource.type.startsWith("kubernetes:")
        ? `${program.name}-k8s`
        : resource.type.startsWith("aws:")
          ? "route53"
          : resource.type === "gcp:projects/service:Service"
            ? `${program.name}-gcp-apis`
            : resource.type === "command:local:Command"
              ? `${program.name}-chocon-image-command`
              : `${program.name}-gcp`;
      assert.equal(providerName(resource), expected, `${resource.type} ${resource.name}`);
    }
  });

  it("gives the Kubernetes provider a kubeconfig that authenticates with gke-gcloud-auth-plugin", () => {
    const program = load();
    const provider = one(program, "pulumi:providers:kubernetes").inputs;
    const kubeconfig = JSON.parse(String(provider.kubeconfig));
    assert.equal(at(kubeconfig, "users", 0, "user", "exec", "command"), "gke-gcloud-auth-plugin");
    assert.equal(at(kubeconfig, "users", 0, "user", "token"), undefined);
    assert.equal(String(provider.enableServerSideApply), "true");
  });

  it("keeps images in an immutable, protected, regional Docker repository the spec's images use", () => {
    const program = load();
    const gke = gkeOf(program);
    const repository = one(program, "gcp:artifactregistry/repository:Repository");
    assert.equal(repository.inputs.format, "DOCKER");
    assert.equal(repository.inputs.location, gke.region);
    assert.equal(at(repository.inputs, "dockerConfig", "immutableTags"), true);
    assert.ok((repository.inputs.cleanupPolicies as unknown[]).length > 0);
    assert.equal(program.options.get(`${repository.type}::${repository.name}`)?.protect, true);
    assert.ok(gke.gateway.image.startsWith(`${program.component.registryUrl}/`));
    // chocon's image is pushed into that repository by the deploy, and run from it by digest.
    const chocon = program.recorder
      .ofType("kubernetes:apps/v1:Deployment")
      .find((d) => at(d.inputs, "metadata", "namespace") === "chocon");
    assert.equal(
      at(chocon?.inputs, "spec", "template", "spec", "containers", 0, "image"),
      `${program.component.registryUrl}/chocon@${TEST_CHOCON_IMAGE_DIGEST}`,
    );
    const policy = one(program, "gcp:binaryauthorization/policy:Policy").inputs;
    assert.deepEqual(at(policy, "admissionWhitelistPatterns"), [
      { namePattern: `${program.component.registryUrl}/**` },
    ]);
    assert.equal(at(policy, "defaultAdmissionRule", "evaluationMode"), "ALWAYS_DENY");
  });

  it("publishes the gateway's name in the region's zone at the reserved address", () => {
    const program = load();
    const gke = gkeOf(program);
    const hostname =
      gke.gateway.hostname === "@"
        ? program.spec.domain
        : `${gke.gateway.hostname}.${program.spec.domain}`;
    const records = program.recorder.ofType("aws:route53/record:Record").map((r) => r.inputs);
    const a = records.find((r) => r.type === "A");
    assert.equal(a?.name, hostname);
    assert.equal(a?.zoneId, PUBLIC_ZONE_ID);
    const address = one(program, "gcp:compute/globalAddress:GlobalAddress");
    assert.equal(program.options.get(`${address.type}::${address.name}`)?.protect, true);
    const challenge = records.find((r) => r.type === "CNAME");
    assert.equal(challenge?.name, `_acme-challenge.${hostname}`);
    const certificate = one(program, "gcp:certificatemanager/certificate:Certificate").inputs;
    assert.deepEqual(at(certificate, "managed", "domains"), [hostname]);
  });

  it("guards the gateway's backend with Cloud Armor: WAF rules, then a per-address rate limit", () => {
    const program = load();
    const policy = one(program, SECURITY_POLICY).inputs;
    assert.equal(policy.name, `${program.spec.name}-gke-gateway-armor`);
    assert.equal(policy.type, "CLOUD_ARMOR");
    const rules = policy.rules as Record<string, unknown>[];
    const waf = rules.filter((r) => r.action === "deny(403)");
    assert.deepEqual(
      waf.map((r) => at(r, "match", "expr", "expression")),
      REQUIRED_WAF,
    );
    const rate = rules.find((r) => r.action === "rate_based_ban");
    assert.ok(rate, "a rate-based ban");
    assert.equal(at(rate, "rateLimitOptions", "enforceOnKey"), "IP");
    assert.equal(at(rate, "rateLimitOptions", "exceedAction"), "deny(429)");
    assert.deepEqual(at(rate, "rateLimitOptions", "rateLimitThreshold"), {
      count: DEFAULT_RATE_LIMIT.requests,
      intervalSec: DEFAULT_RATE_LIMIT.intervalSec,
    });
    // An allowing rule ends the evaluation: every WAF rule must come before the rate limit.
    const ratePriority = Number(rate.priority);
    assert.ok(waf.every((r) => Number(r.priority) < ratePriority));
    const last = [...rules].sort((a, b) => Number(a.priority) - Number(b.priority)).at(-1);
    assert.equal(last?.action, "allow");
    assert.ok(Number(last?.priority) > ratePriority);
    assert.equal(at(policy, "advancedOptionsConfig", "jsonParsing"), "STANDARD");
    assert.equal(at(policy, "adaptiveProtectionConfig", "layer7DdosDefenseConfig", "enable"), true);
    assert.deepEqual(policy.labels, gcpLabels(program.spec, { component: "microservices" }));
  });

  it("creates the Cloud Armor policy through a provider that waits for no API already on", () => {
    const program = load();
    const policy = one(program, SECURITY_POLICY);
    assert.equal(providerName(policy), `${program.name}-gcp`);
    const provider = program.options.get(`pulumi:providers:gcp::${program.name}-gcp`);
    // The offline projects run already: Compute's API is on before the run.
    assert.deepEqual(provider?.dependsOnKeys, []);
    const wait = program.recorder.get(API_WAIT, `${program.name}-api-compute-wait`);
    assert.equal(wait.inputs.service, "compute.googleapis.com");
    assert.equal(wait.inputs.enabledBefore, true);
  });

  it("sends the ccnproxy suffixes to chocon's fixed address inside the services range", () => {
    const program = load();
    const gke = gkeOf(program);
    const address = choconClusterIp(gke);
    const services = parseCidr(gke.network.services);
    const parsed = parseIpv4(address);
    assert.ok(services && parsed !== undefined && containsAddress(services, parsed));
    const zones = program.recorder.ofType("gcp:dns/managedZone:ManagedZone").map((z) => z.inputs);
    assert.deepEqual(zones.map((z) => z.dnsName).sort(), [
      "ccnproxy-https.",
      "ccnproxy-secure.",
      "ccnproxy-ssl.",
      "ccnproxy.",
    ]);
    assert.ok(zones.every((z) => z.visibility === "private"));
    const records = program.recorder.ofType("gcp:dns/recordSet:RecordSet").map((r) => r.inputs);
    assert.ok(records.every((r) => JSON.stringify(r.rrdatas) === JSON.stringify([address])));
    assert.equal(program.component.choconAddress, address);
  });
}
