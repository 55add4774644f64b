// What a plan holds, in the words a rebuild is judged by: hosts per role (whatever the cloud makes
// them of) and the GKE cluster with its workloads. Pure.
import type { Plan, PlannedResource } from "../plan/plan";

type Inputs = Record<string, unknown>;

/** The role of one host resource and how many hosts it stands for; undefined when it is none. */
function hostsOf(resource: PlannedResource): { role: string; count: number } | undefined {
  const inputs = resource.inputs as Inputs;
  const tags = inputs.tags as Record<string, unknown> | readonly unknown[] | undefined;
  switch (resource.type) {
    case "aws:ec2/instance:Instance": {
      const role = (tags as Record<string, unknown> | undefined)?.role;
      return typeof role === "string" ? { role, count: 1 } : undefined;
    }
    case "aws:autoscaling/group:Group": {
      const tag = (tags as readonly { key?: unknown; value?: unknown }[] | undefined)?.find(
        (entry) => entry.key === "role",
      );
      const count = Number(inputs.desiredCapacity ?? inputs.minSize);
      return typeof tag?.value === "string" ? { role: tag.value, count } : undefined;
    }
    case "gcp:compute/instance:Instance": {
      const role = (inputs.labels as Record<string, unknown> | undefined)?.role;
      return typeof role === "string" ? { role, count: 1 } : undefined;
    }
    case "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": {
      const role = /^(\w+) hosts$/.exec(String(inputs.description ?? ""))?.[1];
      return role ? { role, count: Number(inputs.targetSize) } : undefined;
    }
    case "pulumi-nodejs:dynamic/sakuracloud:Server": {
      const tag = (tags as readonly unknown[] | undefined)?.find(
        (entry): entry is string => typeof entry === "string" && entry.startsWith("role="),
      );
      return tag ? { role: tag.slice("role=".length), count: 1 } : undefined;
    }
    case "command:remote:Command": {
      // A dedicated server: its bootstrap script names its role in its first comment.
      if (!resource.name.endsWith("-bootstrap")) return undefined;
      const role = /host bootstrap, role (\w+),/.exec(String(inputs.stdin ?? ""))?.[1];
      return role ? { role, count: 1 } : undefined;
    }
    default:
      return undefined;
  }
}

/** Hosts per role: fixed hosts, scaled groups at their desired size, dedicated servers. */
export function hostsByRole(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of plan.resources) {
    const found = hostsOf(resource);
    if (found) counts[found.role] = (counts[found.role] ?? 0) + found.count;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export interface GkeContents {
  /** The regions of the plan's GKE clusters. */
  readonly clusters: readonly string[];
  /** Each workload as one comparable line: kind, namespace/name and what it runs or routes. */
  readonly workloads: readonly string[];
}

export function gkeContents(plan: Plan): GkeContents {
  const clusters: string[] = [];
  const workloads: string[] = [];
  for (const resource of plan.resources) {
    const inputs = resource.inputs as Inputs;
    if (resource.type === "gcp:container/cluster:Cluster") {
      clusters.push(String(inputs.location));
      continue;
    }
    if (!resource.type.startsWith("kubernetes:")) continue;
    const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const id = `${inputs.kind} ${metadata.namespace ?? ""}/${metadata.name ?? ""}`;
    const spec = (inputs.spec ?? {}) as Inputs;
    if (inputs.kind === "Deployment") {
      const pod = (spec.template as { spec?: { containers?: Inputs[] } } | undefined)?.spec;
      const containers = (pod?.containers ?? []).map(
        (container) =>
          `${container.name}=${container.image} ${JSON.stringify(container.args ?? [])}`,
      );
      workloads.push(`${id} ${containers.join(" ")}`);
    } else if (inputs.kind === "HTTPRoute") {
      workloads.push(`${id} ${JSON.stringify(spec.hostnames)} ${JSON.stringify(spec.rules)}`);
    } else if (inputs.kind === "ConfigMap") {
      workloads.push(`${id} ${JSON.stringify(inputs.data)}`);
    }
  }
  return { clusters: clusters.sort(), workloads: workloads.sort() };
}
