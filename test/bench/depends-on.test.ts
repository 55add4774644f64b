// The benchmark counts a stack's `dependsOn` edges over the plan's URNs (engine form); the program
// registered them in the mock's URN form. Both counts must agree for every stack, or the critical
// path's what-if costs and the floor's replay are built on edges that do not exist.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  inputDependencies,
  type PropertyDependencies,
} from "../../bench/children/dependency-recorder";
import { planChild } from "../../bench/commands";
import { missingTypes } from "../../bench/creation-times";
import { explicitEdges } from "../../bench/critical-path";
import { runChild } from "../../bench/measure";
import type { Plan } from "../../tools/plan/plan";

const work = mkdtempSync(join(tmpdir(), "multicloud-depends-on-"));
after(() => rmSync(work, { recursive: true, force: true }));

interface Details {
  readonly propertyDependencies: PropertyDependencies;
  readonly dependsOnAtRegistration: number;
}

describe("the benchmark's dependsOn edges", () => {
  for (const stack of ["jp", "us", "uk"]) {
    it(`equal those the program registered, stack ${stack}`, async () => {
      const files = {
        plan: join(work, `${stack}.plan.json`),
        details: join(work, `${stack}.json`),
      };
      await runChild(
        planChild({
          label: `plan-${stack}`,
          stack,
          extra: ["--plan-out", files.plan, "--details-out", files.details],
        }),
      );
      const plan = JSON.parse(readFileSync(files.plan, "utf8")) as Plan;
      const details = JSON.parse(readFileSync(files.details, "utf8")) as Details;
      const edges = explicitEdges(plan.resources, inputDependencies(details.propertyDependencies));
      // Every stack orders something through dependsOn (hosts after their secrets, at least).
      assert.ok(details.dependsOnAtRegistration > 0);
      assert.equal(edges.length, details.dependsOnAtRegistration);
      // The deploy model (and `npm run dr -- --rehearse`) knows how long each of them takes.
      assert.deepEqual(missingTypes(plan.resources), [], "types without a creation time");
    });
  }
});
