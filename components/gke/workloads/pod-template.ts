// A hardened pod template: what every workload of this program runs with. Pure.
// It meets the Pod Security Standard "restricted" and more: read-only root file system, no
// service account token, requests and limits, probes, spread over zones.
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "../../sdk/kubernetes";
import { appLabels, RUN_AS_USER, selectorLabels } from "../contract";

type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

export interface Resources {
  readonly cpu: string;
  readonly memory: string;
}

export interface HardenedPodInput {
  /** The workload's name: container name, labels and selector. */
  readonly name: string;
  readonly image: pulumi.Input<string>;
  readonly args?: string[];
  readonly serviceAccountName: pulumi.Input<string>;
  /** The one port the container serves on, named `http`. */
  readonly port: number;
  /** Path answered with 200 when the process can serve. */
  readonly healthPath: string;
  readonly requests: Resources;
  readonly limits: Resources;
  /** Volumes besides the writable /tmp every pod gets. */
  readonly volumes?: { volume: Volume; mount: VolumeMount }[];
  /** Annotations on the pod template (a config checksum rolls the pods when config changes). */
  readonly annotations?: Record<string, string>;
  /**
   * The node pools (their GKE names) the pods may run on. Taken from the pools' outputs, they
   * also make the workload wait until its pools exist, so a rollout's timeout never counts their
   * creation.
   */
  readonly nodePools: pulumi.Input<string>[];
}

/** The label GKE puts on every node, with the name of the node's pool. */
export const NODE_POOL_LABEL = "cloud.google.com/gke-nodepool";

const TMP_SIZE = "64Mi";

export function hardenedPodTemplate(input: HardenedPodInput): PodTemplateSpec {
  const extra = input.volumes ?? [];
  const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: input.healthPath, port: "http" },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });
  return {
    metadata: {
      labels: appLabels(input.name),
      ...(input.annotations ? { annotations: input.annotations } : {}),
    },
    spec: {
      serviceAccountName: input.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: NODE_POOL_LABEL, operator: "In", values: input.nodePools },
                ],
              },
            ],
          },
        },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_USER,
        runAsGroup: RUN_AS_USER,
        fsGroup: RUN_AS_USER,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: input.name,
          image: input.image,
          imagePullPolicy: "IfNotPresent",
          ...(input.args ? { args: input.args } : {}),
          ports: [{ name: "http", containerPort: input.port, protocol: "TCP" }],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          resources: {
            requests: { ...input.requests, "ephemeral-storage": TMP_SIZE },
            limits: { ...input.limits, "ephemeral-storage": "128Mi" },
          },
          startupProbe: probe(2, 30),
          readinessProbe: probe(5, 3),
          livenessProbe: probe(10, 3),
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...extra.map((v) => v.mount)],
        },
      ],
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: TMP_SIZE } }, ...extra.map((v) => v.volume)],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: selectorLabels(input.name) },
        },
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: selectorLabels(input.name) },
        },
      ],
    },
  };
}
