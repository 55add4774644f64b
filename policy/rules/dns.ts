// Names the host layer answers itself: `consul.` (the Consul agent) and the chocon suffixes
// (`*.ccnproxy`, `*.ccnproxy-https`...). The region's internal zone, or any private zone, of one
// of those names would shadow them: hosts or clusters would stop finding services and chocon.

import { decodedForms } from "./secret-patterns";
import { CLEAR_TEXT_TYPES, clearTextInputs } from "./secrets";
import type { StackResource, StackRule, StackViolation } from "./types";
import { list, text } from "./values";

const ROUTE53_ZONE = "aws:route53/zone:Zone";
const MANAGED_ZONE = "gcp:dns/managedZone:ManagedZone";
const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const GCP_NETWORK = "gcp:compute/network:Network";

/** The zones the layer serves, with what answers them. */
export const SERVED_ZONES: Readonly<Record<string, string>> = {
  consul: "the Consul agent answers consul.",
  ccnproxy: "chocon answers *.ccnproxy",
  "ccnproxy-https": "chocon answers *.ccnproxy-https",
  "ccnproxy-secure": "chocon answers *.ccnproxy-secure",
  "ccnproxy-ssl": "chocon answers *.ccnproxy-ssl",
};

/** The served zone a DNS name is, or lies under; undefined for any other name. */
function servedZoneOf(name: string): string | undefined {
  const labels = name.toLowerCase().replace(/\.$/, "").split(".");
  const top = labels.at(-1) ?? "";
  return Object.hasOwn(SERVED_ZONES, top) ? top : undefined;
}

/** Private zones: a Route53 zone tied to VPCs, a Cloud DNS zone with private visibility. */
function privateZoneName(resource: StackResource): string | undefined {
  if (resource.type === ROUTE53_ZONE && list(resource.props.vpcs).length > 0)
    return text(resource.props.name);
  if (resource.type === MANAGED_ZONE && text(resource.props.visibility) === "private")
    return text(resource.props.dnsName);
  return undefined;
}

/**
 * The chocon zones GKE clusters get in their own network, which is how the layer serves them
 * there: a private ccnproxy zone whose network is a cluster's network.
 */
function onClusterNetwork(zone: StackResource, resources: readonly StackResource[]): boolean {
  const clusterNetworks = new Set(
    resources
      .filter((resource) => resource.type === GKE_CLUSTER)
      .flatMap((cluster) => cluster.dependencies),
  );
  const networks = zone.dependencies.filter((urn) =>
    resources.some((resource) => resource.urn === urn && resource.type === GCP_NETWORK),
  );
  return networks.length > 0 && networks.every((urn) => clusterNetworks.has(urn));
}

/** unbound's local zones in a host's configuration: name and type. */
const LOCAL_ZONE = /^\s*local-zone:\s*"?([^"\s]+?)\.?"?\s+([a-z_]+)\s*$/gm;

function shadowingLocalZones(config: string): { zone: string; type: string }[] {
  const found: { zone: string; type: string }[] = [];
  for (const match of config.matchAll(LOCAL_ZONE)) {
    const [, name = "", type = ""] = match;
    const zone = servedZoneOf(name);
    // The chocon suffixes are served as redirect zones; anything else takes their place.
    if (zone !== undefined && (zone === "consul" || type !== "redirect"))
      found.push({ zone, type });
  }
  return found;
}

export const internalZoneShadowsServed: StackRule = {
  kind: "stack",
  name: "no-zone-shadows-served-names",
  description:
    "No private zone and no zone in a host's resolver takes the place of a name the host layer serves: consul. (the Consul agent) and the chocon suffixes (ccnproxy, ccnproxy-https, ccnproxy-secure, ccnproxy-ssl).",
  remediation:
    "Give the internal zone (dns.internalDomain) another name, such as local; only GKE's chocon zones in a cluster's own network may carry a ccnproxy name.",
  enforcementLevel: "mandatory",
  validate(resources) {
    const violations: StackViolation[] = [];
    for (const resource of resources) {
      const name = privateZoneName(resource);
      const zone = name === undefined ? undefined : servedZoneOf(name);
      if (zone !== undefined && !(zone !== "consul" && onClusterNetwork(resource, resources))) {
        violations.push({
          urn: resource.urn,
          message: `the private zone ${name} shadows ${zone}. (${SERVED_ZONES[zone]})`,
        });
      }
      if (!CLEAR_TEXT_TYPES.includes(resource.type)) continue;
      const reported = new Set<string>();
      for (const [where, value] of clearTextInputs(resource.type, resource.props)) {
        if (typeof value !== "string") continue;
        for (const form of decodedForms(value)) {
          for (const local of shadowingLocalZones(form)) {
            const line = `${where} makes ${local.zone}. a ${local.type} local zone of unbound, which shadows it (${SERVED_ZONES[local.zone]})`;
            if (!reported.has(line)) violations.push({ urn: resource.urn, message: line });
            reported.add(line);
          }
        }
      }
    }
    return violations;
  },
};
