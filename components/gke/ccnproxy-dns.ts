// DNS in the cluster's VPC for chocon's suffixes: `*.ccnproxy-https.` (and siblings) answer with
// chocon's fixed ClusterIP. kube-dns hands names outside the cluster to the metadata server, which
// answers from the VPC's private zones, so a pod calling
// `http://example.com.ccnproxy-https/v1/foo` reaches chocon, which calls https://example.com.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";
import { CHOCON } from "./contract";

export interface CcnproxyDnsArgs {
  /** Prefix of the zones' names (unique in the project). */
  readonly zonePrefix: string;
  /** The VPC whose resolvers answer these names. */
  readonly networkId: pulumi.Input<string>;
  /** chocon's ClusterIP. */
  readonly address: string;
  /** GCP labels of the zones. */
  readonly labels: Record<string, string>;
  readonly provider: gcp.Provider;
}

export class CcnproxyDns extends pulumi.ComponentResource {
  /** The DNS names of the zones, e.g. `ccnproxy-https.`. */
  public readonly zones: string[];

  constructor(name: string, args: CcnproxyDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:CcnproxyDns", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    this.zones = CHOCON.suffixes.map((suffix) => `${suffix}.`);
    for (const suffix of CHOCON.suffixes) {
      const zone = new gcp.dns.ManagedZone(
        `${name}-${suffix}`,
        {
          name: `${args.zonePrefix}-${suffix}`,
          dnsName: `${suffix}.`,
          description: `Sends *.${suffix} to chocon in the cluster`,
          visibility: "private",
          privateVisibilityConfig: { networks: [{ networkUrl: args.networkId }] },
          labels: args.labels,
        },
        child,
      );
      new gcp.dns.RecordSet(
        `${name}-${suffix}-wildcard`,
        {
          managedZone: zone.name,
          name: `*.${suffix}.`,
          type: "A",
          ttl: 300,
          rrdatas: [args.address],
        },
        child,
      );
    }
    this.registerOutputs({ zones: this.zones });
  }
}
