// Pods resolve `*.service.consul` like every host does: GKE's kube-dns (and NodeLocal DNSCache,
// which reads the same ConfigMap) forwards the `consul` domain to the region's Consul DNS.
//
// GKE creates the `kube-dns` ConfigMap itself and keeps owning it, so it is patched, not
// replaced: a server-side-apply patch owns only `data.stubDomains` (forcing over a hand edit),
// and deleting it gives that one field back instead of deleting GKE's ConfigMap.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "../sdk/kubernetes";
import { renderStubDomains } from "./consul-stub-domains";

export interface ConsulDnsArgs {
  /** Consul DNS endpoints reachable from the cluster: IPv4 addresses, optionally `ip:port`. */
  readonly servers: pulumi.Input<string[]>;
  /** The cluster's provider (server-side apply must be on). */
  readonly provider: k8s.Provider;
}

export const CONSUL_DOMAIN = "consul";

export class ConsulDns extends pulumi.ComponentResource {
  /** The `stubDomains` value written to kube-dns. */
  public readonly stubDomains: pulumi.Output<string>;

  constructor(name: string, args: ConsulDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:ConsulDns", name, {}, opts);
    this.stubDomains = pulumi
      .output(args.servers)
      .apply((servers) => renderStubDomains(CONSUL_DOMAIN, servers));
    new k8s.core.v1.ConfigMapPatch(
      `${name}-kube-dns`,
      {
        metadata: {
          name: "kube-dns",
          namespace: "kube-system",
          annotations: { "pulumi.com/patchForce": "true" },
        },
        data: { stubDomains: this.stubDomains },
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ stubDomains: this.stubDomains });
  }
}
