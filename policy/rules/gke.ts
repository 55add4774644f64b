// GKE clusters and node pools: the "safer cluster" settings.
import type { Props, ResourceRule } from "./types";
import { at, isFalse, isTrue, isWorld, record, records, text } from "./values";

const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";

/** Prefixes shorter than this open the control plane to a large part of the internet. */
const MIN_AUTHORIZED_PREFIX = 8;

export const gkePrivateNodes: ResourceRule = {
  kind: "resource",
  name: "gke-private-nodes",
  description: "GKE nodes have only internal addresses.",
  remediation:
    "Set privateClusterConfig.enablePrivateNodes: true (with a masterIpv4CidrBlock) and give the nodes Cloud NAT.",
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER],
  validate: (props) =>
    isTrue(at(props, "privateClusterConfig", "enablePrivateNodes")) ||
    isTrue(at(props, "networkConfig", "enablePrivateNodes"))
      ? []
      : ["privateClusterConfig.enablePrivateNodes is not true: nodes get public addresses"],
};

export const gkeRestrictedControlPlane: ResourceRule = {
  kind: "resource",
  name: "gke-control-plane-restricted",
  description:
    "The GKE control plane answers only authorized networks, none of them the whole internet, and not every Google Cloud address.",
  remediation:
    "Set masterAuthorizedNetworksConfig { cidrBlocks: [narrow ranges], gcpPublicCidrsAccessEnabled: false } (the spec's gke.authorizedNetworks).",
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER],
  validate(props) {
    const config = record(props.masterAuthorizedNetworksConfig);
    if (!config)
      return ["masterAuthorizedNetworksConfig is not set: any address may reach the control plane"];
    const problems: string[] = [];
    records(config.cidrBlocks).forEach((block, index) => {
      const cidr = text(block.cidrBlock) ?? "";
      const prefix = Number(cidr.split("/")[1]);
      if (isWorld(cidr) || !(prefix >= MIN_AUTHORIZED_PREFIX))
        problems.push(`masterAuthorizedNetworksConfig.cidrBlocks[${index}] is ${cidr}: too wide`);
    });
    if (isTrue(config.gcpPublicCidrsAccessEnabled))
      problems.push(
        "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled is true: every Google Cloud VM may connect",
      );
    return problems;
  },
};

export const gkeWorkloadIdentity: ResourceRule = {
  kind: "resource",
  name: "gke-workload-identity",
  description:
    "Pods get Google credentials through Workload Identity; nodes hide their own metadata (GKE_METADATA).",
  remediation:
    'Set workloadIdentityConfig.workloadPool to "<project>.svc.id.goog" and nodeConfig.workloadMetadataConfig.mode to "GKE_METADATA".',
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER, NODE_POOL],
  validate(props, context) {
    const problems: string[] = [];
    if (context.type === CLUSTER && !text(at(props, "workloadIdentityConfig", "workloadPool")))
      problems.push("workloadIdentityConfig.workloadPool is not set: pods use the nodes' account");
    const nodeConfig = record(props.nodeConfig);
    if (nodeConfig || context.type === NODE_POOL) {
      const mode = text(at(nodeConfig, "workloadMetadataConfig", "mode"));
      if (mode !== "GKE_METADATA")
        problems.push(
          `nodeConfig.workloadMetadataConfig.mode is ${mode ?? "not set"}: pods can read the node's credentials`,
        );
    }
    return problems;
  },
};

export const gkeNetworkPolicy: ResourceRule = {
  kind: "resource",
  name: "gke-network-policy",
  description:
    "GKE enforces Kubernetes NetworkPolicies (Dataplane V2 or the network policy add-on).",
  remediation:
    'Set datapathProvider: "ADVANCED_DATAPATH" (Dataplane V2), or networkPolicy.enabled with the add-on.',
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER],
  validate(props) {
    if (text(props.datapathProvider) === "ADVANCED_DATAPATH") return [];
    const addon = isFalse(at(props, "addonsConfig", "networkPolicyConfig", "disabled"));
    return isTrue(at(props, "networkPolicy", "enabled")) && addon
      ? []
      : ["neither Dataplane V2 nor the network policy add-on is on: NetworkPolicies are ignored"];
  },
};

const CHANNELS = ["RAPID", "REGULAR", "STABLE", "EXTENDED"];

export const gkeReleaseChannel: ResourceRule = {
  kind: "resource",
  name: "gke-release-channel",
  description: "GKE clusters follow a release channel, so that they receive upgrades and fixes.",
  remediation:
    'Set releaseChannel.channel to "REGULAR" or "STABLE" (the spec\'s gke.releaseChannel).',
  enforcementLevel: "advisory",
  resourceTypes: [CLUSTER],
  validate(props) {
    const channel = text(at(props, "releaseChannel", "channel"));
    return channel && CHANNELS.includes(channel)
      ? []
      : [`releaseChannel.channel is ${channel ?? "not set"}: upgrades are left to people`];
  },
};

function secureBootProblems(nodeConfig: Props | undefined, where: string): string[] {
  return isTrue(at(nodeConfig, "shieldedInstanceConfig", "enableSecureBoot"))
    ? []
    : [`${where}.shieldedInstanceConfig.enableSecureBoot is not true`];
}

export const gkeShieldedNodes: ResourceRule = {
  kind: "resource",
  name: "gke-shielded-nodes",
  description: "GKE nodes are Shielded VMs with Secure Boot.",
  remediation:
    "Leave enableShieldedNodes on and set nodeConfig.shieldedInstanceConfig.enableSecureBoot: true on the cluster and every node pool.",
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER, NODE_POOL],
  validate(props, context) {
    const nodeConfig = record(props.nodeConfig);
    if (context.type === NODE_POOL) return secureBootProblems(nodeConfig, "nodeConfig");
    const problems = isFalse(props.enableShieldedNodes)
      ? ["enableShieldedNodes is false: nodes can be impersonated"]
      : [];
    // The default pool's nodeConfig matters only while the default pool exists.
    if (nodeConfig || !isTrue(props.removeDefaultNodePool))
      problems.push(...secureBootProblems(nodeConfig, "nodeConfig"));
    return problems;
  },
};

export const gkeNodeAutoRepairUpgrade: ResourceRule = {
  kind: "resource",
  name: "gke-node-auto-repair-upgrade",
  description: "GKE node pools repair broken nodes and upgrade themselves.",
  remediation: "Set management { autoRepair: true, autoUpgrade: true } on the node pool.",
  enforcementLevel: "advisory",
  resourceTypes: [NODE_POOL],
  validate(props) {
    const management = record(props.management) ?? {};
    return ["autoRepair", "autoUpgrade"]
      .filter((key) => !isTrue(management[key]))
      .map((key) => `management.${key} is not true`);
  },
};

export const gkeNoClientCertificate: ResourceRule = {
  kind: "resource",
  name: "gke-no-client-certificate",
  description:
    "GKE issues no client certificate: a leaked certificate cannot be revoked and bypasses IAM.",
  remediation: "Set masterAuth.clientCertificateConfig.issueClientCertificate: false.",
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER],
  validate: (props) =>
    isTrue(at(props, "masterAuth", "clientCertificateConfig", "issueClientCertificate"))
      ? ["masterAuth.clientCertificateConfig.issueClientCertificate is true"]
      : [],
};

export const gkeNoLegacyAbac: ResourceRule = {
  kind: "resource",
  name: "gke-no-legacy-abac",
  description: "GKE authorizes with RBAC only; legacy ABAC is off.",
  remediation: "Set enableLegacyAbac: false.",
  enforcementLevel: "mandatory",
  resourceTypes: [CLUSTER],
  validate: (props) =>
    isTrue(props.enableLegacyAbac)
      ? ["enableLegacyAbac is true: every service account gets broad rights"]
      : [],
};
