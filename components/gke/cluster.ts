// A hardened regional GKE cluster in its own VPC, in the spirit of terraform-google-modules'
// "safer cluster" and stricter where that module is lax: private nodes, a control plane that
// answers only the spec's networks (no Google Cloud public ranges, no DNS endpoint from outside,
// authorized networks enforced on the private endpoint too), Workload Identity, Dataplane V2,
// shielded nodes with secure boot, no client certificate, no ABAC, Binary Authorization, a
// least-privilege node service account, NodeLocal DNSCache, static egress addresses.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import type { GkeSpec } from "../spec/gke";
import { controlPlaneAccess, maintenanceWindow, workloadPool } from "./cluster-settings";
import { NodeIdentity } from "./node-identity";

export interface GkeClusterArgs {
  /** The spec's gke block. */
  readonly gke: GkeSpec;
  /** Prefix of the GCP names (network, cluster, router...), unique in the project: `jp-gke`. */
  readonly baseName: string;
  /** Labels on every labelled resource. */
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
}

/** Names of the subnet's secondary ranges. */
export const POD_RANGE = "pods";
export const SERVICE_RANGE = "services";
/** Egress addresses of Cloud NAT: fixed, so other clouds can allow them. */
const NAT_ADDRESSES = 2;
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

export class GkeCluster extends pulumi.ComponentResource {
  public readonly cluster: gcp.container.Cluster;
  public readonly name: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly caCertificate: pulumi.Output<string>;
  public readonly networkId: pulumi.Output<string>;
  public readonly nodeServiceAccount: string;
  /** The node service account's `serviceAccount:` member, for repository access. */
  public readonly nodeMember: string;
  /** The node service account and its bindings. */
  public readonly nodeIdentityResources: pulumi.Resource[];
  public readonly nodePools: gcp.container.NodePool[];
  /** Cloud NAT's external addresses: the cluster's source addresses on the internet. */
  public readonly egressAddresses: pulumi.Output<string[]>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:Cluster", name, {}, opts);
    const { gke, baseName, labels, provider } = args;
    const child = { parent: this, provider };

    const network = new gcp.compute.Network(
      `${name}-vpc`,
      {
        name: baseName,
        description: "GKE cluster network",
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
      },
      child,
    );
    this.networkId = network.id;
    const subnet = new gcp.compute.Subnetwork(
      `${name}-nodes`,
      {
        name: `${baseName}-nodes`,
        network: network.id,
        region: gke.region,
        ipCidrRange: gke.network.nodes,
        secondaryIpRanges: [
          { rangeName: POD_RANGE, ipCidrRange: gke.network.pods },
          { rangeName: SERVICE_RANGE, ipCidrRange: gke.network.services },
        ],
        privateIpGoogleAccess: true,
        stackType: "IPV4_ONLY",
        logConfig: {
          aggregationInterval: "INTERVAL_5_SEC",
          flowSampling: 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      child,
    );

    // Private nodes have no external address: Cloud NAT is their way out (images from other
    // registries, chocon's upstreams), from addresses that stay the same.
    const router = new gcp.compute.Router(
      `${name}-router`,
      { name: baseName, network: network.id, region: gke.region },
      child,
    );
    const natAddresses = Array.from(
      { length: NAT_ADDRESSES },
      (_, index) =>
        new gcp.compute.Address(
          `${name}-nat-${index + 1}`,
          {
            name: `${baseName}-nat-${index + 1}`,
            region: gke.region,
            addressType: "EXTERNAL",
            networkTier: "PREMIUM",
            labels,
          },
          child,
        ),
    );
    this.egressAddresses = pulumi.all(natAddresses.map((address) => address.address));
    new gcp.compute.RouterNat(
      `${name}-nat`,
      {
        name: baseName,
        router: router.name,
        region: gke.region,
        natIpAllocateOption: "MANUAL_ONLY",
        natIps: natAddresses.map((address) => address.selfLink),
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        // chocon keeps many connections to few hosts: ports grow with demand.
        enableDynamicPortAllocation: true,
        enableEndpointIndependentMapping: false,
        minPortsPerVm: 128,
        maxPortsPerVm: 8192,
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      child,
    );

    const identity = new NodeIdentity(
      `${name}-node-sa`,
      { project: gke.project, accountId: `${baseName}-nodes`, provider },
      { parent: this },
    );
    this.nodeServiceAccount = identity.email;
    this.nodeMember = identity.member;
    this.nodeIdentityResources = identity.resources;
    const nodeConfig = hardenedNodeConfig(identity.email, labels);

    const access = controlPlaneAccess(gke);
    this.cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      {
        name: baseName,
        project: gke.project,
        location: gke.region,
        description: "Microservices of the region",
        network: network.id,
        subnetwork: subnet.id,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: POD_RANGE,
          servicesSecondaryRangeName: SERVICE_RANGE,
          stackType: "IPV4",
        },
        // Node pools are separate resources; the default pool exists only while the cluster is
        // created, and even it gets the hardened node settings.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        nodeConfig: { ...nodeConfig, machineType: "e2-small", diskSizeGb: 20 },
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: access.privateEndpointOnly,
          masterIpv4CidrBlock: gke.network.controlPlane,
          masterGlobalAccessConfig: { enabled: false },
        },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: access.cidrBlocks,
          gcpPublicCidrsAccessEnabled: false,
          privateEndpointEnforcementEnabled: true,
        },
        // The DNS endpoint would accept any caller with IAM rights, from anywhere.
        controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: false } },
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        enableLegacyAbac: false,
        enableShieldedNodes: true,
        workloadIdentityConfig: { workloadPool: workloadPool(gke.project) },
        // Dataplane V2 (eBPF) enforces NetworkPolicy itself; the Calico add-on stays off.
        datapathProvider: "ADVANCED_DATAPATH",
        releaseChannel: { channel: gke.releaseChannel },
        maintenancePolicy: { recurringWindow: maintenanceWindow(gke.maintenance) },
        addonsConfig: {
          httpLoadBalancing: { disabled: false },
          horizontalPodAutoscaling: { disabled: false },
          networkPolicyConfig: { disabled: true },
          dnsCacheConfig: { enabled: true },
          gcePersistentDiskCsiDriverConfig: { enabled: true },
        },
        // kube-dns, not Cloud DNS: its ConfigMap carries the `consul` stub domain.
        dnsConfig: { clusterDns: "KUBE_DNS" },
        gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
        binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
        // Workload configuration audit only: GKE no longer offers vulnerability scanning here
        // (images are scanned in Artifact Registry).
        securityPostureConfig: { mode: "BASIC", vulnerabilityMode: "VULNERABILITY_DISABLED" },
        costManagementConfig: { enabled: true },
        enableL4IlbSubsetting: true,
        nodePoolDefaults: { nodeConfigDefaults: { insecureKubeletReadonlyPortEnabled: "FALSE" } },
        loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
        monitoringConfig: {
          enableComponents: ["SYSTEM_COMPONENTS"],
          managedPrometheus: { enabled: true },
          advancedDatapathObservabilityConfig: { enableMetrics: true, enableRelay: false },
        },
        resourceLabels: labels,
        deletionProtection: true,
      },
      {
        ...child,
        dependsOn: identity.resources,
        protect: true,
        // Only used for the short-lived default pool.
        ignoreChanges: ["nodeConfig", "initialNodeCount"],
      },
    );
    this.name = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.caCertificate = this.cluster.masterAuth.apply((auth) => auth?.clusterCaCertificate ?? "");

    this.nodePools = gke.nodePools.map(
      (pool) =>
        new gcp.container.NodePool(
          `${name}-${pool.name}`,
          {
            // A prefix, not a name: a changed pool is built beside the old one, then the old
            // one is drained and deleted.
            namePrefix: `${pool.name}-`,
            cluster: this.cluster.id,
            location: gke.region,
            // Per zone: a regional pool has this many nodes in each of the region's zones.
            initialNodeCount: Math.max(1, pool.minPerZone),
            autoscaling: {
              minNodeCount: pool.minPerZone,
              maxNodeCount: pool.maxPerZone,
              locationPolicy: "BALANCED",
            },
            management: { autoRepair: true, autoUpgrade: true },
            upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
            nodeConfig: {
              ...nodeConfig,
              machineType: pool.machineType,
              diskSizeGb: pool.diskGb,
              spot: pool.spot,
              labels: { "multicloud/pool": pool.name },
            },
          },
          {
            ...child,
            dependsOn: identity.resources,
            // The autoscaler moves the count; the initial count only matters at creation.
            ignoreChanges: ["initialNodeCount"],
          },
        ),
    );

    this.registerOutputs({
      name: this.name,
      endpoint: this.endpoint,
      networkId: this.networkId,
      nodeServiceAccount: this.nodeServiceAccount,
      egressAddresses: this.egressAddresses,
    });
  }
}

/** Node settings every pool shares. */
function hardenedNodeConfig(serviceAccount: string, labels: Record<string, string>) {
  return {
    serviceAccount,
    // The scope is broad on purpose: IAM roles of the account are what limit it.
    oauthScopes: [CLOUD_PLATFORM],
    imageType: "COS_CONTAINERD",
    diskType: "pd-balanced",
    metadata: { "disable-legacy-endpoints": "true" },
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    kubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" },
    resourceLabels: labels,
  };
}
