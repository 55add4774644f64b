// Everything the offline plan checks about a stack's input before it runs the program: the stack
// file, its region spec (from the values as YAML gives them, so `.inf` is shown as `.inf` and not
// as the `null` JSON would make of it), the ranges of the stack files beside it, and the stacks
// whose outputs it reads. Every problem is a PlanInputError with one line each.
import { ConfigError } from "../../components/spec/errors";
import { checkPeerRanges, parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import { readPeerStacks } from "../../components/spec/peers";
import type { RegionSpec } from "../../components/spec/schema";
import { PlanInputError, readStackConfig, type StackConfig } from "./stack-file";
import { checkStackReferences } from "./stack-references";

export interface PlanInput {
  readonly stackConfig: StackConfig;
  readonly spec: RegionSpec;
}

export function readPlanInput(projectDir: string, project: string, stack: string): PlanInput {
  const stackConfig = readStackConfig(projectDir, project, stack);
  const { file } = stackConfig;
  if (stackConfig.secretKeys.includes(REGION_CONFIG_KEY)) {
    throw new PlanInputError(
      `${file}: ${REGION_CONFIG_KEY} is a secret: expected the region's spec in clear (it holds no secrets; those have keys of their own)`,
    );
  }
  try {
    const spec = parseRegionSpec(stackConfig.values[REGION_CONFIG_KEY], file);
    checkPeerRanges(spec, file, readPeerStacks(projectDir));
    checkStackReferences(spec, file, projectDir, project);
    return { stackConfig, spec };
  } catch (error) {
    if (error instanceof ConfigError) throw new PlanInputError(error.message);
    throw error;
  }
}
