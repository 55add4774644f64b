// A namespace that admits only pods meeting the "restricted" Pod Security Standard, denies all
// traffic by default and allows DNS. Workloads add the allows they need.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "../../sdk/kubernetes";
import { PART_OF } from "../contract";
import { allowDns, denyAll } from "./network-policies";

export interface RestrictedNamespaceArgs {
  /** The namespace's name in the cluster. */
  readonly namespace: string;
  /** Labels besides the Pod Security ones (e.g. the chocon client label). */
  readonly labels?: Record<string, string>;
  /** The cluster's provider; every object is created through it. */
  readonly provider: k8s.Provider;
}

/** Pod Security Admission: enforce, audit and warn at "restricted", at the cluster's version. */
export const POD_SECURITY_LABELS: Record<string, string> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
};

export class RestrictedNamespace extends pulumi.ComponentResource {
  /** The namespace's name, known once the namespace exists (use it to order children). */
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: RestrictedNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:RestrictedNamespace", name, {}, opts);
    const provider = args.provider;
    const namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: args.namespace,
          labels: {
            ...args.labels,
            ...POD_SECURITY_LABELS,
            "app.kubernetes.io/part-of": PART_OF,
            "app.kubernetes.io/managed-by": "pulumi",
          },
        },
      },
      { parent: this, provider },
    );
    this.name = namespace.metadata.name;
    new k8s.networking.v1.NetworkPolicy(
      `${name}-deny-all`,
      { metadata: { name: "default-deny-all", namespace: this.name }, spec: denyAll() },
      { parent: this, provider },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-dns`,
      { metadata: { name: "allow-dns", namespace: this.name }, spec: allowDns() },
      { parent: this, provider },
    );
    this.registerOutputs({ name: this.name });
  }
}
