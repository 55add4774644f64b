// `npm run dr -- --stack us --rehearse`: the rebuild planned offline beside the live stack, in a
// scratch copy of the project (nothing is written here and no cloud is asked): both plans must
// pass, neither stack may take a name or record the other needs or lose one when the other is
// destroyed, and the report gives the rebuild's critical path (the benchmark's model) and each
// data store's recovery point. Exit 0 when the rehearsal passes, 1 when it finds a problem.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minutesOf } from "../../bench/creation-times";
import { criticalPath } from "../../bench/critical-path";
import type { Plan, PlannedResource } from "../plan/plan";
import type { DrStackFile } from "./make-dr-spec";
import { locationOf } from "./make-dr-spec";
import { stacksIn } from "./project";
import { recoveryPoints } from "./recovery-points";
import { rehearsalFindings } from "./rehearsal-findings";
import { renderDrStackFile } from "./render";

const LINKED = [
  "components",
  "tools",
  "bench",
  "policy",
  "node_modules",
  "package.json",
  "tsconfig.json",
  "Pulumi.yaml",
];

function scratchCopy(dir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), "multicloud-rehearsal-"));
  for (const entry of LINKED) symlinkSync(join(dir, entry), join(scratch, entry));
  // The program reads the stack files beside its own file: a copy, not a link.
  copyFileSync(join(dir, "index.ts"), join(scratch, "index.ts"));
  for (const stack of stacksIn(dir)) {
    copyFileSync(join(dir, `Pulumi.${stack}.yaml`), join(scratch, `Pulumi.${stack}.yaml`));
  }
  return scratch;
}

function planIn(scratch: string, stack: string): Promise<{ plan?: Plan; problem?: string }> {
  const json = join(scratch, `${stack}.plan.json`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "--import",
        "tsx",
        join(scratch, "tools", "plan", "cli.ts"),
        "--stack",
        stack,
        "--json",
        json,
      ],
      {
        cwd: scratch,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
        maxBuffer: 64 << 20,
      },
      (error, _stdout, stderr) => {
        if (error)
          resolve({ problem: `npm run plan -- --stack ${stack} failed:\n${stderr.trim()}` });
        else resolve({ plan: JSON.parse(readFileSync(json, "utf8")) as Plan });
      },
    );
  });
}

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
  const scratch = scratchCopy(dir);
  try {
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
    return findings.passed ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
