// The limits tables, one per cloud, that every plan is checked against (tools/plan/cli.ts).
// Sakura Cloud's limits (disk sizes, server plans, rules per packet filter) are refused by its
// dynamic providers' `check` (components/sakura/provider), where the API client knows them; its
// table here stays empty so that a limit only the plan can see has a place to go.

import type { Plan } from "../plan";
import { awsLimits } from "./aws";
import { awsAlarmLimits } from "./aws-alarms";
import { checkLimits } from "./check";
import { gcpLimits } from "./gcp";
import { gcpAlertLimits } from "./gcp-alerts";
import type { Limit, LimitCloud, LimitViolation } from "./types";

export const limitsTables: Readonly<Record<LimitCloud, readonly Limit[]>> = {
  aws: [...awsLimits, ...awsAlarmLimits],
  gcp: [...gcpLimits, ...gcpAlertLimits],
  sakura: [],
};

export const allLimits: readonly Limit[] = Object.values(limitsTables).flat();

/** Every value of the plan that a cloud's API would refuse. */
export function checkPlanLimits(plan: Plan): LimitViolation[] {
  return checkLimits(plan, Object.values(limitsTables));
}

export { formatLimitViolations } from "./check";
export type { Limit, LimitViolation } from "./types";
