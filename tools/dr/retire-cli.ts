// `npm run dr -- --stack us --retire`: prints the one command that deletes us's own public records
// and their health checks, from us's offline plan (its URNs are those us's state holds).
import type { RegionSpec } from "../../components/spec/schema";
import { planIn, withScratchCopy } from "./offline-plans";
import { frontNames, retireCommand, retireTargets } from "./retire";

export function retire(dir: string, stack: string, spec: RegionSpec): Promise<number> {
  return withScratchCopy(dir, async (scratch) => {
    const { plan, problem } = await planIn(scratch, stack);
    if (!plan) {
      console.log(problem);
      return 1;
    }
    const targets = retireTargets(plan, frontNames(spec));
    console.log(
      `${stack}'s own records of ${frontNames(spec).join(", ")} and their health checks (${targets.length} resources; the records it shares with its rebuild stay). Nothing was run; once the rebuild serves the names:`,
    );
    console.log(`  ${retireCommand(stack, targets)}`);
    return 0;
  });
}
