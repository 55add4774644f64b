// AWS networks: what the internet may reach, flow logs, and the default security group.
import { FRONT_ROLE, hostRole } from "./hosts";
import type { StackResource, StackRule, StackViolation } from "./types";
import { isTrue, isWorld, list, num, records, text } from "./values";

const VPC = "aws:ec2/vpc:Vpc";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/** The ports the front serves to everyone: HTTP (redirected) and HTTPS. */
const PUBLIC_PORTS = [80, 443];

/** Whether a resource that attaches security groups faces the internet by design. */
function isFrontConsumer(resource: StackResource): boolean {
  if (resource.type === LOAD_BALANCER) return !isTrue(resource.props.internal);
  return hostRole(resource.props, resource.name) === FRONT_ROLE;
}

/**
 * Security groups attached only to the front: an internet-facing load balancer or nginx hosts.
 * Attachment is read from dependencies, which hold even while ids are unknown in a preview.
 */
function frontSecurityGroups(resources: readonly StackResource[]): Set<string> {
  const consumers = resources.filter((resource) =>
    [LOAD_BALANCER, INSTANCE, LAUNCH_TEMPLATE].includes(resource.type),
  );
  const front = new Set<string>();
  for (const group of resources.filter((resource) => resource.type === SECURITY_GROUP)) {
    const users = consumers.filter((consumer) => consumer.dependencies.includes(group.urn));
    if (users.length > 0 && users.every(isFrontConsumer)) front.add(group.urn);
  }
  return front;
}

interface OpenIngress {
  readonly where: string;
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
}

/** Ingress entries of a resource that admit the whole internet. */
function worldIngress(resource: StackResource): OpenIngress[] {
  const props = resource.props;
  const open: OpenIngress[] = [];
  const entry = (where: string, block: Readonly<Record<string, unknown>>, protocolKey: string) => ({
    where,
    protocol: String(block[protocolKey] ?? "").toLowerCase(),
    ...(num(block.fromPort) !== undefined ? { from: num(block.fromPort) } : {}),
    ...(num(block.toPort) !== undefined ? { to: num(block.toPort) } : {}),
  });
  const cidrs = (block: Readonly<Record<string, unknown>>) => [
    ...list(block.cidrBlocks),
    ...list(block.ipv6CidrBlocks),
  ];
  if (resource.type === INGRESS_RULE && (isWorld(props.cidrIpv4) || isWorld(props.cidrIpv6))) {
    open.push(entry("cidrIpv4/cidrIpv6", props, "ipProtocol"));
  }
  if (resource.type === LEGACY_RULE && text(props.type) === "ingress" && cidrs(props).some(isWorld))
    open.push(entry("cidrBlocks", props, "protocol"));
  if (resource.type === SECURITY_GROUP) {
    records(props.ingress).forEach((block, index) => {
      if (cidrs(block).some(isWorld)) open.push(entry(`ingress[${index}]`, block, "protocol"));
    });
  }
  return open;
}

function isPublicWebPort(open: OpenIngress): boolean {
  return (
    (open.protocol === "tcp" || open.protocol === "6") &&
    open.from !== undefined &&
    open.from === open.to &&
    PUBLIC_PORTS.includes(open.from)
  );
}

export const awsNoWorldIngress: StackRule = {
  kind: "stack",
  name: "aws-no-world-ingress",
  description:
    "No security group admits 0.0.0.0/0 or ::/0, except TCP 80 and 443 on the front (the internet-facing load balancer or nginx hosts).",
  remediation:
    "Narrow the rule to the sources that need it (another security group, the VPC range, the operators' VPN), or move the service behind the front.",
  enforcementLevel: "mandatory",
  validate(resources) {
    const front = frontSecurityGroups(resources);
    const violations: StackViolation[] = [];
    for (const resource of resources) {
      for (const open of worldIngress(resource)) {
        const groups =
          resource.type === SECURITY_GROUP
            ? [resource.urn]
            : resource.dependencies.filter((urn) =>
                resources.some((other) => other.urn === urn && other.type === SECURITY_GROUP),
              );
        const onFront = groups.length > 0 && groups.every((urn) => front.has(urn));
        if (onFront && isPublicWebPort(open)) continue;
        const ports =
          open.from === undefined ? "all ports" : `ports ${open.from}-${open.to ?? open.from}`;
        violations.push({
          urn: resource.urn,
          message: `${open.where} admits the whole internet on ${open.protocol || "any protocol"} ${ports}${
            onFront ? "" : " to a security group that is not the front's"
          }`,
        });
      }
    }
    return violations;
  },
};

/** Resources of a type that depend on the given resource. */
function dependents(resources: readonly StackResource[], type: string, urn: string) {
  return resources.filter(
    (resource) => resource.type === type && resource.dependencies.includes(urn),
  );
}

export const awsVpcFlowLogs: StackRule = {
  kind: "stack",
  name: "aws-vpc-flow-logs",
  description: "Every VPC records flow logs.",
  remediation:
    "Create an aws.ec2.FlowLog with vpcId set to the VPC (trafficType ALL, to an encrypted log group).",
  enforcementLevel: "mandatory",
  validate(resources) {
    return resources
      .filter((resource) => resource.type === VPC)
      .filter(
        (vpc) =>
          !dependents(resources, FLOW_LOG, vpc.urn).some((log) => log.props.vpcId !== undefined),
      )
      .map((vpc) => ({ urn: vpc.urn, message: "no flow log records this VPC's traffic" }));
  },
};

export const awsDefaultSecurityGroupClosed: StackRule = {
  kind: "stack",
  name: "aws-default-security-group-closed",
  description:
    "Every VPC's default security group is taken over and left without rules, so nothing can use it by accident.",
  remediation:
    "Create an aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress entries.",
  enforcementLevel: "mandatory",
  validate(resources) {
    const violations: StackViolation[] = [];
    for (const vpc of resources.filter((resource) => resource.type === VPC)) {
      if (dependents(resources, DEFAULT_SECURITY_GROUP, vpc.urn).length === 0) {
        violations.push({
          urn: vpc.urn,
          message:
            "the default security group is not managed: AWS's default rules (all traffic between members, all egress) stay",
        });
      }
    }
    for (const group of resources.filter((resource) => resource.type === DEFAULT_SECURITY_GROUP)) {
      for (const direction of ["ingress", "egress"] as const) {
        const count = list(group.props[direction]).length;
        if (count > 0)
          violations.push({
            urn: group.urn,
            message: `the default security group has ${count} ${direction} rule(s)`,
          });
      }
    }
    return violations;
  },
};
