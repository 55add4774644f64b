// The uk site's arguments as the region gives them, with stand-in secrets and user data: what the
// site tests build GcpSite from.
import type { GcpSiteArgs } from "../../components/gcp/site";
import { roles } from "../../components/spec/hosts";
import type { GcpRegionSpec } from "../../components/spec/schema";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { dnsProvider } from "./harness";

export { ukSpec } from "./harness";

export const hostSecrets: Record<HostSecretId, string> = {
  // Every role token, TLS identity and the MySQL password: one value each.
  ...(Object.fromEntries(hostSecretIds.map((id) => [id, `fake-${id}-value`])) as Record<
    HostSecretId,
    string
  >),
  "consul-gossip-key": "c2VjcmV0LWdvc3NpcC1rZXktZm9yLXRlc3Q=",
  "consul-management-token": "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b",
};

const userDataOf = (role: string) =>
  `#cloud-config\nhostname: ${role}\nwrite_files:\n  - path: /etc/multicloud/secrets\n    content: multicloud-uk-consul-gossip-key\n`;

/** The site's arguments; call inside the program (the DNS provider is a resource). */
export function ukSiteArgs(spec: GcpRegionSpec): GcpSiteArgs {
  return {
    spec,
    publicZoneId: "ZUKPUBLIC",
    dnsProvider: dnsProvider(),
    userData: Object.fromEntries(roles.map((role) => [role, userDataOf(role)])),
    hostSecrets,
  };
}
