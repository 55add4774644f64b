// The engine refuses a second resource with a URN it has already registered ("Duplicate resource
// URN ...; try giving it a unique name"), so the plan does too: a plan with one is not what
// `pulumi up` would do. Pure.
import type { Plan, PlannedResource } from "./plan";

/** One line per URN registered more than once, naming both resources (type, name, parent). */
export function duplicateUrnProblems(plan: Plan): string[] {
  const byUrn = new Map<string, PlannedResource[]>();
  for (const resource of plan.resources) {
    byUrn.set(resource.urn, [...(byUrn.get(resource.urn) ?? []), resource]);
  }
  const problems: string[] = [];
  for (const [urn, resources] of byUrn) {
    const [first, second] = resources;
    if (!first || !second) continue;
    const parent = first.parent ? ` under ${lastName(first.parent)}` : "";
    problems.push(
      `duplicate resource URN ${urn}: two ${first.type} resources named ${first.name}${parent}` +
        `${distinction(first, second)}; the engine refuses the second: give one of them a unique name`,
    );
  }
  return problems;
}

/** What tells the two apart: a resource one depends on and the other does not. */
function distinction(first: PlannedResource, second: PlannedResource): string {
  const only = (a: PlannedResource, b: PlannedResource) =>
    a.dependencies.find((urn) => !b.dependencies.includes(urn));
  const one = only(first, second);
  const other = only(second, first);
  if (one === undefined || other === undefined) return "";
  return ` (one depends on ${lastName(one)}, the other on ${lastName(other)})`;
}

function lastName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
