// What the gateway and chocon share: their objects' metadata, and what they put beside their
// Deployment (a ClusterIP Service on the pods' "http" port, a CPU autoscaler over the spec's
// replica range, and a disruption budget that lets one pod go at a time).
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "../../sdk/kubernetes";
import { appLabels, selectorLabels } from "../contract";
import { cpuAutoscaler, oneAtATime } from "./scaling";

export interface ServedDeploymentArgs {
  /** The app's name: the Deployment, Service, autoscaler and budget are all named after it. */
  readonly app: string;
  readonly metadata: k8s.types.input.meta.v1.ObjectMeta;
  readonly servicePort: number;
  readonly replicas: { readonly min: number; readonly max: number };
  /** A fixed cluster address, for names that must resolve to it without the cluster's DNS. */
  readonly clusterIp?: string;
}

/** Creates `${name}-service`, `${name}-hpa` and `${name}-pdb`; returns the Service. */
export function serveDeployment(
  name: string,
  args: ServedDeploymentArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: args.metadata,
      spec: {
        type: "ClusterIP",
        ...(args.clusterIp ? { clusterIP: args.clusterIp } : {}),
        selector: selectorLabels(args.app),
        ports: [{ name: "http", port: args.servicePort, targetPort: "http", protocol: "TCP" }],
      },
    },
    opts,
  );
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-hpa`,
    { metadata: args.metadata, spec: cpuAutoscaler(args.app, args.replicas) },
    opts,
  );
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    { metadata: args.metadata, spec: oneAtATime(args.app) },
    opts,
  );
  return service;
}

/** Metadata for the objects of one app in its namespace: `meta(objectName)`. */
export function appMetadata(
  namespace: pulumi.Input<string>,
  app: string,
): (objectName: string) => k8s.types.input.meta.v1.ObjectMeta {
  return (objectName) => ({ name: objectName, namespace, labels: appLabels(app) });
}
