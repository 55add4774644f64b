// Per rule: a real resource of a real plan, changed in one property, and what the rule must say
// about it. `allowed` cases are changes a rule must accept (its exceptions).
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import type { StackName } from "../support/stacks";
import type { PlanEditor, Raw } from "./edit";

export interface Case {
  readonly rule: string;
  readonly title: string;
  readonly stack: StackName;
  /** Changes the plan; returns the [name, type?] of the resource the rule must report. */
  readonly change: (plan: PlanEditor) => readonly [string, string?];
  /** The violation message; absent for an allowed change. */
  readonly expected?: RegExp;
}

const WORLD = "0.0.0.0/0";
const GOSSIP_KEY = Buffer.alloc(32, 7).toString("base64");
const TOKEN = "3f1c2b9a-8d7e-4c6b-a5f4-e3d2c1b0a987";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function container(inputs: Raw, index = 0): Raw {
  return inputs.spec.template.spec.containers[index];
}

/** A line appended to EC2 user data: base64 of a gzip stream, as the program sends it. */
const appendGzipBase64 = (value: string, line: string) => {
  const document = gunzipSync(Buffer.from(value, "base64")).toString("utf8");
  return gzipSync(`${document}\n${line}\n`).toString("base64");
};

export const cases: readonly Case[] = [
  // aws-compute
  {
    rule: "aws-imdsv2-required",
    title: "launch template allows IMDSv1",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-app-lt").inputs.metadataOptions.httpTokens = "optional";
      return ["us-aws-fleet-app-lt"];
    },
    expected: /httpTokens is optional/,
  },
  {
    rule: "aws-imdsv2-required",
    title: "instance without metadata options",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-aws-fleet-util-1-instance").inputs.metadataOptions;
      return ["us-aws-fleet-util-1-instance"];
    },
    expected: /httpTokens is not set/,
  },
  {
    rule: "aws-imds-hop-limit-1",
    title: "instance with hop limit 2",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-chocon-1-instance").inputs.metadataOptions.httpPutResponseHopLimit =
        2;
      return ["us-aws-fleet-chocon-1-instance"];
    },
    expected: /httpPutResponseHopLimit is 2/,
  },
  {
    rule: "aws-imds-hop-limit-1",
    title: "launch template with hop limit 3",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-nginx-lt").inputs.metadataOptions.httpPutResponseHopLimit = 3;
      return ["us-aws-fleet-nginx-lt"];
    },
    expected: /httpPutResponseHopLimit is 3/,
  },
  {
    rule: "aws-ebs-encrypted",
    title: "unencrypted data volume",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-mysql-1-data").inputs.encrypted = false;
      return ["us-aws-fleet-mysql-1-data"];
    },
    expected: /^encrypted is not true/,
  },
  {
    rule: "aws-ebs-encrypted",
    title: "unencrypted root disk",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-util-2-instance").inputs.rootBlockDevice.encrypted = false;
      return ["us-aws-fleet-util-2-instance"];
    },
    expected: /rootBlockDevice\.encrypted is not true/,
  },
  {
    rule: "aws-ebs-encrypted",
    title: "launch template disk unencrypted",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-app-lt").inputs.blockDeviceMappings[0].ebs.encrypted = "false";
      return ["us-aws-fleet-app-lt"];
    },
    expected: /blockDeviceMappings\[0\]\.ebs\.encrypted is not true/,
  },
  {
    rule: "aws-no-public-ip-app-data",
    title: "chocon host with a public address",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-chocon-1-instance").inputs.associatePublicIpAddress = true;
      return ["us-aws-fleet-chocon-1-instance"];
    },
    expected: /associatePublicIpAddress is true on a chocon/,
  },
  {
    rule: "aws-no-public-ip-app-data",
    title: "app launch template with a public address",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-app-lt").inputs.networkInterfaces = [
        { deviceIndex: 0, associatePublicIpAddress: "true" },
      ];
      return ["us-aws-fleet-app-lt"];
    },
    expected: /networkInterfaces\[0\]\.associatePublicIpAddress is true on a app/,
  },
  {
    rule: "aws-no-public-ip-app-data",
    title: "private subnet maps public addresses",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-network-private-a").inputs.mapPublicIpOnLaunch = true;
      return ["us-aws-network-private-a"];
    },
    expected: /mapPublicIpOnLaunch is true on a private subnet/,
  },
  {
    rule: "aws-no-public-ip-app-data",
    title: "allowed: nginx launch template with a public address",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-nginx-lt").inputs.networkInterfaces = [
        { deviceIndex: 0, associatePublicIpAddress: "true" },
      ];
      return ["us-aws-fleet-nginx-lt"];
    },
  },
  {
    rule: "aws-no-public-ip-app-data",
    title: "allowed: public subnet maps public addresses",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-network-public-a").inputs.mapPublicIpOnLaunch = true;
      return ["us-aws-network-public-a"];
    },
  },
  // aws-rds
  ...(
    [
      ["aws-rds-storage-encrypted", "storageEncrypted", false, /storageEncrypted is not true/],
      ["aws-rds-multi-az", "multiAz", false, /multiAz is not true/],
      ["aws-rds-deletion-protection", "deletionProtection", false, /deletionProtection is not/],
      ["aws-rds-backup-retention", "backupRetentionPeriod", 3, /backupRetentionPeriod is 3/],
      ["aws-rds-not-public", "publiclyAccessible", true, /publiclyAccessible is true/],
      ["aws-rds-final-snapshot", "skipFinalSnapshot", true, /skipFinalSnapshot is true/],
      ["aws-rds-final-snapshot", "finalSnapshotIdentifier", undefined, /not set/],
    ] as const
  ).map(
    ([rule, key, value, expected]): Case => ({
      rule,
      title: `RDS with ${key} ${String(value)}`,
      stack: "us",
      change: (plan) => {
        plan.edit("us-aws-db-notifications-instance").inputs[key] = value;
        return ["us-aws-db-notifications-instance"];
      },
      expected,
    }),
  ),
  // aws-network
  {
    rule: "aws-no-world-ingress",
    title: "app port open to the internet",
    stack: "us",
    change: (plan) => {
      const rule = plan.edit("us-aws-sg-app-in-tcp8080-nginx").inputs;
      delete rule.referencedSecurityGroupId;
      rule.cidrIpv4 = WORLD;
      return ["us-aws-sg-app-in-tcp8080-nginx"];
    },
    expected: /admits the whole internet on tcp ports 8080-8080 to a security group that is not/,
  },
  {
    rule: "aws-no-world-ingress",
    title: "MySQL open to the IPv6 internet",
    stack: "us",
    change: (plan) => {
      const rule = plan.edit("us-aws-sg-mysql-in-tcp3306-app").inputs;
      delete rule.referencedSecurityGroupId;
      rule.cidrIpv6 = "::/0";
      return ["us-aws-sg-mysql-in-tcp3306-app"];
    },
    expected: /admits the whole internet on tcp ports 3306-3306/,
  },
  {
    rule: "aws-no-world-ingress",
    title: "SSH on the front's security group",
    stack: "us",
    change: (plan) => {
      const rule = plan.edit("us-aws-sg-alb-in-tcp443-internet").inputs;
      rule.fromPort = 22;
      rule.toPort = 22;
      return ["us-aws-sg-alb-in-tcp443-internet"];
    },
    expected: /admits the whole internet on tcp ports 22-22$/,
  },
  {
    rule: "aws-no-world-ingress",
    title: "inline ingress block on the util group",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-sg-util").inputs.ingress = [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [WORLD] },
      ];
      return ["us-aws-sg-util"];
    },
    expected: /ingress\[0\] admits the whole internet/,
  },
  {
    rule: "aws-no-world-ingress",
    title: "the front's group attached to an app host is no longer the front's",
    stack: "us",
    change: (plan) => {
      const alb = plan.find("us-aws-sg-alb");
      const template = plan.edit("us-aws-fleet-app-lt") as unknown as { dependencies: string[] };
      template.dependencies = [...template.dependencies, alb.urn];
      return ["us-aws-sg-alb-in-tcp443-internet"];
    },
    expected: /not the front's/,
  },
  {
    rule: "aws-vpc-flow-logs",
    title: "VPC without its flow log",
    stack: "us",
    change: (plan) => {
      plan.remove("us-aws-network-flow-logs-vpc");
      return ["us-aws-network-vpc"];
    },
    expected: /no flow log/,
  },
  {
    rule: "aws-default-security-group-closed",
    title: "default security group with a rule",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-network-default-sg").inputs.ingress = [
        { protocol: "-1", fromPort: 0, toPort: 0, self: true },
      ];
      return ["us-aws-network-default-sg"];
    },
    expected: /has 1 ingress rule/,
  },
  {
    rule: "aws-default-security-group-closed",
    title: "default security group left unmanaged",
    stack: "us",
    change: (plan) => {
      plan.remove("us-aws-network-default-sg");
      return ["us-aws-network-vpc"];
    },
    expected: /not managed/,
  },
  // storage
  {
    rule: "aws-s3-public-access-blocked",
    title: "backup bucket without its public access block",
    stack: "us",
    change: (plan) => {
      plan.remove("us-aws-offsite-public-access");
      return ["us-aws-offsite-bucket"];
    },
    expected: /no public access block/,
  },
  {
    rule: "aws-s3-public-access-blocked",
    title: "access log bucket whose block allows public policies",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-front-logs-public-access").inputs.blockPublicPolicy = false;
      return ["us-aws-front-logs-bucket"];
    },
    expected: /leaves blockPublicPolicy off/,
  },
  {
    rule: "gcp-storage-private",
    title: "backup bucket with object ACLs and no public access prevention",
    stack: "uk",
    change: (plan) => {
      const bucket = plan.edit("uk-gcp-offsite-bucket").inputs;
      bucket.uniformBucketLevelAccess = false;
      bucket.publicAccessPrevention = "inherited";
      return ["uk-gcp-offsite-bucket"];
    },
    expected: /publicAccessPrevention is inherited/,
  },
  // gcp-compute
  {
    rule: "gcp-shielded-vm",
    title: "host without Secure Boot",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-hosts-util-1").inputs.shieldedInstanceConfig.enableSecureBoot = false;
      return ["uk-gcp-hosts-util-1"];
    },
    expected: /enableSecureBoot is not true/,
  },
  {
    rule: "gcp-shielded-vm",
    title: "template without vTPM",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-app-template").inputs.shieldedInstanceConfig.enableVtpm = false;
      return ["uk-gcp-app-template"];
    },
    expected: /enableVtpm is false/,
  },
  {
    rule: "gcp-no-external-ip",
    title: "host with an external address",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-hosts-chocon-1").inputs.networkInterfaces[0].accessConfigs = [
        { networkTier: "PREMIUM" },
      ];
      return ["uk-gcp-hosts-chocon-1"];
    },
    expected: /networkInterfaces\[0\]\.accessConfigs/,
  },
  {
    rule: "gcp-no-external-ip",
    title: "template with an external IPv6 address",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-nginx-template").inputs.networkInterfaces[0].ipv6AccessConfigs = [
        { networkTier: "PREMIUM" },
      ];
      return ["uk-gcp-nginx-template"];
    },
    expected: /ipv6AccessConfigs/,
  },
  {
    rule: "gcp-no-default-service-account",
    title: "host as the default compute account",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-hosts-mysql-1").inputs.serviceAccount.email =
        "123456789012-compute@developer.gserviceaccount.com";
      return ["uk-gcp-hosts-mysql-1"];
    },
    expected: /serviceAccount\.email is 123456789012-compute@/,
  },
  {
    rule: "gcp-no-default-service-account",
    title: "node pool without a service account",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-gke-cluster-general").inputs.nodeConfig.serviceAccount;
      return ["us-gke-cluster-general"];
    },
    expected: /nodeConfig\.serviceAccount is not set/,
  },
  {
    rule: "gcp-no-default-service-account",
    title: "cluster nodes as 'default'",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-cluster-cluster").inputs.nodeConfig.serviceAccount = "default";
      return ["jp-gke-cluster-cluster"];
    },
    expected: /nodeConfig\.serviceAccount is default/,
  },
  {
    rule: "gcp-os-login",
    title: "template with OS Login off",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-nginx-template").inputs.metadata["enable-oslogin"] = "FALSE";
      return ["uk-gcp-nginx-template"];
    },
    expected: /enable-oslogin/,
  },
  {
    rule: "gcp-block-project-ssh-keys",
    title: "host accepting project-wide keys",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-hosts-memcached-1").inputs.metadata["block-project-ssh-keys"];
      return ["uk-gcp-hosts-memcached-1"];
    },
    expected: /block-project-ssh-keys/,
  },
  {
    rule: "gcp-serial-port-disabled",
    title: "host with the serial console on",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-hosts-util-2").inputs.metadata["serial-port-enable"] = "TRUE";
      return ["uk-gcp-hosts-util-2"];
    },
    expected: /serial-port-enable/,
  },
  // gcp-network
  {
    rule: "gcp-firewall-no-world-allow",
    title: "nginx open to the internet",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-firewall-lb-to-nginx").inputs.sourceRanges = [WORLD];
      return ["uk-gcp-firewall-lb-to-nginx"];
    },
    expected: /sourceRanges 0\.0\.0\.0\/0/,
  },
  {
    rule: "gcp-firewall-no-world-allow",
    title: "allow rule without any source",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-firewall-nginx-to-app").inputs.sourceServiceAccounts;
      return ["uk-gcp-firewall-nginx-to-app"];
    },
    expected: /names no source at all/,
  },
  {
    rule: "gcp-subnet-flow-logs",
    title: "host subnet without flow logs",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-network-hosts").inputs.logConfig;
      return ["uk-gcp-network-hosts"];
    },
    expected: /logConfig is not set/,
  },
  {
    rule: "gcp-subnet-flow-logs",
    title: "node subnet sampling nothing",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-cluster-nodes").inputs.logConfig.flowSampling = 0;
      return ["us-gke-cluster-nodes"];
    },
    expected: /flowSampling is 0/,
  },
  {
    rule: "gcp-ssl-policy-modern-tls",
    title: "COMPATIBLE profile",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-lb-tls-policy").inputs.profile = "COMPATIBLE";
      return ["uk-gcp-lb-tls-policy"];
    },
    expected: /profile is COMPATIBLE/,
  },
  {
    rule: "gcp-ssl-policy-modern-tls",
    title: "TLS 1.0 on the gateway's policy",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-edge-tls").inputs.minTlsVersion = "TLS_1_0";
      return ["us-gke-edge-tls"];
    },
    expected: /minTlsVersion is TLS_1_0/,
  },
  {
    rule: "gcp-https-ssl-policy",
    title: "HTTPS proxy without an SSL policy",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-lb-https").inputs.sslPolicy;
      return ["uk-gcp-lb-https"];
    },
    expected: /sslPolicy is not set/,
  },
  {
    rule: "gcp-https-ssl-policy",
    title: "GKE Gateway without an SSL policy",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-gke-gateway-tls-policy").inputs.spec.default.sslPolicy;
      return ["us-gke-gateway-gateway"];
    },
    expected: /no GCPGatewayPolicy sets an sslPolicy/,
  },
  {
    rule: "gcp-cloud-armor-public-backends",
    title: "load balancer backend without Cloud Armor",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-lb-backend").inputs.securityPolicy;
      return ["uk-gcp-lb-backend"];
    },
    expected: /no Cloud Armor securityPolicy/,
  },
  // gke
  {
    rule: "gke-private-nodes",
    title: "nodes with public addresses",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-cluster-cluster").inputs.privateClusterConfig.enablePrivateNodes = false;
      return ["us-gke-cluster-cluster"];
    },
    expected: /enablePrivateNodes is not true/,
  },
  {
    rule: "gke-control-plane-restricted",
    title: "control plane open to the internet",
    stack: "jp",
    change: (plan) => {
      plan
        .edit("jp-gke-cluster-cluster")
        .inputs.masterAuthorizedNetworksConfig.cidrBlocks.push({ cidrBlock: WORLD });
      return ["jp-gke-cluster-cluster"];
    },
    expected: /cidrBlocks\[2\] is 0\.0\.0\.0\/0: too wide/,
  },
  {
    rule: "gke-control-plane-restricted",
    title: "control plane open to all of Google Cloud",
    stack: "us",
    change: (plan) => {
      plan.edit(
        "us-gke-cluster-cluster",
      ).inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled = true;
      return ["us-gke-cluster-cluster"];
    },
    expected: /gcpPublicCidrsAccessEnabled is true/,
  },
  {
    rule: "gke-control-plane-restricted",
    title: "no authorized networks at all",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-gke-cluster-cluster").inputs.masterAuthorizedNetworksConfig;
      return ["us-gke-cluster-cluster"];
    },
    expected: /masterAuthorizedNetworksConfig is not set/,
  },
  {
    rule: "gke-workload-identity",
    title: "cluster without Workload Identity",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-gke-cluster-cluster").inputs.workloadIdentityConfig;
      return ["us-gke-cluster-cluster"];
    },
    expected: /workloadPool is not set/,
  },
  {
    rule: "gke-workload-identity",
    title: "node pool exposing the node's metadata",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-cluster-general").inputs.nodeConfig.workloadMetadataConfig.mode =
        "GCE_METADATA";
      return ["jp-gke-cluster-general"];
    },
    expected: /mode is GCE_METADATA/,
  },
  {
    rule: "gke-network-policy",
    title: "legacy datapath without the add-on",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-cluster-cluster").inputs.datapathProvider = "LEGACY_DATAPATH";
      return ["us-gke-cluster-cluster"];
    },
    expected: /NetworkPolicies are ignored/,
  },
  {
    rule: "gke-release-channel",
    title: "no release channel",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-cluster-cluster").inputs.releaseChannel.channel = "UNSPECIFIED";
      return ["us-gke-cluster-cluster"];
    },
    expected: /channel is UNSPECIFIED/,
  },
  {
    rule: "gke-shielded-nodes",
    title: "node pool without Secure Boot",
    stack: "us",
    change: (plan) => {
      plan.edit(
        "us-gke-cluster-general",
      ).inputs.nodeConfig.shieldedInstanceConfig.enableSecureBoot = false;
      return ["us-gke-cluster-general"];
    },
    expected: /enableSecureBoot is not true/,
  },
  {
    rule: "gke-shielded-nodes",
    title: "cluster without shielded nodes",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-cluster-cluster").inputs.enableShieldedNodes = false;
      return ["jp-gke-cluster-cluster"];
    },
    expected: /enableShieldedNodes is false/,
  },
  {
    rule: "gke-node-auto-repair-upgrade",
    title: "node pool without auto-upgrade",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-cluster-general").inputs.management.autoUpgrade = false;
      return ["us-gke-cluster-general"];
    },
    expected: /management\.autoUpgrade is not true/,
  },
  {
    rule: "gke-no-client-certificate",
    title: "client certificate issued",
    stack: "us",
    change: (plan) => {
      plan.edit(
        "us-gke-cluster-cluster",
      ).inputs.masterAuth.clientCertificateConfig.issueClientCertificate = true;
      return ["us-gke-cluster-cluster"];
    },
    expected: /issueClientCertificate is true/,
  },
  {
    rule: "gke-no-legacy-abac",
    title: "legacy ABAC on",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-cluster-cluster").inputs.enableLegacyAbac = true;
      return ["jp-gke-cluster-cluster"];
    },
    expected: /enableLegacyAbac is true/,
  },
  // kubernetes
  {
    rule: "k8s-run-as-non-root",
    title: "container allowed to run as root",
    stack: "us",
    change: (plan) => {
      container(plan.edit("us-gke-gateway-deployment").inputs).securityContext.runAsNonRoot = false;
      return ["us-gke-gateway-deployment"];
    },
    expected: /containers\[0\] \(api-gateway\): runAsNonRoot is not true/,
  },
  {
    rule: "k8s-run-as-non-root",
    title: "pod running as user 0",
    stack: "jp",
    change: (plan) => {
      const inputs = plan.edit("jp-gke-chocon-deployment", DEPLOYMENT).inputs;
      delete container(inputs).securityContext.runAsUser;
      inputs.spec.template.spec.securityContext.runAsUser = 0;
      return ["jp-gke-chocon-deployment", DEPLOYMENT];
    },
    expected: /runAsUser is 0/,
  },
  {
    rule: "k8s-no-privilege-escalation",
    title: "privilege escalation allowed",
    stack: "us",
    change: (plan) => {
      container(
        plan.edit("us-gke-chocon-deployment").inputs,
      ).securityContext.allowPrivilegeEscalation = true;
      return ["us-gke-chocon-deployment"];
    },
    expected: /allowPrivilegeEscalation is not false/,
  },
  {
    rule: "k8s-no-privilege-escalation",
    title: "privileged container",
    stack: "jp",
    change: (plan) => {
      container(plan.edit("jp-gke-gateway-deployment").inputs).securityContext.privileged = true;
      return ["jp-gke-gateway-deployment"];
    },
    expected: /privileged is true/,
  },
  {
    rule: "k8s-read-only-root-filesystem",
    title: "writable root filesystem",
    stack: "us",
    change: (plan) => {
      container(
        plan.edit("us-gke-gateway-deployment").inputs,
      ).securityContext.readOnlyRootFilesystem = false;
      return ["us-gke-gateway-deployment"];
    },
    expected: /readOnlyRootFilesystem is not true/,
  },
  {
    rule: "k8s-resources-set",
    title: "container without limits",
    stack: "jp",
    change: (plan) => {
      delete container(plan.edit("jp-gke-gateway-deployment").inputs).resources.limits;
      return ["jp-gke-gateway-deployment"];
    },
    expected: /resources limits\.cpu, limits\.memory not set/,
  },
  {
    rule: "k8s-default-deny-network-policy",
    title: "namespace without its default-deny policy",
    stack: "us",
    change: (plan) => {
      plan.remove("us-gke-gateway-ns-deny-all");
      return ["us-gke-gateway-ns", NAMESPACE];
    },
    expected: /namespace gateway has no default-deny NetworkPolicy for Ingress and Egress/,
  },
  {
    rule: "k8s-default-deny-network-policy",
    title: "default-deny policy for ingress only",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-chocon-ns-deny-all").inputs.spec.policyTypes = ["Ingress"];
      return ["jp-gke-chocon-ns", NAMESPACE];
    },
    expected: /namespace chocon has no default-deny NetworkPolicy for Egress$/,
  },
  {
    rule: "k8s-default-deny-network-policy",
    title: "default-deny policy selecting some pods only",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-chocon-ns-deny-all").inputs.spec.podSelector = {
        matchLabels: { app: "x" },
      };
      return ["us-gke-chocon-ns", NAMESPACE];
    },
    expected: /namespace chocon has no default-deny/,
  },
  // protection
  ...(
    [
      ["us", "us-aws-db-accounts-instance", undefined],
      ["us", "us-aws-fleet-mysql-1-data", undefined],
      ["us", "us-aws-fleet-util-1-instance", undefined],
      ["us", "us-public-zone", undefined],
      ["uk", "uk-gcp-hosts-mysql-1-data", undefined],
      ["uk", "uk-gcp-hosts-util-3", undefined],
      ["us", "us-gke-cluster-cluster", undefined],
      ["jp", "jp-sakura-util-1", undefined],
      ["jp", "jp-sakura-util-2-disk", undefined],
      ["jp", "jp-consul-gossip-key", undefined],
      ["uk", "uk-consul-util-token", "random:index/randomUuid:RandomUuid"],
      ["jp", "jp-mysql-replication-password", "random:index/randomPassword:RandomPassword"],
    ] as const
  ).map(
    ([stack, name, type]): Case => ({
      rule: "stateful-resources-protected",
      title: `${name} unprotected`,
      stack,
      change: (plan) => {
        plan.edit(name, type).protect = false;
        return [name, type];
      },
      expected: /without `protect: true`/,
    }),
  ),
  {
    rule: "stateful-resources-protected",
    title: "Consul server without its role tag is still known by name",
    stack: "us",
    change: (plan) => {
      const host = plan.edit("us-aws-fleet-util-2-instance");
      delete host.inputs.tags.role;
      host.protect = false;
      return ["us-aws-fleet-util-2-instance"];
    },
    expected: /without `protect: true`/,
  },
  {
    rule: "stateful-resources-protected",
    title: "public managed zone unprotected",
    stack: "uk",
    change: (plan) => {
      const zone = plan.edit("uk-gcp-internal-zone-zone");
      zone.inputs.visibility = "public";
      delete zone.inputs.privateVisibilityConfig;
      zone.protect = false;
      return ["uk-gcp-internal-zone-zone"];
    },
    expected: /without `protect: true`/,
  },
  {
    rule: "stateful-resources-protected",
    title: "allowed: stateless host unprotected",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-memcached-1-instance").protect = false;
      return ["us-aws-fleet-memcached-1-instance"];
    },
  },
  {
    rule: "stateful-resources-protected",
    title: "allowed: private hosted zone unprotected",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-internal-zone").protect = false;
      return ["us-aws-internal-zone"];
    },
  },
  {
    rule: "stateful-deletion-protection",
    title: "Consul server without termination protection",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-util-3-instance").inputs.disableApiTermination = false;
      return ["us-aws-fleet-util-3-instance"];
    },
    expected: /disableApiTermination is not true/,
  },
  {
    rule: "stateful-deletion-protection",
    title: "MySQL host without deletion protection",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-hosts-mysql-2").inputs.deletionProtection = false;
      return ["uk-gcp-hosts-mysql-2"];
    },
    expected: /deletionProtection is not true/,
  },
  {
    rule: "stateful-deletion-protection",
    title: "cluster without deletion protection",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-gke-cluster-cluster").inputs.deletionProtection = false;
      return ["jp-gke-cluster-cluster"];
    },
    expected: /deletionProtection is false/,
  },
  {
    rule: "stateful-deletion-protection",
    title: "Consul server on Sakura deleting its disks",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-util-3").inputs.deleteDisksOnDelete = true;
      return ["jp-sakura-util-3"];
    },
    expected: /deleteDisksOnDelete is true/,
  },
  {
    rule: "stateful-final-snapshot",
    title: "EBS volume without a final snapshot",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-mysql-2-data").inputs.finalSnapshot = false;
      return ["us-aws-fleet-mysql-2-data"];
    },
    expected: /finalSnapshot is not true/,
  },
  {
    rule: "stateful-final-snapshot",
    title: "GCE disk without a snapshot before destroy",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-hosts-mysql-2-data").inputs.createSnapshotBeforeDestroy;
      return ["uk-gcp-hosts-mysql-2-data"];
    },
    expected: /createSnapshotBeforeDestroy is not true/,
  },
  {
    rule: "keys-of-protected-data-protected",
    title: "volume key unprotected",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-fleet-volumes-key-key").protect = false;
      return ["us-aws-fleet-volumes-key-key"];
    },
    expected: /encrypts protected .* but is not protected/,
  },
  // secrets
  {
    rule: "no-secrets-in-user-data",
    title: "private key in an instance's gzip user data",
    stack: "us",
    change: (plan) => {
      const inputs = plan.edit("us-aws-fleet-util-1-instance").inputs;
      inputs.userDataBase64 = appendGzipBase64(
        inputs.userDataBase64,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
      );
      return ["us-aws-fleet-util-1-instance"];
    },
    expected: /userDataBase64 holds a private key/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "gossip key in a launch template's gzip user data",
    stack: "us",
    change: (plan) => {
      const inputs = plan.edit("us-aws-fleet-app-lt").inputs;
      inputs.userData = appendGzipBase64(inputs.userData, `  "encrypt": "${GOSSIP_KEY}",`);
      return ["us-aws-fleet-app-lt"];
    },
    expected: /userData holds a Consul gossip encryption key/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "role token filled into a GCE host's user data",
    stack: "uk",
    change: (plan) => {
      const metadata = plan.edit("uk-gcp-hosts-util-1").inputs.metadata;
      const before = metadata["user-data"] as string;
      metadata["user-data"] = before.replaceAll("@@CONSUL_ROLE_TOKEN@@", TOKEN);
      if (metadata["user-data"] === before) throw new Error("no role token placeholder to fill");
      return ["uk-gcp-hosts-util-1"];
    },
    expected: /metadata\["user-data"\] holds a Consul ACL token/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "AWS access key in a Sakura server's cloud-init",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-util-1").inputs.cloudInitUserData += "\nAKIAZ7Q3K9L2M4N6P8R1\n";
      return ["jp-sakura-util-1"];
    },
    expected: /cloudInitUserData holds an AWS access key id/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "AWS secret key in a dedicated server's bootstrap script",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-db01-bootstrap").inputs.stdin +=
        "\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8hT3vW1d\n";
      return ["jp-sakura-db01-bootstrap"];
    },
    expected: /stdin holds an AWS secret access key/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "token in a ConfigMap",
    stack: "us",
    change: (plan) => {
      const data = plan.edit("us-gke-gateway-routes").inputs.data;
      data["routes.json"] = `{"token": "${TOKEN}"}`;
      return ["us-gke-gateway-routes"];
    },
    expected: /data\["routes\.json"\] holds a Consul ACL token/,
  },
  {
    rule: "no-secrets-in-user-data",
    title: "allowed: the secrets push sends its values as stdin data",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-util-1-secrets").inputs.stdin = `consul-token-util ${TOKEN}\n`;
      return ["jp-sakura-util-1-secrets"];
    },
  },
  // sakura
  {
    rule: "sakura-no-world-admin-ports",
    title: "SSH from any source",
    stack: "jp",
    change: (plan) => {
      delete plan.edit("jp-sakura-hosts-filter").inputs.expressions[0].sourceNetwork;
      return ["jp-sakura-hosts-filter"];
    },
    expected: /^expressions\[0\] \(SSH from admin\) lets SSH \(tcp\/22\) in from anywhere$/,
  },
  {
    rule: "sakura-no-world-admin-ports",
    title: "SSH from 0.0.0.0/0 on the front",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-front-filter").inputs.expressions[2].sourceNetwork = WORLD;
      return ["jp-sakura-front-filter"];
    },
    expected: /^expressions\[2\] \(SSH from admin\) lets SSH \(tcp\/22\) in from anywhere$/,
  },
  {
    rule: "sakura-no-world-admin-ports",
    title: "everything allowed first",
    stack: "jp",
    change: (plan) => {
      plan
        .edit("jp-sakura-hosts-filter")
        .inputs.expressions.unshift({ protocol: "ip", action: "allow", description: "all" });
      return ["jp-sakura-hosts-filter"];
    },
    expected:
      /^expressions\[0\] \(all\) lets SSH \(tcp\/22\), Telnet \(tcp\/23\), .*MySQL \(tcp\/3306\)/,
  },
  {
    rule: "sakura-no-world-admin-ports",
    title: "no deny at the end, where Sakura lets everything through",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-hosts-filter").inputs.expressions.pop();
      return ["jp-sakura-hosts-filter"];
    },
    expected:
      /^no expression stops SSH \(tcp\/22\), Telnet \(tcp\/23\), .*Consul HTTP API \(tcp\/8500\).* from anywhere, and a packet that no expression matches passes$/,
  },
  {
    rule: "sakura-no-world-admin-ports",
    title: "a final deny that an attacker's source port steps around",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-hosts-filter").inputs.expressions.at(-1).sourcePort = "1";
      return ["jp-sakura-hosts-filter"];
    },
    expected: /^no expression stops SSH \(tcp\/22\), Telnet \(tcp\/23\)/,
  },
  {
    rule: "sakura-no-world-admin-ports",
    title: "allowed: SSH from one more operations host",
    stack: "jp",
    change: (plan) => {
      plan.edit("jp-sakura-hosts-filter").inputs.expressions.unshift({
        protocol: "tcp",
        sourceNetwork: "203.0.113.7",
        destinationPort: "22",
        action: "allow",
      });
      return ["jp-sakura-hosts-filter"];
    },
  },
  // dns
  {
    rule: "no-zone-shadows-served-names",
    title: "AWS internal zone named consul",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-internal-zone").inputs.name = "consul";
      return ["us-aws-internal-zone"];
    },
    expected: /^the private zone consul shadows consul\. \(the Consul agent answers consul\.\)$/,
  },
  {
    rule: "no-zone-shadows-served-names",
    title: "GCP internal zone named after a chocon suffix",
    stack: "uk",
    change: (plan) => {
      plan.edit("uk-gcp-internal-zone-zone").inputs.dnsName = "ccnproxy-https.";
      return ["uk-gcp-internal-zone-zone"];
    },
    expected:
      /^the private zone ccnproxy-https\. shadows ccnproxy-https\. \(chocon answers \*\.ccnproxy-https\)$/,
  },
  {
    rule: "no-zone-shadows-served-names",
    title: "a consul zone even in a cluster's network",
    stack: "us",
    change: (plan) => {
      plan.edit("us-gke-ccnproxy-dns-ccnproxy").inputs.dnsName = "consul.";
      return ["us-gke-ccnproxy-dns-ccnproxy"];
    },
    expected: /^the private zone consul\. shadows consul\./,
  },
  {
    rule: "no-zone-shadows-served-names",
    title: "allowed: a private zone of another name",
    stack: "us",
    change: (plan) => {
      plan.edit("us-aws-internal-zone").inputs.name = "internal";
      return ["us-aws-internal-zone"];
    },
  },
  {
    rule: "no-zone-shadows-served-names",
    title: "Sakura host whose unbound makes consul. its internal zone",
    stack: "jp",
    change: (plan) => {
      const server = plan.edit("jp-sakura-util-1").inputs;
      server.cloudInitUserData = server.cloudInitUserData.replaceAll(
        'local-zone: "local." static',
        'local-zone: "consul." static',
      );
      return ["jp-sakura-util-1"];
    },
    expected:
      /^cloudInitUserData makes consul\. a static local zone of unbound, which shadows it \(the Consul agent answers consul\.\)$/,
  },
  {
    rule: "no-zone-shadows-served-names",
    title: "launch template whose unbound makes a chocon suffix its internal zone",
    stack: "us",
    change: (plan) => {
      // EC2 user data is sent gzip-compressed, in base64.
      const template = plan.edit("us-aws-fleet-nginx-lt").inputs;
      const text = gunzipSync(Buffer.from(template.userData, "base64")).toString("utf8");
      const changed = text.replaceAll(
        'local-zone: "local." transparent',
        'local-zone: "ccnproxy." transparent',
      );
      assert.notEqual(changed, text);
      template.userData = gzipSync(changed).toString("base64");
      return ["us-aws-fleet-nginx-lt"];
    },
    expected: /^userData makes ccnproxy\. a transparent local zone of unbound/,
  },
  // tags
  {
    rule: "required-tags",
    title: "RDS under a provider without defaultTags",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-aws-aws").inputs.defaultTags;
      return ["us-aws-db-accounts-instance"];
    },
    expected: /^tags lacks owner, project, region, managed-by$/,
  },
  {
    rule: "required-tags",
    title: "auto-scaling group without an owner tag (defaultTags do not reach it)",
    stack: "us",
    change: (plan) => {
      const group = plan.edit("us-aws-fleet-app-asg").inputs;
      group.tags = group.tags.filter((tag: Raw) => tag.key !== "owner");
      return ["us-aws-fleet-app-asg"];
    },
    expected: /^tags lacks owner$/,
  },
  {
    rule: "required-tags",
    title: "launch template tagging instances without an owner",
    stack: "us",
    change: (plan) => {
      delete plan.edit("us-aws-fleet-nginx-lt").inputs.tagSpecifications[0].tags.owner;
      return ["us-aws-fleet-nginx-lt"];
    },
    expected: /tagSpecifications\[0\] \(instance\) lacks owner/,
  },
  {
    rule: "required-tags",
    title: "GCE host without labels under a provider without defaultLabels",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-hosts-util-1").inputs.labels.owner;
      delete plan.edit("uk-gcp-gcp").inputs.defaultLabels;
      return ["uk-gcp-hosts-util-1"];
    },
    expected: /^labels lacks owner$/,
  },
  {
    rule: "required-tags",
    title: "allowed: a label the provider's defaultLabels supply",
    stack: "uk",
    change: (plan) => {
      delete plan.edit("uk-gcp-hosts-util-1").inputs.labels.owner;
      return ["uk-gcp-hosts-util-1"];
    },
  },
  {
    rule: "required-tags",
    title: "Sakura server without an owner tag",
    stack: "jp",
    change: (plan) => {
      const server = plan.edit("jp-sakura-nginx-1").inputs;
      server.tags = server.tags.filter((tag: string) => !tag.startsWith("owner="));
      return ["jp-sakura-nginx-1"];
    },
    expected: /^tags lacks owner$/,
  },
];
