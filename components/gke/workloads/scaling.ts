// Autoscaling and disruption budgets shared by the workloads. Pure.
import type * as k8s from "../../sdk/kubernetes";
import { selectorLabels } from "../contract";

export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
}

/** Average CPU use, as a share of requests, that the autoscaler aims for. */
export const CPU_TARGET_PERCENT = 70;

export function cpuAutoscaler(
  deployment: string,
  replicas: ReplicaRange,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment },
    minReplicas: replicas.min,
    maxReplicas: replicas.max,
    metrics: [
      {
        type: "Resource",
        resource: {
          name: "cpu",
          target: { type: "Utilization", averageUtilization: CPU_TARGET_PERCENT },
        },
      },
    ],
    behavior: {
      // Scale up at once, scale down slowly: traffic bursts are short, cold starts are not free.
      scaleUp: { stabilizationWindowSeconds: 0 },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
      },
    },
  };
}

/** Node drains and upgrades take at most one pod of the workload at a time. */
export function oneAtATime(app: string): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
  return {
    maxUnavailable: 1,
    selector: { matchLabels: selectorLabels(app) },
    unhealthyPodEvictionPolicy: "AlwaysAllow",
  };
}

/** Rolling updates that never lower serving capacity. */
export function surgeRollout(): k8s.types.input.apps.v1.DeploymentStrategy {
  return { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } };
}
