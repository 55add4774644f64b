// A stack file's text to its `config` mapping, or one line that says what is wrong with it. The
// whole walk over the document happens here, inside the error handling: a YAML problem of any
// kind (syntax, an alias that contains itself, a list used as a key) is the file's problem, never
// a crash of the tool that reads it.
import { isAlias, isCollection, isPair, LineCounter, parseDocument, visit } from "yaml";
import { printable } from "./errors";

export class StackFileError extends Error {
  override name = "StackFileError";
}

export interface StackFileDocument {
  /** The `config` mapping as written: keys as in the file, values as YAML gives them. */
  readonly config: Record<string, unknown>;
}

/**
 * Files parsed in this process, by name and text: a plan reads its own stack file, then again
 * among its peers. Each caller gets a copy of its own.
 */
const parsedFiles = new Map<string, Record<string, unknown>>();

/** Parses a stack file; every problem is a StackFileError of one line naming the file. */
export function parseStackFile(text: string, file: string): StackFileDocument {
  const key = `${file}\0${text}`;
  let config = parsedFiles.get(key);
  if (config === undefined) {
    config = parseConfig(text, file);
    parsedFiles.set(key, config);
    // Past 32 the oldest goes: a process that reads many regions keeps only recent ones.
    if (parsedFiles.size > 32) parsedFiles.delete(parsedFiles.keys().next().value as string);
  }
  return { config: structuredClone(config) };
}

function parseConfig(text: string, file: string): Record<string, unknown> {
  const invalid = (detail: string) =>
    new StackFileError(`${file}: not valid YAML: ${printable(detail)}`);
  const lineCounter = new LineCounter();
  let document: unknown;
  try {
    const parsed = parseDocument(text, { lineCounter, prettyErrors: true, logLevel: "error" });
    const [error] = parsed.errors;
    // Pretty errors carry the position ("... at line 3, column 1:") and then a code frame.
    if (error) throw invalid(firstLine(error.message).replace(/:$/, ""));
    const where = (offset: number) => {
      const { line, col } = lineCounter.linePos(offset);
      return `line ${line}, column ${col}`;
    };
    visit(parsed, {
      Alias(_, alias) {
        const target = alias.resolve(parsed);
        if (!target)
          throw invalid(
            `the alias *${alias.source} at ${where(alias.range?.[0] ?? 0)} has no anchor`,
          );
        const [start = 0, , end = 0] = target.range ?? [];
        const at = alias.range?.[0] ?? 0;
        if (at >= start && at < end) {
          throw invalid(
            `the alias *${alias.source} at ${where(at)} is inside the value it names (a value cannot contain itself)`,
          );
        }
      },
      Pair(_, pair) {
        if (isPair(pair) && (isCollection(pair.key) || isAlias(pair.key))) {
          const offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
          throw invalid(
            `the key at ${where(offset)} is a list, mapping or alias: keys must be text`,
          );
        }
      },
    });
    // Warnings are the file's problems too, and are never printed by the library itself.
    document = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof StackFileError) throw error;
    throw invalid(firstLine(error instanceof Error ? error.message : String(error)));
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new StackFileError(`${file}: expected a mapping with a config key at the top`);
  }
  const config = (document as { config?: unknown }).config ?? {};
  if (
    config === null ||
    typeof config !== "object" ||
    Array.isArray(config) ||
    ArrayBuffer.isView(config)
  ) {
    throw new StackFileError(`${file}: config is not a mapping of keys to values`);
  }
  return config as Record<string, unknown>;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
