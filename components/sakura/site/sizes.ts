// Cloud-neutral sizes and disk sizes as what Sakura Cloud offers. A size asks for at least its
// cores and memory; the plan is the smallest of the provider's limits table that gives both
// (Sakura has no plan for every pair, and `check` refuses one it does not know). Pure.

import { diskSizesGb, serverPlans } from "@multicloud/sakura-cloud";
import type { Size } from "../../spec/primitives";

/** What each size asks for (cores, GiB), as in the config reference. */
export const sizeRequests: Record<Size, { cpu: number; memoryGb: number }> = {
  small: { cpu: 2, memoryGb: 4 },
  medium: { cpu: 2, memoryGb: 8 },
  large: { cpu: 4, memoryGb: 16 },
  xlarge: { cpu: 8, memoryGb: 32 },
  "2xlarge": { cpu: 16, memoryGb: 64 },
};

/**
 * The standard plan for a size: the fewest cores, then the least memory, among plans with at
 * least what the size asks for. `machineType` "<cores>c<memory>g" (e.g. "4c16g") names a plan
 * exactly. Throws, naming `where` (the spec key), when no known plan fits.
 */
export function sakuraPlan(
  size: Size,
  machineType: string | undefined,
  where: string,
): { cpu: number; memoryGb: number } {
  const match = machineType ? /^(\d+)c(\d+)g$/.exec(machineType) : null;
  if (match?.[1] && match[2]) return { cpu: Number(match[1]), memoryGb: Number(match[2]) };
  const want = sizeRequests[size];
  const fits = serverPlans
    .filter((p) => p.commitment === "standard" && p.cpu >= want.cpu && p.memoryGb >= want.memoryGb)
    .sort((a, b) => a.cpu - b.cpu || a.memoryGb - b.memoryGb)[0];
  if (fits === undefined) {
    throw new Error(
      `${where}: no Sakura Cloud server plan known to exist has at least ${want.cpu} cores and ${want.memoryGb} GiB (size ${size}); pick a smaller size or name a plan with machineType such as "10c48g"`,
    );
  }
  return { cpu: fits.cpu, memoryGb: fits.memoryGb };
}

/** The smallest disk size Sakura offers that holds `gb`; throws, naming `where`, above the largest. */
export function sakuraDiskSize(gb: number, where: string): number {
  const fits = diskSizesGb.find((offered) => offered >= gb);
  if (fits === undefined) {
    throw new Error(
      `${where}: ${gb} GiB is more than the largest Sakura Cloud disk (${diskSizesGb.at(-1)} GiB)`,
    );
  }
  return fits;
}
