// The stacks a region reads outputs from (dr.restore ... fromStack): offline, their outputs come
// from their stack files beside this one, so each must be there and hold what is read from it.
// A real run would fail later, inside the program; the plan says so up front, naming the key.
import { ConfigError, type ConfigProblem } from "../../components/spec/errors";
import { REGION_CONFIG_KEY } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { referencedStack } from "./offline-stack-outputs";

export function checkStackReferences(
  spec: RegionSpec,
  file: string,
  projectDir: string,
  project: string,
): void {
  const problems: ConfigProblem[] = [];
  for (const [db, entry] of Object.entries(spec.dr.restore?.rds ?? {})) {
    const reference = entry.pointInTime?.fromStack;
    if (reference === undefined) continue;
    const path = ["dr", "restore", "rds", db, "pointInTime", "fromStack"];
    const problem = (message: string) =>
      problems.push({ path, message, found: { kind: "value", value: reference } });
    const found = referencedStack(reference, projectDir, project);
    if ("problem" in found) {
      problem(`expected ${found.problem}`);
    } else if (found.spec.cloud !== "aws" || !found.spec.aws.rds.some((d) => d.name === db)) {
      problem(
        `expected a stack whose aws.rds has a database ${db}: ${found.file} has none, so its drBackups output names no backups of it`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(file, REGION_CONFIG_KEY, problems);
}
