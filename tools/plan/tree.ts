// The plan for people: a tree of what would be created, like `pulumi preview`, and counts per type.
import type { Plan, PlannedResource } from "./plan";

export function renderTree(plan: Plan): string {
  const children = new Map<string, PlannedResource[]>();
  const roots: PlannedResource[] = [];
  const ordered = [...plan.resources].sort(
    (a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type),
  );
  for (const resource of ordered) {
    if (resource.parent)
      children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
    else roots.push(resource);
  }
  const depths = depthsOf(plan);
  const width = Math.min(
    72,
    Math.max(...plan.resources.map((r) => r.type.length + (depths.get(r.urn) ?? 0) * 3)),
  );
  const lines: string[] = [];
  const walk = (resource: PlannedResource, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    const label = `${branch}${resource.type}`;
    const flags = [
      resource.read ? "read" : "",
      resource.protect ? "protected" : "",
      resource.ignoreChanges.length > 0 ? `ignores ${resource.ignoreChanges.join(",")}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(`+ ${label.padEnd(width)}  ${resource.name}${flags ? `  [${flags}]` : ""}`);
    const kids = children.get(resource.urn) ?? [];
    const nextPrefix = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
    kids.forEach((kid, index) => {
      walk(kid, nextPrefix, index === kids.length - 1, depth + 1);
    });
  };
  for (const root of roots) walk(root, "", true, 0);
  return lines.join("\n");
}

function depthsOf(plan: Plan): Map<string, number> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const depths = new Map<string, number>();
  const depth = (resource: PlannedResource): number => {
    const known = depths.get(resource.urn);
    if (known !== undefined) return known;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    const value = parent ? depth(parent) + 1 : 0;
    depths.set(resource.urn, value);
    return value;
  };
  plan.resources.forEach(depth);
  return depths;
}

export function countByType(plan: Plan): [string, number][] {
  const counts = new Map<string, number>();
  for (const resource of plan.resources)
    counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function renderCounts(plan: Plan): string {
  const rows = countByType(plan);
  const width = Math.max(...rows.map(([type]) => type.length));
  const custom = plan.resources.filter((r) => r.custom).length;
  return [
    ...rows.map(([type, count]) => `${String(count).padStart(5)}  ${type.padEnd(width)}`.trimEnd()),
    `${String(plan.resources.length).padStart(5)}  resources (${custom} managed by providers, ${plan.resources.length - custom} components)`,
  ].join("\n");
}
