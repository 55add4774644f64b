// Microservices on GKE for one region: a hardened cluster, the API gateway behind a global load
// balancer guarded by Cloud Armor, chocon for calls to other clouds, and Consul DNS for pods,
// with the registry the images come from and the public name of the gateway.
import * as pulumi from "@pulumi/pulumi";
import { PublishedImage } from "../artifacts/image";
import type { ChoconRelease } from "../artifacts/publish";
import { type ApiGate, enableGoogleApi, gateOf } from "../gcp/api-wait";
import type * as aws from "../sdk/aws";
import * as gcp from "../sdk/gcp";
import * as k8s from "../sdk/kubernetes";
import type { GkeSpec } from "../spec/gke";
import type { RegionSpec } from "../spec/schema";
import { gcpLabels } from "../tags";
import { CREATION_APIS, REQUIRED_APIS } from "./apis";
import { CcnproxyDns } from "./ccnproxy-dns";
import { GkeCluster } from "./cluster";
import { choconClusterIp, clusterRanges } from "./cluster-settings";
import { ConsulDns } from "./consul-dns";
import { GatewayEdge, publicName } from "./gateway-edge";
import { admittedRepositories, ImagePolicy, imagesOutside } from "./image-policy";
import { renderKubeconfig } from "./kubeconfig";
import { ImageRegistry } from "./registry";
import { ApiGateway } from "./workloads/api-gateway";
import { Chocon } from "./workloads/chocon";
import { choconClientNamespaces, choconUpstreamPorts } from "./workloads/gateway-routes";

export interface MicroservicesArgs {
  /** The validated region spec; `spec.gke` is present when this is built. */
  readonly spec: RegionSpec;
  /** `spec.gke`, narrowed. */
  readonly gke: GkeSpec;
  /** The region's public Route53 zone: the gateway's name is published there. */
  readonly publicZoneId: pulumi.Input<string>;
  /** Provider for Route53 records. */
  readonly dnsProvider: aws.Provider;
  /**
   * Addresses the cluster's DNS forwards `consul` to: the region's Consul servers or DNS
   * endpoints reachable from the cluster, each an IPv4 address with an optional `:port`.
   */
  readonly consulDnsServers: pulumi.Input<string[]>;
  /** The chocon build of the deploy: its image is pushed into the region's registry and run by digest. */
  readonly chocon: ChoconRelease;
}

/** The repository the region's images live in (the path segment after the project). */
export const REPOSITORY_ID = "services";

export class Microservices extends pulumi.ComponentResource {
  public readonly gcpProvider: gcp.Provider;
  /** Provider of the cluster; every Kubernetes object of the region goes through it. */
  public readonly k8sProvider: k8s.Provider;
  public readonly clusterName: pulumi.Output<string>;
  /** A kubeconfig without secrets (credentials come from gke-gcloud-auth-plugin). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The gateway's public name and the reserved address it points at. */
  public readonly gatewayHostname: string;
  public readonly gatewayAddress: pulumi.Output<string>;
  /** `<region>-docker.pkg.dev/<project>/services`: where the region's images are pushed. */
  public readonly registryUrl: string;
  public readonly nodeServiceAccount: string;
  /** The cluster's source addresses on the internet (Cloud NAT). */
  public readonly egressAddresses: pulumi.Output<string[]>;
  /** chocon's ClusterIP, which every `*.ccnproxy*` name resolves to in the cluster. */
  public readonly choconAddress: string;
  public readonly networkId: pulumi.Output<string>;
  /** The project's APIs this run enables (Monitoring's among them): what waits for them. */
  public readonly apis: ApiGate;

  constructor(name: string, args: MicroservicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:Microservices", name, {}, opts);
    const { spec, gke } = args;
    const baseName = `${spec.name}-gke`;
    const labels = gcpLabels(spec, { component: "microservices" });

    // APIs are enabled through a provider of their own; every other GCP resource goes through a
    // provider that waits for those it is created through, where this run enables them (enabled
    // together, they are ready together).
    const apiProvider = new gcp.Provider(
      `${name}-gcp-apis`,
      { project: gke.project, region: gke.region, defaultLabels: gcpLabels(spec) },
      { parent: this },
    );
    const seconds = spec.googleApiWaitSeconds;
    const apis = REQUIRED_APIS.map((service) =>
      enableGoogleApi(
        `${name}-api-${service.split(".")[0]}`,
        { project: gke.project, service, seconds },
        { parent: this, provider: apiProvider },
      ),
    );
    this.apis = gateOf(apis);
    const creationApis = gateOf(
      apis.filter((api) => (CREATION_APIS as readonly string[]).includes(api.service)),
    );
    this.gcpProvider = new gcp.Provider(
      `${name}-gcp`,
      { project: gke.project, region: gke.region, defaultLabels: gcpLabels(spec) },
      { parent: this, dependsOn: creationApis },
    );
    const provider = this.gcpProvider;

    const cluster = new GkeCluster(
      `${name}-cluster`,
      { gke, baseName, labels, provider },
      { parent: this },
    );
    this.clusterName = cluster.name;
    this.nodeServiceAccount = cluster.nodeServiceAccount;
    this.egressAddresses = cluster.egressAddresses;
    this.networkId = cluster.networkId;

    const registry = new ImageRegistry(
      `${name}-registry`,
      {
        project: gke.project,
        location: gke.region,
        repositoryId: REPOSITORY_ID,
        readers: [cluster.nodeMember],
        readerResources: cluster.nodeIdentityResources,
        labels,
        provider,
      },
      { parent: this },
    );
    this.registryUrl = registry.url;
    const admitted = admittedRepositories(registry.url, [gke.gateway.image]);
    new ImagePolicy(
      `${name}-image-policy`,
      { project: gke.project, allowedRepositories: admitted, provider },
      { parent: this },
    );
    // chocon's image is pushed into this registry below; the gateway's comes from its own pipeline.
    const strangers = imagesOutside([gke.gateway.image], admitted);
    if (strangers.length > 0) {
      pulumi.log.warn(
        `gke: ${strangers.join(", ")} not in ${admitted.join(" or ")}: Binary Authorization will refuse them`,
        this,
      );
    }

    this.gatewayHostname = publicName(gke.gateway.hostname, spec.domain);
    const edge = new GatewayEdge(
      `${name}-edge`,
      {
        baseName,
        hostname: this.gatewayHostname,
        labels,
        gcpProvider: provider,
        publicZoneId: args.publicZoneId,
        dnsProvider: args.dnsProvider,
      },
      { parent: this },
    );
    this.gatewayAddress = edge.address;

    this.kubeconfig = pulumi
      .all([cluster.endpoint, cluster.caCertificate])
      .apply(([endpoint, caCertificate]) =>
        renderKubeconfig({ name: baseName, endpoint, caCertificate }),
      );
    this.k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        // Needed by the kube-dns patch; also lets GKE's own controllers keep their fields.
        enableServerSideApply: true,
        // The endpoint or CA may change (rotation): the provider is updated, not replaced, as long
        // as it is the same cluster.
        clusterIdentifier: `${gke.project}/${gke.region}/${baseName}`,
      },
      // Only what runs on nodes waits for the node pools, through the pools' names in its pods'
      // node affinity; namespaces, services and policies are stored by the control plane.
      { parent: this },
    );
    const k8sProvider = this.k8sProvider;
    const nodePools = cluster.nodePools.map((pool) => pool.name);

    new ConsulDns(
      `${name}-consul-dns`,
      { servers: args.consulDnsServers, provider: k8sProvider },
      { parent: this },
    );

    new ApiGateway(
      `${name}-gateway`,
      {
        gateway: gke.gateway,
        hostname: this.gatewayHostname,
        addressName: edge.addressName,
        certificateMapName: edge.certificateMapName,
        sslPolicyName: edge.sslPolicyName,
        edgeResources: edge.resources,
        securityPolicyName: edge.securityPolicyName,
        securityPolicy: edge.securityPolicy,
        provider: k8sProvider,
        nodePools,
      },
      { parent: this },
    );

    this.choconAddress = choconClusterIp(gke);
    const choconImage = new PublishedImage(
      `${name}-chocon-image`,
      { repositoryUrl: registry.url, registryResources: registry.resources, release: args.chocon },
      { parent: this },
    );
    new Chocon(
      `${name}-chocon`,
      {
        chocon: gke.chocon,
        image: choconImage.reference,
        imageReady: choconImage.pushed,
        upstreamPorts: choconUpstreamPorts(gke.gateway),
        settings: spec.chocon,
        clusterIp: this.choconAddress,
        clientNamespaces: choconClientNamespaces(gke.gateway),
        deniedRanges: clusterRanges(gke),
        provider: k8sProvider,
        nodePools,
      },
      { parent: this },
    );
    new CcnproxyDns(
      `${name}-ccnproxy-dns`,
      {
        zonePrefix: baseName,
        networkId: cluster.networkId,
        address: this.choconAddress,
        labels,
        provider,
      },
      { parent: this },
    );

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      gatewayHostname: this.gatewayHostname,
      gatewayAddress: this.gatewayAddress,
      registryUrl: this.registryUrl,
      nodeServiceAccount: this.nodeServiceAccount,
      egressAddresses: this.egressAddresses,
      choconAddress: this.choconAddress,
      networkId: this.networkId,
    });
  }
}
