// Copies of a real plan with one resource changed, for showing that a rule catches the change.
import type { Plan, PlannedResource } from "../../tools/plan/plan";

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into arbitrary input shapes per type
export type Raw = Record<string, any>;

/** A resource copy a test may change: its inputs and its protect option. */
export interface Editable {
  readonly urn: string;
  inputs: Raw;
  protect: boolean;
}

export class PlanEditor {
  private resources: PlannedResource[];

  constructor(private readonly original: Plan) {
    this.resources = [...original.resources];
  }

  /** The one resource with this logical name (and type, when names are shared). */
  find(name: string, type?: string): PlannedResource {
    const found = this.resources.filter(
      (resource) =>
        resource.name === name && resource.custom && (type === undefined || resource.type === type),
    );
    if (found.length !== 1)
      throw new Error(`${found.length} resources named ${name}${type ? ` of type ${type}` : ""}`);
    return found[0] as PlannedResource;
  }

  /** Replaces the resource with a deep copy and returns the copy for changing. */
  edit(name: string, type?: string): Editable {
    const target = this.find(name, type);
    const copy = structuredClone(target) as PlannedResource & Editable;
    this.resources = this.resources.map((resource) => (resource === target ? copy : resource));
    return copy;
  }

  remove(name: string, type?: string): void {
    const target = this.find(name, type);
    this.resources = this.resources.filter((resource) => resource !== target);
  }

  plan(): Plan {
    return { ...this.original, resources: this.resources };
  }
}
