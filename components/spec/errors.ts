// Config errors that a person can act on: the stack file, the key, the value, what is expected.
// Every problem prints as exactly one line: keys, values and messages may quote the file, and
// whatever the file holds (line breaks, terminal escapes) is shown escaped, never raw.

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

/**
 * Whether a character would break a line or drive a terminal: C0 and C1 controls (line breaks,
 * ESC, CSI), DEL, Unicode line and paragraph separators, and the bidirectional overrides that
 * reorder what is shown.
 */
function unprintable(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Text from a stack file, safe to print inside one line: every unprintable character escaped. */
export function printable(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += !unprintable(code)
      ? char
      : (ESCAPES[char] ?? `\\u${code.toString(16).padStart(4, "0")}`);
  }
  return out;
}

/** A key as written in a path: bare when it is a plain name, else quoted with escapes. */
function keySegment(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `.${key}` : `[${quote(key)}]`;
}

export function keyPath(configKey: string, path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}${keySegment(part)}`),
    configKey,
  );
}

/** One line: `Pulumi.us.yaml: multicloud:region.hosts.app.count = -1: expected ...`. */
export function formatProblem(file: string, configKey: string, problem: ConfigProblem): string {
  const key = keyPath(configKey, problem.path);
  const message = printable(problem.message);
  switch (problem.found.kind) {
    case "missing":
      return `${file}: ${key} is missing: ${message}`;
    case "unknown-key":
      return `${file}: ${key} is not a known key: ${message}`;
    case "value":
      return `${file}: ${key} = ${show(problem.found.value)}: ${message}`;
  }
}

const SHOWN_LENGTH = 60;

/** A short, single-line rendering of a config value, in the spellings YAML uses for numbers. */
export function show(value: unknown): string {
  const text = render(value, new Set()).replace(/\s+/g, " ");
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 3)}...` : text;
}

function quote(text: string): string {
  return `"${printable(text.replace(/\\/g, "\\\\").replace(/"/g, '\\"'))}"`;
}

/** JSON-like, but total: non-finite numbers as YAML writes them, cycles and binary named. */
function render(value: unknown, seen: Set<object>): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  if (value === null || value === undefined) return "null";
  if (typeof value !== "object") return printable(String(value));
  if (seen.has(value)) return "(itself)";
  if (ArrayBuffer.isView(value)) return `(binary, ${value.byteLength} bytes)`;
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => render(item, seen)).join(",")}]`;
    const entries = Object.entries(value).map(
      ([key, inner]) => `${quote(key)}:${render(inner, seen)}`,
    );
    return `{${entries.join(",")}}`;
  } finally {
    seen.delete(value);
  }
}
