// What a rehearsal finds, comparing the live stack's plan with its rebuild's: every role's hosts
// carried, the GKE cluster moved with the same workloads, and nothing shared that either stack's
// creation or destruction breaks for the other. Pure: lines to print, and whether all held.
import type { Plan } from "../plan/plan";
import { gkeContents, hostsByRole } from "./plan-contents";
import { claimsOf, collisions, lostByDestroying } from "./shared-names";

export interface Findings {
  readonly lines: readonly string[];
  readonly passed: boolean;
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([role, count]) => `${role} ${count}`)
    .join(", ");

export function rehearsalFindings(live: Plan, rebuild: Plan): Findings {
  const lines: string[] = [];
  let passed = true;
  const fail = (line: string) => {
    passed = false;
    lines.push(`  PROBLEM ${line}`);
  };
  lines.push(
    `Plans: ${live.stack} ${live.resources.length} resources, ${rebuild.stack} ${rebuild.resources.length}.`,
  );

  const before = hostsByRole(live);
  const after = hostsByRole(rebuild);
  lines.push(`Hosts: ${list(after)} (${live.stack}: ${list(before)}).`);
  for (const [role, count] of Object.entries(before)) {
    if ((after[role] ?? 0) < count)
      fail(`${role}: ${after[role] ?? 0} hosts in the rebuild, ${count} in ${live.stack}`);
  }

  const gkeBefore = gkeContents(live);
  const gkeAfter = gkeContents(rebuild);
  if (gkeBefore.clusters.length > 0) {
    lines.push(
      `GKE: cluster in ${gkeAfter.clusters.join(", ") || "none"} (${live.stack}: ${gkeBefore.clusters.join(", ")}), ${gkeAfter.workloads.length} workload objects.`,
    );
    // Images the deploy pushes into the cluster's own registry move with the cluster.
    const [lostRegion] = gkeBefore.clusters;
    const [newRegion] = gkeAfter.clusters;
    const ownRegistry = (region: string | undefined) => `=${region}-docker.pkg.dev/`;
    const expected = gkeBefore.workloads.map((workload) =>
      workload.startsWith("Deployment chocon/chocon ") && newRegion
        ? workload.replace(ownRegistry(lostRegion), ownRegistry(newRegion))
        : workload,
    );
    const missing = expected.filter((workload) => !gkeAfter.workloads.includes(workload));
    if (gkeAfter.clusters.length !== gkeBefore.clusters.length)
      fail("the rebuild has no GKE cluster");
    else if (gkeAfter.clusters.some((region) => gkeBefore.clusters.includes(region)))
      fail("the rebuild's GKE cluster is in the lost cluster's region");
    for (const workload of missing) fail(`workload not in the rebuild: ${workload.slice(0, 160)}`);
  }

  const clashes = [...collisions(live, rebuild), ...collisions(rebuild, live)];
  const shared = claimsOf(rebuild).filter((claim) =>
    claimsOf(live).some((other) => other.key === claim.key),
  );
  lines.push(
    `Shared with ${live.stack}: ${shared.length} records and names, each written by both on purpose and kept when either is destroyed.`,
  );
  for (const clash of clashes) fail(`taken by both: ${clash.key}`);
  for (const [destroyed, survivor] of [
    [live, rebuild],
    [rebuild, live],
  ] as const) {
    const lost = lostByDestroying(destroyed, survivor);
    lines.push(
      `Destroying ${destroyed.stack} leaves ${survivor.stack}'s records and names: ${lost.length === 0 ? "all" : `all but ${lost.length}`}.`,
    );
    for (const claim of lost) fail(`destroying ${destroyed.stack} removes ${claim.key}`);
  }
  return { lines, passed };
}
