// Retiring a lost region's public names: once its rebuild serves them, the lost stack's own front
// records (failover PRIMARY, plain, or round-robin ones) and their health checks must go, or the
// region would answer again, with stale data, the day it comes back. The records shared on purpose
// with the rebuild (certificate challenges, the gateway's name) stay. From the lost stack's plan,
// whose URNs are the ones its state holds. Pure.
import type { Plan } from "../plan/plan";

export { frontNames } from "../../components/spec/front-names";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

/** The lost stack's front records of `names` (fully qualified), and the health checks they use. */
export function retireTargets(lost: Plan, names: readonly string[]): string[] {
  const records = lost.resources.filter(
    (r) =>
      r.type === RECORD &&
      // The front's addresses only: the zone's own records (CAA) serve the rebuild too.
      (r.inputs.type === "A" || r.inputs.type === "AAAA") &&
      names.includes(String(r.inputs.name)) &&
      r.inputs.allowOverwrite !== true &&
      !r.retainOnDelete,
  );
  // Offline, a resource's id is its name and "-id": what a record's healthCheckId names.
  const checks = new Set(
    records.map((r) => r.inputs.healthCheckId).filter((id) => id !== undefined),
  );
  const healthChecks = lost.resources.filter(
    (r) => r.type === HEALTH_CHECK && checks.has(`${r.name}-id`),
  );
  return [...records, ...healthChecks].map((r) => r.urn).sort();
}

/** The one command that deletes them, and nothing else, from the lost stack. */
export function retireCommand(stack: string, targets: readonly string[]): string {
  return [`pulumi destroy -s ${stack}`, ...targets.map((urn) => `--target '${urn}'`)].join(
    " \\\n    ",
  );
}
