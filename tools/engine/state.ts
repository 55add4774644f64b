// Reading a stack's state as `pulumi stack export` prints it: the resources, and the plaintext of
// every secret (from an export with --show-secrets), to look for in the stored state. Pure.

/** The property that marks a secret value in the engine's JSON. */
export const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly external: boolean;
  readonly parent?: string;
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

export function stateResources(exported: unknown): StateResource[] {
  const resources = (exported as { deployment?: { resources?: unknown[] } } | null)?.deployment
    ?.resources;
  if (!Array.isArray(resources)) throw new Error("not a stack export: no deployment.resources");
  return resources.map((raw) => {
    const r = raw as Record<string, unknown>;
    return {
      urn: String(r.urn),
      type: String(r.type),
      custom: r.custom === true,
      protect: r.protect === true,
      external: r.external === true,
      ...(typeof r.parent === "string" ? { parent: r.parent } : {}),
      ...(typeof r.provider === "string" ? { provider: r.provider } : {}),
      dependencies: Array.isArray(r.dependencies) ? r.dependencies.map(String) : [],
      inputs: (r.inputs ?? {}) as Record<string, unknown>,
      outputs: (r.outputs ?? {}) as Record<string, unknown>,
    };
  });
}

/**
 * The value of every secret that is a string, from an export made with --show-secrets, at least
 * `minLength` long (shorter values, such as "true", would be found anywhere). Strings inside a
 * secret object are left out: a secret connection object also holds the host's public address.
 */
export function secretPlaintexts(exportedWithSecrets: unknown, minLength = 8): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (SECRET_SIGNATURE in record && typeof record.plaintext === "string") {
      const plaintext = JSON.parse(record.plaintext) as unknown;
      if (typeof plaintext === "string" && plaintext.length >= minLength) found.add(plaintext);
      else walk(plaintext);
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(exportedWithSecrets);
  return [...found].sort();
}

/** How many secrets an export holds as ciphertext. */
export function ciphertextCount(exported: unknown): number {
  let count = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (SECRET_SIGNATURE in record && typeof record.ciphertext === "string") count++;
      else Object.values(record).forEach(walk);
    }
  };
  walk(exported);
  return count;
}
