// Typical creation times per resource type, in minutes: how long `pulumi up` waits for the
// provider's create to return on an empty stack. These are durations seen in practice, not the
// providers' default create timeouts (which are upper bounds for failure, often 10-40 minutes).
// Where no published figure was found, the entry says "estimate" and why.
import type { PlannedResource } from "../tools/plan/plan";

export interface CreationTime {
  readonly minutes: number | ((resource: PlannedResource) => number);
  /** Where the figure comes from: a page, or "estimate: <reason>". */
  readonly source: string;
}

const API_CALL = "estimate: one API call that returns once the object exists, seconds in practice";
const quick = (minutes = 0.1, source = API_CALL): CreationTime => ({ minutes, source });

const R53_SYNC =
  "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html " +
  "(changes reach all Route 53 name servers within 60 s; the provider waits for INSYNC)";

export const creationTimes: Record<string, CreationTime> = {
  // Local: no cloud is involved.
  "random:index/randomBytes:RandomBytes": quick(0, "local: no API call"),
  "random:index/randomUuid:RandomUuid": quick(0, "local: no API call"),
  "random:index/randomPassword:RandomPassword": quick(0, "local: no API call"),
  "tls:index/privateKey:PrivateKey": quick(0, "local: no API call"),
  "tls:index/selfSignedCert:SelfSignedCert": quick(0, "local: no API call"),
  "tls:index/certRequest:CertRequest": quick(0, "local: no API call"),
  "tls:index/locallySignedCert:LocallySignedCert": quick(0, "local: no API call"),

  // Private links between the clouds.
  "aws:ec2/customerGateway:CustomerGateway": quick(0.2),
  "aws:ec2/vpnGateway:VpnGateway": {
    minutes: 1.5,
    source:
      "estimate: the provider waits for the gateway to be available and attached to the VPC, a " +
      "minute or two (no published figure found)",
  },
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": quick(),
  "aws:ec2/vpnConnection:VpnConnection": {
    minutes: 6,
    source:
      "estimate: the provider waits for the connection to leave `pending`; AWS's guide says it " +
      "takes several minutes (no typical figure published)",
  },
  "gcp:compute/haVpnGateway:HaVpnGateway": quick(0.2),
  "gcp:compute/externalVpnGateway:ExternalVpnGateway": quick(),
  "gcp:compute/vPNGateway:VPNGateway": quick(0.2),
  "gcp:compute/vPNTunnel:VPNTunnel": quick(
    0.3,
    "estimate: the create operation returns once the tunnel exists; IKE and BGP come up afterwards",
  ),
  "gcp:compute/routerInterface:RouterInterface": quick(),
  "gcp:compute/routerPeer:RouterPeer": quick(),
  "gcp:compute/forwardingRule:ForwardingRule": quick(0.3),
  "pulumi-nodejs:dynamic/sakuracloud:VpcRouter": {
    minutes: 4,
    source:
      "estimate: an appliance is created, boots and takes its settings; the provider waits for it " +
      "to be up, a few minutes (no published figure found)",
  },

  // Alerts.
  "aws:cloudwatch/metricAlarm:MetricAlarm": quick(),
  "aws:sns/topic:Topic": quick(),
  "aws:sns/topicPolicy:TopicPolicy": quick(),
  "aws:sns/topicSubscription:TopicSubscription": quick(),
  "aws:rds/eventSubscription:EventSubscription": quick(
    0.5,
    "estimate: the provider waits for the subscription to be active, under a minute",
  ),
  "gcp:monitoring/alertPolicy:AlertPolicy": quick(),
  "gcp:monitoring/notificationChannel:NotificationChannel": quick(),
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": quick(),
  "gcp:monitoring/metricDescriptor:MetricDescriptor": quick(),
  "gcp:logging/metric:Metric": quick(),

  // AWS networking.
  "aws:ec2/vpc:Vpc": quick(0.2),
  "aws:ec2/subnet:Subnet": quick(0.2),
  "aws:ec2/subnetCidrReservation:SubnetCidrReservation": quick(),
  "aws:ec2/internetGateway:InternetGateway": quick(0.2),
  "aws:ec2/eip:Eip": quick(),
  "aws:ec2/natGateway:NatGateway": {
    minutes: 3,
    source:
      "https://github.com/kubernetes/kops/pull/944 (NAT gateway pending -> available takes up to " +
      "5 minutes, sometimes longer); 2-5 minutes is the usual range",
  },
  "aws:ec2/routeTable:RouteTable": quick(),
  "aws:ec2/route:Route": quick(),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": quick(),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": quick(),
  "aws:ec2/securityGroup:SecurityGroup": quick(),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": quick(),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": quick(),
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    minutes: (resource) => (resource.inputs.vpcEndpointType === "Interface" ? 2 : 0.2),
    source:
      "estimate: an interface endpoint creates network interfaces in each subnet and stays " +
      "pending for a minute or two; a gateway endpoint only edits route tables",
  },
  "aws:cloudwatch/logGroup:LogGroup": quick(),
  "aws:ec2/flowLog:FlowLog": quick(),

  // AWS compute.
  "aws:ec2/launchTemplate:LaunchTemplate": quick(),
  "aws:ec2/instance:Instance": {
    minutes: 1,
    source: "estimate: the provider waits for state running, typically 30-60 s after RunInstances",
  },
  "aws:autoscaling/group:Group": {
    minutes: 3,
    source:
      "estimate: the provider waits until min_size instances are InService (launch, boot, " +
      "health check grace), a few minutes",
  },
  "aws:ebs/volume:Volume": quick(0.2),
  "aws:ec2/volumeAttachment:VolumeAttachment": quick(0.3, "estimate: attaching takes 10-20 s"),
  "aws:iam/role:Role": quick(),
  "aws:iam/rolePolicy:RolePolicy": quick(),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": quick(),
  "aws:iam/instanceProfile:InstanceProfile": quick(
    0.2,
    "estimate: the provider waits ~10 s for IAM propagation",
  ),
  "aws:iam/user:User": quick(),
  "aws:iam/userPolicy:UserPolicy": quick(),
  "aws:iam/accessKey:AccessKey": quick(),
  "aws:kms/key:Key": quick(),
  "aws:kms/alias:Alias": quick(),
  "aws:secretsmanager/secret:Secret": quick(),
  "aws:secretsmanager/secretVersion:SecretVersion": quick(),

  // AWS database.
  "aws:rds/parameterGroup:ParameterGroup": quick(),
  "aws:rds/subnetGroup:SubnetGroup": quick(),
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
    minutes: 10,
    source:
      "estimate: the provider waits until the backup region reports `replicating` (its create " +
      "timeout is 75 minutes; hashicorp/terraform-provider-aws#25776 and #32597 show it passing " +
      "through `pending` first); no published typical duration was found",
  },
  "aws:rds/instance:Instance": {
    minutes: (resource) => (resource.inputs.multiAz === true ? 20 : 7.5),
    source:
      "https://github.com/hashicorp/terraform/issues/498 (creation up to 5-10 minutes single-AZ, " +
      "15-20 minutes Multi-AZ: the instance is created single-AZ, then converted) and " +
      "https://github.com/hashicorp/terraform-provider-aws/issues/43322 (a Multi-AZ MySQL " +
      "instance: 'Creation complete after 36m13s'); the midpoint for single-AZ, the top of the " +
      "usual range for Multi-AZ",
  },

  // AWS front.
  "aws:lb/loadBalancer:LoadBalancer": {
    minutes: 3,
    source:
      "https://github.com/hashicorp/terraform/issues/24799 (an ALB usually takes no more than 5 " +
      "minutes to become active) and https://github.com/kubernetes/kubernetes/issues/44695 " +
      "(over 2 minutes is normal)",
  },
  "aws:lb/targetGroup:TargetGroup": quick(),
  "aws:lb/listener:Listener": quick(),
  "aws:acm/certificate:Certificate": quick(
    0.1,
    "estimate: RequestCertificate returns at once; issuance is awaited by CertificateValidation",
  ),
  "aws:acm/certificateValidation:CertificateValidation": {
    minutes: 5,
    source:
      "estimate: ACM issues a DNS-validated certificate a few minutes after the CNAME resolves " +
      "(no published typical figure was found; ~5 minutes is commonly observed)",
  },
  "aws:s3/bucket:Bucket": quick(),
  "aws:s3/bucketObjectv2:BucketObjectv2": quick(0.1, "estimate: one upload of a build, seconds"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": quick(),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": quick(),
  "aws:s3/bucketPolicy:BucketPolicy": quick(),
  "aws:s3/bucketVersioning:BucketVersioning": quick(),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": quick(),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": quick(),

  // Route 53 (public zones of every region).
  "aws:route53/zone:Zone": { minutes: 1, source: R53_SYNC },
  "aws:route53/record:Record": { minutes: 1, source: R53_SYNC },
  "aws:route53/healthCheck:HealthCheck": quick(),

  // GCP project and identity.
  "gcp:projects/service:Service": {
    minutes: 0.2,
    source:
      "https://github.com/hashicorp/terraform-provider-google/issues/7814 (enablings seen at " +
      "4-22 s; midpoint used) and #722 (enabling compute.googleapis.com sometimes outran the " +
      "provider's then 1-minute wait); the wait for the enabled API to take calls is the " +
      "GoogleApiWait below",
  },
  "pulumi-nodejs:dynamic/multicloud:GoogleApiWait": {
    minutes: (resource) => {
      if (resource.inputs.enabledBefore === true) return 0;
      return typeof resource.inputs.seconds === "number" ? resource.inputs.seconds / 60 : 1;
    },
    source:
      "its own inputs: it waits googleApiWaitSeconds after enabling an API that was off, and not " +
      "at all for one already on (components/gcp/api-wait.ts says why: an enabled API can refuse " +
      "calls for a while, terraform-provider-google#3151, #2129, #21953)",
  },
  "gcp:projects/iAMMember:IAMMember": quick(
    0.2,
    "estimate: read-modify-write of the project's IAM policy, ~10 s, under the project's IAM " +
      "lock (see lockOf below)",
  ),
  "gcp:projects/iAMCustomRole:IAMCustomRole": quick(),
  "gcp:serviceaccount/account:Account": quick(0.2),
  "gcp:secretmanager/secret:Secret": quick(),
  "gcp:secretmanager/secretVersion:SecretVersion": quick(),
  "gcp:secretmanager/secretIamMember:SecretIamMember": quick(),
  "gcp:storage/bucket:Bucket": quick(),
  "gcp:storage/bucketObject:BucketObject": quick(0.1, "estimate: one upload of a build, seconds"),
  "gcp:storage/bucketIAMMember:BucketIAMMember": quick(),
  "gcp:artifactregistry/repository:Repository": quick(0.3),
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": quick(),
  "gcp:binaryauthorization/policy:Policy": quick(),

  // GCP networking.
  "gcp:compute/network:Network": {
    minutes: 0.5,
    source:
      "https://github.com/turbot/steampipe-plugin-gcp/pull/214 and " +
      "https://github.com/opea-project/GenAIInfra/pull/977 (terraform logs: a VPC network " +
      "created in 22-58 s)",
  },
  "gcp:compute/subnetwork:Subnetwork": quick(0.3, "estimate: a regional operation of 10-20 s"),
  "gcp:compute/router:Router": quick(0.3, "estimate: a regional operation of 10-20 s"),
  "gcp:compute/routerNat:RouterNat": quick(0.5, "estimate: updates the router, ~30 s"),
  "gcp:compute/address:Address": quick(),
  "gcp:compute/globalAddress:GlobalAddress": quick(0.2),
  "gcp:compute/firewall:Firewall": quick(0.2),
  "gcp:compute/route:Route": quick(0.2),
  "gcp:dns/managedZone:ManagedZone": quick(0.2),
  "gcp:dns/recordSet:RecordSet": quick(),

  // GCP compute.
  "gcp:compute/instance:Instance": {
    minutes: 1,
    source: "estimate: the insert operation finishes when the VM is RUNNING, under a minute",
  },
  "gcp:compute/instanceTemplate:InstanceTemplate": quick(0.2),
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": quick(
    0.5,
    "estimate: waitForInstances is off, so create returns once the group exists",
  ),
  "gcp:compute/disk:Disk": quick(0.2),
  "gcp:compute/resourcePolicy:ResourcePolicy": quick(0.2),
  "gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment": quick(0.2),

  // GCP load balancing and certificates.
  "gcp:compute/healthCheck:HealthCheck": quick(0.2),
  "gcp:compute/backendService:BackendService": quick(0.5, "estimate: a global operation, ~30 s"),
  "gcp:compute/uRLMap:URLMap": quick(0.2),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": quick(0.2),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": quick(0.2),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": quick(
    0.5,
    "estimate: a global operation, ~30 s",
  ),
  "gcp:compute/securityPolicy:SecurityPolicy": quick(0.3),
  "gcp:compute/sSLPolicy:SSLPolicy": quick(0.2),
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": quick(0.2),
  "gcp:certificatemanager/certificate:Certificate": quick(
    0.2,
    "estimate: create returns when the resource exists; issuance goes on afterwards (up to 60 " +
      "minutes per https://docs.cloud.google.com/certificate-manager/docs/troubleshooting) and " +
      "nothing in the deploy waits for it",
  ),
  "gcp:certificatemanager/certificateMap:CertificateMap": quick(0.2),
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": quick(0.2),

  // GKE.
  "gcp:container/cluster:Cluster": {
    minutes: (resource) => (isZone(resource.inputs.location) ? 6 : 12),
    source:
      "https://github.com/hashicorp/terraform-provider-google/issues/1744 (creating a regional " +
      "cluster 'typically takes between 9-15m', much longer than a zonal one; midpoint used); " +
      "zonal: estimate, about half",
  },
  "gcp:container/nodePool:NodePool": {
    minutes: 4,
    source:
      "estimate: node VMs in each zone boot and register, several minutes " +
      "(https://github.com/hashicorp/terraform-provider-google/issues/13178 shows well over a minute)",
  },
  "kubernetes:core/v1:Namespace": quick(),
  "kubernetes:core/v1:ServiceAccount": quick(),
  "kubernetes:core/v1:ConfigMap": quick(),
  "kubernetes:core/v1:ConfigMapPatch": quick(),
  "kubernetes:core/v1:Service": quick(
    0.1,
    "estimate: ClusterIP services are ready at once (no cloud load balancer)",
  ),
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": quick(),
  "kubernetes:policy/v1:PodDisruptionBudget": quick(),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": quick(),
  "kubernetes:apps/v1:Deployment": {
    minutes: 1.5,
    source:
      "estimate: the provider waits for the rollout to be available: image pull, start, readiness",
  },
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": quick(
    0.1,
    "estimate: a custom resource the provider does not await; GKE programs its load balancer " +
      "afterwards",
  ),
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": quick(),
  "kubernetes:networking.gke.io/v1:GCPBackendPolicy": quick(),
  "kubernetes:networking.gke.io/v1:GCPGatewayPolicy": quick(),
  "kubernetes:networking.gke.io/v1:HealthCheckPolicy": quick(),

  // Sakura Internet (dynamic providers in components/sakura) and SSH commands.
  "pulumi-nodejs:dynamic/sakuracloud:Switch": quick(0.2),
  "pulumi-nodejs:dynamic/sakuracloud:PacketFilter": quick(),
  "pulumi-nodejs:dynamic/sakuracloud:Disk": {
    minutes: 2,
    source:
      "estimate: a disk copied from a public archive stays in migrating state for a minute or " +
      "more (no published figure found)",
  },
  "pulumi-nodejs:dynamic/sakuracloud:Server": {
    minutes: 1.5,
    source:
      "estimate: create, attach the disk, boot and wait for power state up, 1-2 minutes (no " +
      "published figure found)",
  },
  "command:local:Command": quick(
    0.5,
    "estimate: crane pushes one chocon image (tens of MB) to the region's registry",
  ),
  "command:remote:Command": {
    minutes: (resource) => (resource.name.endsWith("-bootstrap") ? 5 : 0.3),
    source:
      "estimate: a bootstrap installs and configures packages over SSH (~5 minutes); other " +
      "commands write a few files (~20 s)",
  },
};

/** A zone (`us-west1-a`) rather than a region (`us-west1`). */
function isZone(location: unknown): boolean {
  return typeof location === "string" && /-[a-z]$/.test(location);
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** Project-level IAM resources: members, bindings, policies and audit configs of a project. */
const PROJECT_IAM = /^gcp:projects\/iAM(Member|Binding|Policy|AuditConfig):/;

/**
 * The locks that serialize creation (see `LockOf` in critical-path.ts). The Google provider takes
 * one lock per project around every read-modify-write of the project's IAM policy
 * (ProjectIamUpdater's mutex key `iam-project-<id>`; a trace of it: "Locking
 * \"iam-project-project-id-here\"" in https://github.com/hashicorp/terraform-provider-google/issues/4276):
 * a project's IAM members are created one at a time, whatever the graph allows.
 */
export function lockOf(resource: PlannedResource): string | undefined {
  if (!resource.custom || !PROJECT_IAM.test(resource.type)) return undefined;
  const project = resource.inputs.project;
  return `iam-project-${typeof project === "string" ? project : "(provider's project)"}`;
}

/** Minutes for a resource; components and providers take none. Throws for a type not in the table. */
export function minutesOf(resource: PlannedResource): number {
  if (!resource.custom || resource.type.startsWith(PROVIDER_PREFIX)) return 0;
  const entry = creationTimes[resource.type];
  if (!entry)
    throw new Error(`no creation time for ${resource.type} (add it to bench/creation-times.ts)`);
  return typeof entry.minutes === "number" ? entry.minutes : entry.minutes(resource);
}

/** Types of the plan that the table lacks (the benchmark refuses to guess). */
export function missingTypes(resources: readonly PlannedResource[]): string[] {
  const missing = new Set<string>();
  for (const resource of resources) {
    if (!resource.custom || resource.type.startsWith(PROVIDER_PREFIX)) continue;
    if (!creationTimes[resource.type]) missing.add(resource.type);
  }
  return [...missing].sort();
}
