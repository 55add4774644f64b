// Every rule of the pack, in the order they are reported.
import {
  awsEbsEncrypted,
  awsImdsHopLimit,
  awsImdsv2Required,
  awsNoPublicIpOffTheFront,
} from "./aws-compute";
import { awsDefaultSecurityGroupClosed, awsNoWorldIngress, awsVpcFlowLogs } from "./aws-network";
import {
  awsRdsBackups,
  awsRdsDeletionProtection,
  awsRdsEncrypted,
  awsRdsFinalSnapshot,
  awsRdsMultiAz,
  awsRdsNotPublic,
} from "./aws-rds";
import { internalZoneShadowsServed } from "./dns";
import {
  gcpBlockProjectSshKeys,
  gcpNoDefaultServiceAccount,
  gcpNoExternalIp,
  gcpOsLogin,
  gcpSerialPortDisabled,
  gcpShieldedVm,
} from "./gcp-compute";
import {
  gcpCloudArmorOnPublicBackends,
  gcpFirewallNoWorldAllow,
  gcpHttpsSslPolicy,
  gcpSslPolicyModern,
  gcpSubnetFlowLogs,
} from "./gcp-network";
import {
  gkeNetworkPolicy,
  gkeNoClientCertificate,
  gkeNodeAutoRepairUpgrade,
  gkeNoLegacyAbac,
  gkePrivateNodes,
  gkeReleaseChannel,
  gkeRestrictedControlPlane,
  gkeShieldedNodes,
  gkeWorkloadIdentity,
} from "./gke";
import {
  k8sDefaultDenyNetworkPolicy,
  k8sNoPrivilegeEscalation,
  k8sReadOnlyRootFilesystem,
  k8sResourcesSet,
  k8sRunAsNonRoot,
} from "./kubernetes";
import {
  keysOfProtectedDataProtected,
  statefulDeletionProtection,
  statefulFinalSnapshot,
  statefulResourcesProtected,
} from "./protection";
import { sakuraNoWorldAdminPorts } from "./sakura";
import { noSecretsInUserData } from "./secrets";
import { awsS3PublicAccessBlocked, gcpStoragePrivate } from "./storage";
import { requiredTags } from "./tags";
import type { Rule } from "./types";

export const rules: readonly Rule[] = [
  awsImdsv2Required,
  awsImdsHopLimit,
  awsEbsEncrypted,
  awsNoPublicIpOffTheFront,
  awsRdsEncrypted,
  awsRdsMultiAz,
  awsRdsDeletionProtection,
  awsRdsBackups,
  awsRdsNotPublic,
  awsRdsFinalSnapshot,
  awsNoWorldIngress,
  awsVpcFlowLogs,
  awsDefaultSecurityGroupClosed,
  awsS3PublicAccessBlocked,
  gcpShieldedVm,
  gcpNoExternalIp,
  gcpNoDefaultServiceAccount,
  gcpOsLogin,
  gcpBlockProjectSshKeys,
  gcpSerialPortDisabled,
  gcpFirewallNoWorldAllow,
  gcpSubnetFlowLogs,
  gcpSslPolicyModern,
  gcpHttpsSslPolicy,
  gcpCloudArmorOnPublicBackends,
  gcpStoragePrivate,
  sakuraNoWorldAdminPorts,
  internalZoneShadowsServed,
  gkePrivateNodes,
  gkeRestrictedControlPlane,
  gkeWorkloadIdentity,
  gkeNetworkPolicy,
  gkeReleaseChannel,
  gkeShieldedNodes,
  gkeNodeAutoRepairUpgrade,
  gkeNoClientCertificate,
  gkeNoLegacyAbac,
  k8sRunAsNonRoot,
  k8sNoPrivilegeEscalation,
  k8sReadOnlyRootFilesystem,
  k8sResourcesSet,
  k8sDefaultDenyNetworkPolicy,
  statefulResourcesProtected,
  statefulDeletionProtection,
  statefulFinalSnapshot,
  keysOfProtectedDataProtected,
  noSecretsInUserData,
  requiredTags,
];

/** Rules over the stack file itself, which the offline plan runs (the engine has no such input). */
export { stackFileRules } from "./stack-file";

export type {
  EnforcementLevel,
  Props,
  ResourceContext,
  ResourceRule,
  Rule,
  StackFileEntry,
  StackFileRule,
  StackResource,
  StackRule,
  StackViolation,
} from "./types";
