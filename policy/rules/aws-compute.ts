// EC2 hosts: the instance metadata service, disk encryption and public addresses.
import { FRONT_ROLE, hostRole } from "./hosts";
import type { Props, ResourceRule } from "./types";
import { at, isTrue, num, record, records, text } from "./values";

const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const VOLUME = "aws:ebs/volume:Volume";
const SUBNET = "aws:ec2/subnet:Subnet";

function metadataOptions(props: Props) {
  return record(props.metadataOptions) ?? {};
}

function metadataDisabled(props: Props): boolean {
  return text(metadataOptions(props).httpEndpoint) === "disabled";
}

export const awsImdsv2Required: ResourceRule = {
  kind: "resource",
  name: "aws-imdsv2-required",
  description:
    "EC2 instances and launch templates require IMDSv2 session tokens (no IMDSv1 requests).",
  remediation:
    'Set metadataOptions.httpTokens to "required" (or httpEndpoint to "disabled" when a host needs no metadata).',
  enforcementLevel: "mandatory",
  resourceTypes: [INSTANCE, LAUNCH_TEMPLATE],
  validate(props) {
    if (metadataDisabled(props)) return [];
    const tokens = text(metadataOptions(props).httpTokens);
    return tokens === "required"
      ? []
      : [
          `metadataOptions.httpTokens is ${tokens ?? "not set (IMDSv1 allowed)"}: a request forged through the host can read its role's credentials`,
        ];
  },
};

export const awsImdsHopLimit: ResourceRule = {
  kind: "resource",
  name: "aws-imds-hop-limit-1",
  description:
    "The metadata service answers the host only (hop limit 1), not containers or forwarded packets.",
  remediation: "Set metadataOptions.httpPutResponseHopLimit to 1.",
  enforcementLevel: "advisory",
  resourceTypes: [INSTANCE, LAUNCH_TEMPLATE],
  validate(props) {
    if (metadataDisabled(props)) return [];
    const hops = num(metadataOptions(props).httpPutResponseHopLimit);
    return hops === 1
      ? []
      : [
          `metadataOptions.httpPutResponseHopLimit is ${hops ?? "not set"}: tokens reach beyond the host`,
        ];
  },
};

/** Every EBS block device a resource declares, with where it is declared. */
function blockDevices(props: Props, type: string): { where: string; encrypted: unknown }[] {
  if (type === VOLUME) return [{ where: "encrypted", encrypted: props.encrypted }];
  if (type === LAUNCH_TEMPLATE) {
    return records(props.blockDeviceMappings)
      .filter((mapping) => record(mapping.ebs))
      .map((mapping, index) => ({
        where: `blockDeviceMappings[${index}].ebs.encrypted`,
        encrypted: at(mapping, "ebs", "encrypted"),
      }));
  }
  const devices = [
    { where: "rootBlockDevice.encrypted", encrypted: at(props, "rootBlockDevice", "encrypted") },
  ];
  records(props.ebsBlockDevices).forEach((device, index) => {
    devices.push({ where: `ebsBlockDevices[${index}].encrypted`, encrypted: device.encrypted });
  });
  return devices;
}

export const awsEbsEncrypted: ResourceRule = {
  kind: "resource",
  name: "aws-ebs-encrypted",
  description: "EBS volumes, instance disks and launch template disks are encrypted.",
  remediation:
    "Set encrypted: true (with the site's KMS key) on the volume, rootBlockDevice, ebsBlockDevices or blockDeviceMappings[].ebs.",
  enforcementLevel: "mandatory",
  resourceTypes: [VOLUME, INSTANCE, LAUNCH_TEMPLATE],
  validate(props, context) {
    return blockDevices(props, context.type)
      .filter((device) => !isTrue(device.encrypted))
      .map((device) => `${device.where} is not true: the disk is stored unencrypted`);
  },
};

export const awsNoPublicIpOffTheFront: ResourceRule = {
  kind: "resource",
  name: "aws-no-public-ip-app-data",
  description:
    "Only front (nginx) hosts may get a public address; app and data tiers and their subnets never do.",
  remediation:
    "Set associatePublicIpAddress: false on the instance or launch template network interfaces, and mapPublicIpOnLaunch: false on private and data subnets; reach the hosts through the load balancer, NAT and SSM.",
  enforcementLevel: "mandatory",
  resourceTypes: [INSTANCE, LAUNCH_TEMPLATE, SUBNET],
  validate(props, context) {
    if (context.type === SUBNET) {
      const tier = record(props.tags)?.tier;
      return tier !== "public" && isTrue(props.mapPublicIpOnLaunch)
        ? [`mapPublicIpOnLaunch is true on a ${String(tier ?? "untiered")} subnet`]
        : [];
    }
    const role = hostRole(props, context.name);
    if (role === FRONT_ROLE) return [];
    const what = `a ${role ?? "host of unknown role"} (not the front)`;
    const problems: string[] = [];
    if (context.type === INSTANCE && isTrue(props.associatePublicIpAddress))
      problems.push(`associatePublicIpAddress is true on ${what}`);
    records(props.networkInterfaces).forEach((nic, index) => {
      if (isTrue(nic.associatePublicIpAddress))
        problems.push(`networkInterfaces[${index}].associatePublicIpAddress is true on ${what}`);
    });
    if (context.type === INSTANCE && props.associatePublicIpAddress === undefined) {
      // Without the input, EC2 follows the subnet's mapPublicIpOnLaunch: say it explicitly.
      problems.push(`associatePublicIpAddress is not set on ${what}: set it to false`);
    }
    return problems;
  },
};
