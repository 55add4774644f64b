// The region's VPC: public, private and data subnets in every zone, NAT, routes, flow logs, and
// endpoints that keep AWS API traffic (S3, DynamoDB, Session Manager) off the internet.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import { formatCidr } from "../spec/cidr";
import { type NetworkLayout, networkLayout, zonesOf } from "../spec/layout";
import type { AwsRegionSpec } from "../spec/schema";
import type { AwsAccount } from "./account";
import { reservedRanges } from "./addresses";
import { FlowLogs } from "./flow-logs";
import { ports } from "./ports";

/** Session Manager's endpoints: administrative access keeps working when the NAT path does not. */
export const sessionManagerEndpoints = ["ssm", "ssmmessages", "ec2messages"] as const;

export interface NetworkArgs {
  /** The validated region: network CIDR, zones, NAT strategy. */
  spec: AwsRegionSpec;
  /** The site's provider; every resource and lookup goes through it. */
  provider: aws.Provider;
  /** The account the provider acts in (for the flow-log key policy and role conditions). */
  account: AwsAccount;
  /** Days the VPC flow logs are kept. Default 365. */
  flowLogRetentionDays?: number;
  /**
   * Interface endpoints (short service names such as "ssm") in the private subnets, reachable on
   * 443 from the VPC. Default: Session Manager's three. An empty list creates none.
   */
  interfaceEndpoints?: readonly string[];
}

/** The zone part of a zone name ("us-west-2a" -> "a"), for resource names. */
function zoneKey(spec: AwsRegionSpec, zone: string): string {
  return zone.startsWith(spec.aws.region) ? zone.slice(spec.aws.region.length) : zone;
}

export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  /**
   * The address plan. Its zone names are the spec's zones, or, when the spec lists none, the
   * region's first three by letter; `zoneNames` has the names the cloud reports.
   */
  public readonly layout: NetworkLayout;
  /** Zone names in layout order (index i is the zone of every i-th subnet). */
  public readonly zoneNames: pulumi.Output<string>[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly dataSubnetIds: pulumi.Output<string>[];
  public readonly publicRouteTableId: pulumi.Output<string>;
  public readonly privateRouteTableIds: pulumi.Output<string>[];
  /** The NAT gateways' public addresses: what other clouds see when hosts call out. */
  public readonly natPublicIps: pulumi.Output<string>[];
  public readonly flowLogGroupName: string;
  /**
   * What hosts need before they boot: address reservations (or an auto-scaled host could take a
   * fixed host's address) and the routes out (or first-boot package installs fail).
   */
  public readonly readyForHosts: pulumi.Resource[] = [];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Network", name, {}, opts);
    const { spec } = args;
    const children = { parent: this, provider: args.provider };
    const region = spec.aws.region;

    this.layout = networkLayout(spec, zonesOf(spec));
    const layout = this.layout;
    this.vpcCidr = formatCidr(layout.network);
    this.zoneNames = this.resolveZones(spec, args.provider);
    const keys = layout.zones.map((zone) => zoneKey(spec, zone));

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: this.vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: `multicloud-${spec.name}` },
      },
      children,
    );
    this.vpcId = vpc.id;

    // The default security group is attached to anything launched without one: take all its rules
    // away so that nothing is ever open by accident. (The default network ACL stays as AWS makes
    // it: security groups do the filtering, and a second stateless layer would need every
    // ephemeral port range kept in step with them.)
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: { Name: `multicloud-${spec.name}-default-unused` } },
      children,
    );

    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { Name: `multicloud-${spec.name}` } },
      children,
    );

    const subnets = (tier: "public" | "private" | "data") =>
      layout[tier].map(
        (cidr, i) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${keys[i]}`,
            {
              vpcId: vpc.id,
              cidrBlock: formatCidr(cidr),
              availabilityZone: this.zoneNames[i],
              // Nothing gets a public address by accident: the only public addresses are the
              // NAT gateways' and, with a DNS round-robin front, the nginx hosts' Elastic IPs.
              mapPublicIpOnLaunch: false,
              tags: { Name: `multicloud-${spec.name}-${tier}-${keys[i]}`, tier },
            },
            children,
          ),
      );
    const publicSubnets = subnets("public");
    const privateSubnets = subnets("private");
    const dataSubnets = subnets("data");
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.dataSubnetIds = dataSubnets.map((s) => s.id);

    for (const range of reservedRanges(spec, layout)) {
      const subnet = (range.tier === "public" ? publicSubnets : privateSubnets)[range.zoneIndex];
      if (!subnet) continue;
      const reservation = new aws.ec2.SubnetCidrReservation(
        `${name}-${range.tier}-${keys[range.zoneIndex]}-reserve-${range.role}`,
        {
          subnetId: subnet.id,
          cidrBlock: range.cidr,
          reservationType: "explicit",
          description: `fixed addresses of the ${range.role} hosts`,
        },
        children,
      );
      this.readyForHosts.push(reservation);
    }

    // NAT: one per zone survives the loss of a zone; "single" saves money and accepts that risk.
    const natZones = spec.aws.natGateways === "perZone" ? layout.zones.map((_, i) => i) : [0];
    const nats = natZones.map((i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${keys[i]}-eip`,
        { domain: "vpc", tags: { Name: `multicloud-${spec.name}-nat-${keys[i]}` } },
        { ...children, dependsOn: [igw] },
      );
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${keys[i]}`,
        {
          allocationId: eip.allocationId,
          subnetId: this.publicSubnetIds[i],
          connectivityType: "public",
          tags: { Name: `multicloud-${spec.name}-nat-${keys[i]}` },
        },
        { ...children, dependsOn: [igw] },
      );
      return { nat, eip };
    });
    this.natPublicIps = nats.map(({ eip }) => eip.publicIp);

    const publicTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: { Name: `multicloud-${spec.name}-public` } },
      children,
    );
    const publicDefault = new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      children,
    );
    this.readyForHosts.push(publicDefault);
    publicSubnets.forEach((subnet, i) => {
      const association = new aws.ec2.RouteTableAssociation(
        `${name}-public-${keys[i]}-rta`,
        { subnetId: subnet.id, routeTableId: publicTable.id },
        children,
      );
      this.readyForHosts.push(association);
    });
    this.publicRouteTableId = publicTable.id;

    // A private route table per zone, even with a single NAT, so that switching strategies only
    // changes routes.
    const privateTables = privateSubnets.map((subnet, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${keys[i]}-rt`,
        { vpcId: vpc.id, tags: { Name: `multicloud-${spec.name}-private-${keys[i]}` } },
        children,
      );
      const nat = nats[spec.aws.natGateways === "perZone" ? i : 0]?.nat;
      if (!nat) throw new Error(`no NAT gateway for zone ${layout.zones[i]}`);
      const privateDefault = new aws.ec2.Route(
        `${name}-private-${keys[i]}-default`,
        { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
        children,
      );
      const association = new aws.ec2.RouteTableAssociation(
        `${name}-private-${keys[i]}-rta`,
        { subnetId: subnet.id, routeTableId: table.id },
        children,
      );
      this.readyForHosts.push(privateDefault, association);
      return table;
    });
    this.privateRouteTableIds = privateTables.map((t) => t.id);

    // Data subnets hold managed databases only: no route out of the VPC at all.
    const dataTable = new aws.ec2.RouteTable(
      `${name}-data-rt`,
      { vpcId: vpc.id, tags: { Name: `multicloud-${spec.name}-data` } },
      children,
    );
    dataSubnets.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${name}-data-${keys[i]}-rta`,
        { subnetId: subnet.id, routeTableId: dataTable.id },
        children,
      );
    });

    // Gateway endpoints are free and keep S3 / DynamoDB traffic (packages, backups) off the NAT.
    for (const service of ["s3", "dynamodb"]) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: [publicTable.id, ...privateTables.map((t) => t.id)],
          tags: { Name: `multicloud-${spec.name}-${service}` },
        },
        children,
      );
    }

    const interfaceServices = args.interfaceEndpoints ?? sessionManagerEndpoints;
    if (interfaceServices.length > 0) {
      const endpointGroup = new aws.ec2.SecurityGroup(
        `${name}-endpoints-sg`,
        {
          vpcId: vpc.id,
          description: "Interface endpoints: HTTPS from the VPC",
          tags: { Name: `multicloud-${spec.name}-endpoints` },
        },
        children,
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-in-https`,
        {
          securityGroupId: endpointGroup.id,
          ipProtocol: "tcp",
          fromPort: ports.https,
          toPort: ports.https,
          cidrIpv4: this.vpcCidr,
          description: "HTTPS from hosts in the VPC",
        },
        children,
      );
      for (const service of interfaceServices) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service}`,
          {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${region}.${service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: this.privateSubnetIds,
            securityGroupIds: [endpointGroup.id],
            tags: { Name: `multicloud-${spec.name}-${service}` },
          },
          children,
        );
      }
    }

    const flowLogs = new FlowLogs(
      `${name}-flow-logs`,
      {
        spec,
        provider: args.provider,
        account: args.account,
        vpcId: vpc.id,
        retentionDays: args.flowLogRetentionDays ?? 365,
      },
      { parent: this },
    );
    this.flowLogGroupName = flowLogs.logGroupName;

    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      dataSubnetIds: this.dataSubnetIds,
      natPublicIps: this.natPublicIps,
    });
  }

  /** The spec's zones, or the first three zones the region offers to this account. */
  private resolveZones(spec: AwsRegionSpec, provider: aws.Provider): pulumi.Output<string>[] {
    if (spec.aws.zones) return spec.aws.zones.map((zone) => pulumi.output(zone));
    const offered = aws.getAvailabilityZonesOutput(
      {
        state: "available",
        // Regular zones only: Local Zones and Wavelength zones are opt-in and lack most services.
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      },
      { provider, parent: this },
    );
    return zonesOf(spec).map((_, i) =>
      offered.names.apply((names) => {
        const zone = names[i];
        if (!zone) {
          throw new Error(
            `region ${spec.aws.region} offers ${names.length} zone(s); list the zones to use (at least two) in aws.zones of the stack file`,
          );
        }
        return zone;
      }),
    );
  }
}
