// `npm run dr -- --stack us --rehearse`: the rebuild planned offline beside the live stack, in a
// scratch copy of the project (nothing is written here and no cloud is asked): both plans must
// pass, neither stack may take a name or record the other needs or lose one when the other is
// destroyed, and the report gives the rebuild's critical path (the benchmark's model) and each
// data store's recovery point. Exit 0 when the rehearsal passes, 1 when it finds a problem.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { minutesOf } from "../../bench/creation-times";
import { criticalPath } from "../../bench/critical-path";
import type { PlannedResource } from "../plan/plan";
import type { DrStackFile } from "./make-dr-spec";
import { locationOf } from "./make-dr-spec";
import { planIn, withScratchCopy } from "./offline-plans";
import { recoveryPoints } from "./recovery-points";
import { rehearsalFindings } from "./rehearsal-findings";
import { renderDrStackFile } from "./render";
import { frontNames, retireCommand, retireTargets } from "./retire";

/** Minutes of a resource in the benchmark's model; what the program only reads takes none. */
function minutes(resource: PlannedResource): number {
  return resource.read ? 0 : minutesOf(resource);
}

/** A resource whose time depends on the data it is restored from. */
function restoring(resource: PlannedResource): boolean {
  const inputs = resource.inputs;
  return (
    inputs.restoreToPointInTime !== undefined ||
    inputs.snapshotIdentifier !== undefined ||
    (resource.type === "gcp:compute/disk:Disk" && inputs.snapshot !== undefined)
  );
}

export async function rehearse(dir: string, file: DrStackFile): Promise<number> {
  const live = file.stack.replace(/-dr$/, "");
  return withScratchCopy(dir, async (scratch) => {
    writeFileSync(join(scratch, file.file), renderDrStackFile(file));
    const [ofLive, ofRebuild] = await Promise.all([
      planIn(scratch, live),
      planIn(scratch, file.stack),
    ]);
    console.log(
      `Rehearsal: ${live} rebuilt in ${locationOf(file.spec)} as ${file.stack} (region ${file.spec.name}), planned offline beside ${live}; nothing written, no cloud asked.`,
    );
    if (!ofLive.plan || !ofRebuild.plan) {
      for (const problem of [ofLive.problem, ofRebuild.problem]) if (problem) console.log(problem);
      return 1;
    }
    const findings = rehearsalFindings(ofLive.plan, ofRebuild.plan);
    for (const line of findings.lines) console.log(line);

    const path = criticalPath(ofRebuild.plan.resources, minutes);
    const byUrn = new Map(ofRebuild.plan.resources.map((resource) => [resource.urn, resource]));
    console.log(
      `Critical path of \`pulumi up -s ${file.stack}\`: ${path.totalMinutes.toFixed(1)} minutes (bench/creation-times.ts; restores marked * take as long as their data does):`,
    );
    for (const step of path.chain) {
      const resource = byUrn.get(step.urn);
      const mark = resource && restoring(resource) ? " *" : "";
      console.log(
        `  ${step.finish.toFixed(1).padStart(6)}  +${step.minutes.toFixed(1).padStart(4)}  ${step.type} ${step.name}${mark}`,
      );
    }
    console.log("Recovery points:");
    for (const point of recoveryPoints(file.spec, file.lost)) {
      console.log(`  ${point.store}: ${point.recoveryPoint} (from ${point.from})`);
    }
    console.log(
      `Once ${file.stack} serves, retire ${live}'s own public records, or ${live} answers again, with stale data, when it returns (npm run dr -- --stack ${live} --retire prints this):`,
    );
    console.log(`  ${retireCommand(live, retireTargets(ofLive.plan, frontNames(file.lost)))}`);
    return findings.passed ? 0 : 1;
  });
}
