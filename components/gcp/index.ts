// The GCP site and its parts.
export { GcpCertificates, type GcpCertificatesArgs } from "./certificates";
export { GcpFirewall, type GcpFirewallArgs } from "./firewall";
export { GcpFixedHosts, type GcpFixedHostsArgs } from "./fixed-hosts";
export { GcpInstanceGroup, type GcpInstanceGroupArgs } from "./instance-group";
export { GcpLoadBalancer, type GcpLoadBalancerArgs } from "./load-balancer";
export { gcpMachineTypes, machineTypeFor } from "./machine-types";
export { GcpNetwork, type GcpNetworkArgs } from "./network";
export { GcpPrivateZone, type GcpPrivateZoneArgs } from "./private-zone";
export { GcpSecrets, type GcpSecretsArgs } from "./secrets";
export { GcpServiceAccounts, type GcpServiceAccountsArgs } from "./service-accounts";
export { GcpSite, type GcpSiteArgs } from "./site";
