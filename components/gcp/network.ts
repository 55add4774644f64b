// The site's VPC: custom mode, one regional subnet for every host, flow logs, Private Google
// Access, and Cloud NAT as the only way out (hosts have no public addresses).
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import { childOptions, type GcpComponentArgs } from "./options";

export interface GcpNetworkArgs extends GcpComponentArgs {
  /** The GCP region of the subnet, router and NAT, e.g. europe-west2. */
  readonly region: string;
  /** The subnet's range: the block that holds every host of the region (networkLayout(spec).hosts). */
  readonly cidr: string;
  /** Fraction of flows that flow logs keep, 0 to 1. Defaults to 0.5. */
  readonly flowLogSampling?: number;
}

export class GcpNetwork extends pulumi.ComponentResource {
  readonly network: gcp.compute.Network;
  readonly subnetwork: gcp.compute.Subnetwork;
  readonly router: gcp.compute.Router;
  readonly nat: gcp.compute.RouterNat;
  readonly networkId: pulumi.Output<string>;
  readonly networkSelfLink: pulumi.Output<string>;
  readonly subnetworkId: pulumi.Output<string>;

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gcp:Network", name, {}, opts);
    const child = childOptions(this, args);

    this.network = new gcp.compute.Network(
      `${name}-vpc`,
      {
        description: "Hosts of the region; subnets are declared, never created automatically",
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        // Every route is declared here, so the route table reads the same as the code.
        deleteDefaultRoutesOnCreate: true,
      },
      child,
    );

    new gcp.compute.Route(
      `${name}-egress`,
      {
        description: "Egress through Cloud NAT and Private Google Access",
        network: this.network.id,
        destRange: "0.0.0.0/0",
        nextHopGateway: "default-internet-gateway",
        priority: 1000,
      },
      child,
    );

    this.subnetwork = new gcp.compute.Subnetwork(
      `${name}-hosts`,
      {
        description: "Every host of the region",
        network: this.network.id,
        region: args.region,
        ipCidrRange: args.cidr,
        purpose: "PRIVATE",
        stackType: "IPV4_ONLY",
        privateIpGoogleAccess: true,
        logConfig: {
          aggregationInterval: "INTERVAL_1_MIN",
          flowSampling: args.flowLogSampling ?? 0.5,
          metadata: "INCLUDE_ALL_METADATA",
        },
      },
      child,
    );

    this.router = new gcp.compute.Router(
      `${name}-router`,
      {
        description: "Cloud NAT of the hosts",
        network: this.network.id,
        region: args.region,
      },
      child,
    );

    this.nat = new gcp.compute.RouterNat(
      `${name}-nat`,
      {
        router: this.router.name,
        region: args.region,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: this.subnetwork.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        // Endpoint-independent mapping stays off: it cannot be combined with dynamic port
        // allocation, which chocon's many pooled connections to few upstreams need.
        enableEndpointIndependentMapping: false,
        enableDynamicPortAllocation: true,
        minPortsPerVm: 64,
        maxPortsPerVm: 4096,
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      },
      child,
    );

    this.networkId = this.network.id;
    this.networkSelfLink = this.network.selfLink;
    this.subnetworkId = this.subnetwork.id;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetworkId: this.subnetworkId,
    });
  }
}
