// Config errors that a person can act on: the stack file, the key, the value, what is expected.

export interface ConfigProblem {
  /** Key path below the config key, e.g. ["hosts", "app", "count"]. */
  readonly path: readonly (string | number)[];
  /** What the value should be, starting with "expected", or a sentence of its own. */
  readonly message: string;
  /** How the value at the path was found; absent keys print as "is missing". */
  readonly found: { kind: "value"; value: unknown } | { kind: "missing" } | { kind: "unknown-key" };
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly configKey: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((problem) => formatProblem(file, configKey, problem)).join("\n"));
    this.name = "ConfigError";
  }
}

export function keyPath(configKey: string, path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${part}`),
    configKey,
  );
}

/** One line: `Pulumi.us.yaml: multicloud:region.hosts.app.count = -1: expected ...`. */
export function formatProblem(file: string, configKey: string, problem: ConfigProblem): string {
  const key = keyPath(configKey, problem.path);
  // A message may quote a value from the file; a line break in it must not break the line.
  const message = problem.message.replace(/\r?\n/g, "\\n");
  switch (problem.found.kind) {
    case "missing":
      return `${file}: ${key} is missing: ${message}`;
    case "unknown-key":
      return `${file}: ${key} is not a known key: ${message}`;
    case "value":
      return `${file}: ${key} = ${show(problem.found.value)}: ${message}`;
  }
}

/** A short, single-line rendering of a config value. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
