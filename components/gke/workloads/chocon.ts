// chocon in the cluster: pods reach other clouds through its pooled keep-alive connections
// instead of paying TCP and TLS set-up on every request. Its Service has a fixed ClusterIP so that
// DNS can send every `*.ccnproxy-https` (and sibling) name to it, as unbound does on hosts.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "../../sdk/kubernetes";
import type { GkeSpec } from "../../spec/gke";
import type { RegionSpec } from "../../spec/schema";
import { CHOCON, LINK_LOCAL, selectorLabels } from "../contract";
import { choconArgs } from "./chocon-args";
import { RestrictedNamespace } from "./namespace";
import { allowEgressToInternet, allowIngressFromNamespaces } from "./network-policies";
import { hardenedPodTemplate } from "./pod-template";
import { surgeRollout } from "./scaling";
import { appMetadata, serveDeployment } from "./served-deployment";

export interface ChoconArgs {
  /** The spec's chocon block on GKE: replicas. */
  readonly chocon: GkeSpec["chocon"];
  /** The image, by digest: the chocon the artifacts workflow built, in the region's registry. */
  readonly image: pulumi.Input<string>;
  /** What the Deployment waits for: the image's push. */
  readonly imageReady: pulumi.Resource[];
  /** Ports chocon calls upstream (80 and 443 for the suffixes, and the default route's). */
  readonly upstreamPorts: readonly number[];
  /** The region's chocon settings (connection pool, timeouts). */
  readonly settings: RegionSpec["chocon"];
  /** The ClusterIP the Service is pinned to (inside the services range). */
  readonly clusterIp: string;
  /** Namespaces whose pods may call chocon (besides namespaces labelled as chocon clients). */
  readonly clientNamespaces: readonly string[];
  /** Ranges chocon must not reach (the cluster's own), besides link-local addresses. */
  readonly deniedRanges: readonly string[];
  /** The cluster's provider; every object is created through it. */
  readonly provider: k8s.Provider;
  /** GKE names of the node pools the pods run on (outputs of the pools). */
  readonly nodePools: pulumi.Input<string>[];
}

export class Chocon extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  /** The address `*.ccnproxy*` names resolve to. */
  public readonly clusterIp: string;

  constructor(name: string, args: ChoconArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:gke:Chocon", name, {}, opts);
    const provider = args.provider;
    const child = { parent: this, provider };
    const app = CHOCON.name;
    this.clusterIp = args.clusterIp;

    const namespace = new RestrictedNamespace(
      `${name}-ns`,
      { namespace: CHOCON.namespace, provider },
      { parent: this },
    );
    this.namespace = namespace.name;
    const meta = appMetadata(this.namespace, app);

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: meta(app), automountServiceAccountToken: false },
      child,
    );

    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta(app),
        spec: {
          // No replica count: the autoscaler owns it.
          selector: { matchLabels: selectorLabels(app) },
          strategy: surgeRollout(),
          revisionHistoryLimit: 5,
          template: hardenedPodTemplate({
            name: app,
            image: args.image,
            args: choconArgs(args.settings),
            serviceAccountName: serviceAccount.metadata.name,
            port: CHOCON.containerPort,
            healthPath: CHOCON.healthPath,
            nodePools: args.nodePools,
            requests: { cpu: "100m", memory: "128Mi" },
            limits: { cpu: "1", memory: "256Mi" },
          }),
        },
      },
      { ...child, dependsOn: args.imageReady },
    );

    serveDeployment(
      name,
      {
        app,
        metadata: meta(app),
        servicePort: CHOCON.servicePort,
        replicas: args.chocon.replicas,
        clusterIp: args.clusterIp,
      },
      child,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-clients`,
      {
        metadata: meta("allow-clients"),
        spec: allowIngressFromNamespaces(
          app,
          CHOCON.containerPort,
          args.clientNamespaces,
          CHOCON.clientLabel,
        ),
      },
      child,
    );
    // A proxy that forwards to any host a client names must not become a way into the cluster
    // or to the metadata server.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-upstreams`,
      {
        metadata: meta("allow-upstreams"),
        spec: allowEgressToInternet(app, args.upstreamPorts, [...args.deniedRanges, LINK_LOCAL]),
      },
      child,
    );

    this.registerOutputs({ namespace: this.namespace, clusterIp: this.clusterIp });
  }
}
