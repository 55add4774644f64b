// GCE hosts and templates: boot integrity, addresses, identity and how people log in.
import type { Props, ResourceRule } from "./types";
import { isFalse, isTrue, record, records, text } from "./values";

const GCE_MACHINES = [
  "gcp:compute/instance:Instance",
  "gcp:compute/instanceTemplate:InstanceTemplate",
  "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
];
const GKE_NODES = ["gcp:container/cluster:Cluster", "gcp:container/nodePool:NodePool"];

function metadata(props: Props): Record<string, unknown> {
  return { ...(record(props.metadata) ?? {}) };
}

export const gcpShieldedVm: ResourceRule = {
  kind: "resource",
  name: "gcp-shielded-vm",
  description: "GCE hosts boot as Shielded VMs with Secure Boot, vTPM and integrity monitoring.",
  remediation:
    "Set shieldedInstanceConfig { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true } on a Shielded-VM image.",
  enforcementLevel: "mandatory",
  resourceTypes: GCE_MACHINES,
  validate(props) {
    const shielded = record(props.shieldedInstanceConfig) ?? {};
    const problems: string[] = [];
    if (!isTrue(shielded.enableSecureBoot))
      problems.push("shieldedInstanceConfig.enableSecureBoot is not true: unsigned boot code runs");
    for (const key of ["enableVtpm", "enableIntegrityMonitoring"]) {
      if (isFalse(shielded[key])) problems.push(`shieldedInstanceConfig.${key} is false`);
    }
    return problems;
  },
};

export const gcpNoExternalIp: ResourceRule = {
  kind: "resource",
  name: "gcp-no-external-ip",
  description:
    "GCE hosts have no external address: the internet reaches them only through the load balancer, and they reach it through Cloud NAT.",
  remediation:
    "Remove accessConfigs and ipv6AccessConfigs from networkInterfaces; use Cloud NAT for egress and IAP for SSH.",
  enforcementLevel: "mandatory",
  resourceTypes: GCE_MACHINES,
  validate(props) {
    const problems: string[] = [];
    records(props.networkInterfaces).forEach((nic, index) => {
      for (const key of ["accessConfigs", "ipv6AccessConfigs"]) {
        const configs = nic[key];
        if (Array.isArray(configs) && configs.length > 0)
          problems.push(`networkInterfaces[${index}].${key} gives the host a public address`);
      }
    });
    return problems;
  },
};

/** The Compute Engine default service account: editor on the whole project. */
export function isDefaultComputeAccount(email: string | undefined): boolean {
  return email === "default" || /-compute@developer\.gserviceaccount\.com$/.test(email ?? "");
}

export const gcpNoDefaultServiceAccount: ResourceRule = {
  kind: "resource",
  name: "gcp-no-default-service-account",
  description:
    "GCE hosts and GKE nodes run as their own least-privilege service account, never the Compute Engine default one.",
  remediation:
    "Create a service account per role with only the roles it needs and set serviceAccount.email (GCE) or nodeConfig.serviceAccount (GKE).",
  enforcementLevel: "mandatory",
  resourceTypes: [...GCE_MACHINES, ...GKE_NODES],
  validate(props, context) {
    if (GKE_NODES.includes(context.type)) {
      const nodeConfig = record(props.nodeConfig);
      // A cluster that removes its default pool configures its nodes in node pools.
      if (!nodeConfig && context.type === GKE_NODES[0] && isTrue(props.removeDefaultNodePool))
        return [];
      const account = text(nodeConfig?.serviceAccount);
      return account && !isDefaultComputeAccount(account)
        ? []
        : [
            `nodeConfig.serviceAccount is ${account ?? "not set"}: nodes run as the default account`,
          ];
    }
    const block = record(props.serviceAccount);
    if (!block) return [];
    const email = text(block.email);
    return email && !isDefaultComputeAccount(email)
      ? []
      : [`serviceAccount.email is ${email ?? "not set"}: the host runs as the default account`];
  },
};

export const gcpOsLogin: ResourceRule = {
  kind: "resource",
  name: "gcp-os-login",
  description: "SSH to GCE hosts goes through OS Login (IAM), not keys kept in metadata.",
  remediation: 'Set metadata["enable-oslogin"] to "TRUE".',
  enforcementLevel: "mandatory",
  resourceTypes: GCE_MACHINES,
  validate: (props) =>
    isTrue(metadata(props)["enable-oslogin"])
      ? []
      : ['metadata["enable-oslogin"] is not TRUE: SSH keys bypass IAM'],
};

export const gcpBlockProjectSshKeys: ResourceRule = {
  kind: "resource",
  name: "gcp-block-project-ssh-keys",
  description: "Project-wide SSH keys do not open GCE hosts.",
  remediation: 'Set metadata["block-project-ssh-keys"] to "TRUE".',
  enforcementLevel: "mandatory",
  resourceTypes: GCE_MACHINES,
  validate: (props) =>
    isTrue(metadata(props)["block-project-ssh-keys"])
      ? []
      : ['metadata["block-project-ssh-keys"] is not TRUE: a project-wide key logs in everywhere'],
};

export const gcpSerialPortDisabled: ResourceRule = {
  kind: "resource",
  name: "gcp-serial-port-disabled",
  description: "The interactive serial console of GCE hosts is off.",
  remediation: 'Leave out metadata["serial-port-enable"] or set it to "FALSE".',
  enforcementLevel: "mandatory",
  resourceTypes: GCE_MACHINES,
  validate: (props) =>
    isTrue(metadata(props)["serial-port-enable"])
      ? ['metadata["serial-port-enable"] is TRUE: the console accepts logins from the internet']
      : [],
};
