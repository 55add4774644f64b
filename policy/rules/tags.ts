// Every resource that can carry tags or labels names its owner, project, region and manager, so
// that cost reports, audits and people can tell what it belongs to.
import type { Props, ResourceContext, ResourceRule } from "./types";
import { at, jsonRecord, keyValueTags, records, stringMap, text } from "./values";

export const REQUIRED_TAGS = ["owner", "project", "region", "managed-by"] as const;

/** AWS types this program creates that take a `tags` map (the provider's defaultTags apply). */
export const AWS_TAGGED_TYPES: readonly string[] = [
  "aws:acm/certificate:Certificate",
  "aws:autoscaling/group:Group",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:ebs/volume:Volume",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/eip:Eip",
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/instance:Instance",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:iam/role:Role",
  "aws:iam/user:User",
  "aws:kms/key:Key",
  "aws:lb/listener:Listener",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:rds/eventSubscription:EventSubscription",
  "aws:rds/instance:Instance",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:route53/healthCheck:HealthCheck",
  "aws:route53/zone:Zone",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:secretsmanager/secret:Secret",
  "aws:sns/topic:Topic",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];

/** GCP types this program creates that take labels, and the input that holds them. */
export const GCP_LABELLED_TYPES: Readonly<Record<string, string>> = {
  "gcp:artifactregistry/repository:Repository": "labels",
  "gcp:certificatemanager/certificate:Certificate": "labels",
  "gcp:certificatemanager/certificateMap:CertificateMap": "labels",
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": "labels",
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": "labels",
  "gcp:compute/address:Address": "labels",
  "gcp:compute/disk:Disk": "labels",
  "gcp:compute/externalVpnGateway:ExternalVpnGateway": "labels",
  "gcp:compute/forwardingRule:ForwardingRule": "labels",
  "gcp:compute/globalAddress:GlobalAddress": "labels",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "labels",
  "gcp:compute/haVpnGateway:HaVpnGateway": "labels",
  "gcp:compute/instance:Instance": "labels",
  "gcp:compute/instanceTemplate:InstanceTemplate": "labels",
  "gcp:compute/securityPolicy:SecurityPolicy": "labels",
  "gcp:compute/vPNTunnel:VPNTunnel": "labels",
  "gcp:container/cluster:Cluster": "resourceLabels",
  "gcp:dns/managedZone:ManagedZone": "labels",
  // A notification channel's `labels` are its settings (the address); its labels are userLabels.
  "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
  "gcp:secretmanager/secret:Secret": "labels",
  "gcp:storage/bucket:Bucket": "labels",
};

/** Sakura Cloud resources (this program's dynamic provider) take "key=value" tags. */
const SAKURA_TYPES = [
  "pulumi-nodejs:dynamic/sakuracloud:Server",
  "pulumi-nodejs:dynamic/sakuracloud:Disk",
  "pulumi-nodejs:dynamic/sakuracloud:Switch",
];

/** AWS types whose tags the provider's defaultTags do not reach. */
const NO_DEFAULT_TAGS = ["aws:autoscaling/group:Group"];

function awsDefaults(context: ResourceContext): Record<string, string> {
  if (NO_DEFAULT_TAGS.includes(context.type)) return {};
  return stringMap(at(jsonRecord(context.providerProps?.defaultTags), "tags"));
}

function gcpDefaults(context: ResourceContext): Record<string, string> {
  return stringMap(jsonRecord(context.providerProps?.defaultLabels));
}

/** Tag sets to check, each with where it is declared. */
function tagSets(props: Props, context: ResourceContext): [string, Record<string, string>][] {
  if (SAKURA_TYPES.includes(context.type)) return [["tags", keyValueTags(props.tags)]];
  const labelKey = GCP_LABELLED_TYPES[context.type];
  if (labelKey) return [[labelKey, { ...gcpDefaults(context), ...stringMap(props[labelKey]) }]];
  if (context.type === "aws:autoscaling/group:Group") {
    const listed: Record<string, string> = {};
    for (const tag of records(props.tags)) {
      const key = text(tag.key);
      if (key) listed[key] = text(tag.value) ?? "";
    }
    return [["tags", listed]];
  }
  const sets: [string, Record<string, string>][] = [
    ["tags", { ...awsDefaults(context), ...stringMap(props.tags) }],
  ];
  // What a launch template tags at launch is not covered by the provider's defaults.
  records(props.tagSpecifications).forEach((spec, index) => {
    sets.push([
      `tagSpecifications[${index}] (${text(spec.resourceType) ?? "?"})`,
      stringMap(spec.tags),
    ]);
  });
  return sets;
}

export const requiredTags: ResourceRule = {
  kind: "resource",
  name: "required-tags",
  description: `Taggable AWS, GCP and Sakura resources carry the tags (labels) ${REQUIRED_TAGS.join(", ")}, directly or through the provider's defaultTags/defaultLabels.`,
  remediation:
    "Build tags with awsTags()/gcpLabels() from components/tags.ts, or give the provider defaultTags (AWS) / defaultLabels (GCP) from baseTags().",
  enforcementLevel: "advisory",
  resourceTypes: [...AWS_TAGGED_TYPES, ...Object.keys(GCP_LABELLED_TYPES), ...SAKURA_TYPES],
  validate(props, context) {
    return tagSets(props, context).flatMap(([where, tags]) => {
      const missing = REQUIRED_TAGS.filter((key) => !tags[key]);
      return missing.length === 0 ? [] : [`${where} lacks ${missing.join(", ")}`];
    });
  },
};
