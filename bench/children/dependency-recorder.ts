// Which resources each input of each registration came from, as the SDK tells the engine
// (RegisterResourceRequest.propertyDependencies), named by the plan's URNs. The mock monitor
// answers with URNs of its own form (below the first level they differ from the engine's), so the
// names are translated by the plan's monitor once the plan is done: compared with the plan's
// dependencies in another form, every dependency would look like a `dependsOn` edge.

/** Fields of the engine's RegisterResourceRequest read here (a protobuf message). */
export interface RegisterRequest {
  getType(): string;
  /** True for a custom resource (providers included), false for a component or the stack. */
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}
type Callback = (error: unknown, response: { getUrn(): string } | undefined) => void;
type Register = (this: unknown, req: RegisterRequest, callback: Callback) => Promise<void>;

/** Per resource URN, per input name, the URNs of the resources the input's value came from. */
export type PropertyDependencies = Record<string, Record<string, string[]>>;

export interface DependencyRecorder {
  /** What was recorded so far, in the plan's (engine) URN form. */
  inPlanForm(): PropertyDependencies;
  /**
   * How many `dependsOn` edges the program registered, counted in each request's own terms (its
   * dependencies that none of its inputs carries, every URN in the mock's form): what the count
   * over the plan's URNs must equal.
   */
  dependsOnAtRegistration(): number;
}

interface EngineNamer {
  engineUrnOf(mockUrn: string): string;
}

/**
 * Wraps `registerResource` of a mock monitor's prototype (the plan's monitor calls it for every
 * registration), observing without changing anything; `onRegister` sees each request as it arrives.
 */
export function recordDependencies(
  prototype: object,
  onRegister?: (request: RegisterRequest) => void,
): DependencyRecorder {
  const byMockUrn = new Map<string, Record<string, string[]>>();
  let monitor: Partial<EngineNamer> | undefined;
  let dependsOn = 0;
  const target = prototype as { registerResource: Register };
  const register = target.registerResource;
  target.registerResource = function (this: unknown, req, callback) {
    onRegister?.(req);
    monitor ??= this as Partial<EngineNamer>;
    const properties: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      properties[key] = deps.getUrnsList();
    });
    const carried = new Set(Object.values(properties).flat());
    dependsOn += new Set(req.getDependenciesList().filter((urn) => !carried.has(urn))).size;
    return register.call(this, req, (error, response) => {
      if (response) byMockUrn.set(response.getUrn(), properties);
      callback(error, response);
    });
  };
  return {
    inPlanForm() {
      if (byMockUrn.size === 0) return {};
      const namer = monitor?.engineUrnOf?.bind(monitor);
      if (!namer) throw new Error("the plan's monitor does not name resources by engine URNs");
      const renamed: PropertyDependencies = {};
      for (const [urn, properties] of byMockUrn) {
        renamed[namer(urn)] = Object.fromEntries(
          Object.entries(properties).map(([key, urns]) => [
            key,
            [...new Set(urns.map(namer))].sort(),
          ]),
        );
      }
      return renamed;
    },
    dependsOnAtRegistration: () => dependsOn,
  };
}

/** Per resource, every resource any of its inputs came from. */
export function inputDependencies(
  properties: Readonly<PropertyDependencies>,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(properties).map(([urn, byInput]) => [
      urn,
      [...new Set(Object.values(byInput).flat())].sort(),
    ]),
  );
}
