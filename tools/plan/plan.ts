// The plan: what `pulumi up` would create, as data. Its JSON form is a stable interface that
// other tools (diff, policy, benchmarks) read.

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent resource; absent only for the stack itself and default providers. */
  readonly parent?: string;
  /** True for resources a provider manages; false for components and the stack. */
  readonly custom: boolean;
  /** URN of the provider resource used for it (custom resources only). */
  readonly provider?: string;
  readonly protect: boolean;
  /** URNs of the resources it depends on, explicit or through its inputs. */
  readonly dependencies: readonly string[];
  /** Inputs as sent to the provider; secret values are replaced by "[secret]". */
  readonly inputs: Record<string, unknown>;
  readonly ignoreChanges: readonly string[];
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** Earlier URNs this resource answers to (kept when code is refactored). */
  readonly aliases: readonly string[];
  /** Set for what the program reads rather than creates (a stack reference, a `get`). */
  readonly read?: boolean;
}

export interface Plan {
  readonly stack: string;
  readonly project: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Record<string, unknown>;
}

export const SECRET = "[secret]";

/** The provider reference `urn::id` that the engine uses, reduced to the provider's URN. */
export function providerUrn(reference: string): string | undefined {
  if (!reference) return undefined;
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}
