// GKE's ip-masq-agent configuration: pods keep their address only inside the cluster, and leave
// it with their node's address everywhere else (cloud.google.com/kubernetes-engine/docs/concepts/
// ip-masquerade-agent: with a custom nonMasqueradeCIDRs list, "GKE changes source Pod IP addresses
// to source node IP addresses for packets sent to destinations not specified" in it). Pure.
import { stringify } from "yaml";

export function ipMasqAgentConfig(clusterRanges: readonly string[]): string {
  return stringify({
    nonMasqueradeCIDRs: [...clusterRanges],
    // Link-local destinations (the metadata server) keep the pod's address, as by default.
    masqLinkLocal: false,
    resyncInterval: "60s",
  });
}
