// Cloud-neutral sizes as Sakura Cloud server plans (CPU cores, memory GiB).
import type { Size } from "../../spec/primitives";

export const sakuraPlans: Record<Size, { cpu: number; memoryGb: number }> = {
  small: { cpu: 2, memoryGb: 4 },
  medium: { cpu: 2, memoryGb: 8 },
  large: { cpu: 4, memoryGb: 16 },
  xlarge: { cpu: 8, memoryGb: 32 },
  "2xlarge": { cpu: 16, memoryGb: 64 },
};

/** `machineType` on Sakura reads "<cores>c<memory>g", e.g. "6c24g". */
export function sakuraPlan(size: Size, machineType?: string): { cpu: number; memoryGb: number } {
  const match = machineType ? /^(\d+)c(\d+)g$/.exec(machineType) : null;
  if (match?.[1] && match[2]) return { cpu: Number(match[1]), memoryGb: Number(match[2]) };
  return sakuraPlans[size];
}
