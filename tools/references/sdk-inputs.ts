// The input properties of a Pulumi resource as the installed npm SDK declares them (its
// `<Name>Args` interface and the nested `inputs.*` types), so that a Terraform attribute path can
// be turned into the input path the program writes, and a wrong name fails instead of matching
// nothing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One declared property: the nested input type it holds, if any, and whether it is a list. */
export interface InputProperty {
  readonly nested?: string;
  readonly list: boolean;
}

export type InputShape = ReadonlyMap<string, InputProperty>;

// A property's first line; a type spanning lines (an inline map type) is cut, which is enough
// to tell a nested input type or a list from anything else.
const PROPERTY = /^\s+(\w+)\??: (.*)$/;

function property(typeText: string): InputProperty {
  const nested = /inputs\.([\w.]+)/.exec(typeText)?.[1];
  return { ...(nested ? { nested } : {}), list: /\[\]/.test(typeText) };
}

/** `inputs.<namespace>.<Interface>` -> its properties, from types/input.d.ts. */
function readNestedTypes(file: string): Map<string, InputShape> {
  const types = new Map<string, InputShape>();
  let namespace = "";
  let current: Map<string, InputProperty> | undefined;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const ns = /^export declare namespace (\w+) \{/.exec(line);
    if (ns) {
      namespace = ns[1] ?? "";
      continue;
    }
    const start = /^ {4}interface (\w+) \{/.exec(line);
    if (start) {
      current = new Map();
      types.set(`${namespace}.${start[1]}`, current);
      continue;
    }
    if (/^ {4}\}/.test(line)) {
      current = undefined;
      continue;
    }
    const prop = current && /^ {8}\w/.test(line) ? PROPERTY.exec(line) : null;
    if (current && prop) current.set(prop[1] ?? "", property(prop[2] ?? ""));
  }
  return types;
}

/** The properties of `export interface <Name>Args` in one resource's .d.ts. */
function readArgs(file: string, name: string): InputShape | undefined {
  const lines = readFileSync(file, "utf8").split("\n");
  const start = lines.indexOf(`export interface ${name}Args {`);
  if (start < 0) return undefined;
  const shape = new Map<string, InputProperty>();
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("}")) break;
    const prop = /^ {4}\w/.test(line) ? PROPERTY.exec(line) : null;
    if (prop) shape.set(prop[1] ?? "", property(prop[2] ?? ""));
  }
  return shape;
}

/** Reads a package's declarations on demand: `sdk.args("gcp:compute/disk:Disk")`. */
export class SdkInputs {
  private nested?: Map<string, InputShape>;

  constructor(private readonly packageDir: string) {}

  /** The Args interface of a resource token `pkg:module/file:Name`; undefined when unknown. */
  args(token: string): InputShape | undefined {
    const match = /^[\w-]+:([\w-]+)\/(\w+):(\w+)$/.exec(token);
    if (!match) return undefined;
    const [, module = "", fileName, name = ""] = match;
    // The package's own module ("index") sits at its root; a file is usually named after the
    // token's middle part, else after the class (`sSLPolicy` -> `sslpolicy.d.ts`).
    const dir = path.join(this.packageDir, module === "index" ? "" : module);
    const named = path.join(dir, `${fileName}.d.ts`);
    const declaration = `export interface ${name}Args {`;
    const file = existsSync(named)
      ? named
      : readdirSync(dir)
          .filter((f) => f.endsWith(".d.ts") && f.toLowerCase() === `${name.toLowerCase()}.d.ts`)
          .map((f) => path.join(dir, f))
          .find((f) => readFileSync(f, "utf8").includes(declaration));
    return file ? readArgs(file, name) : undefined;
  }

  type(name: string): InputShape | undefined {
    this.nested ??= readNestedTypes(path.join(this.packageDir, "types", "input.d.ts"));
    return this.nested.get(name);
  }
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The names the bridge may give a Terraform attribute: camelCased, and pluralised for lists. */
function candidates(attribute: string): string[] {
  const base = camel(attribute);
  const plural = base.endsWith("y") ? `${base.slice(0, -1)}ies` : `${base}s`;
  return [base, plural, `${base}es`];
}

export interface MappedPath {
  /** The input path as `ignoreChanges` writes it: `bootDisk.initializeParams.image`. */
  readonly input: string;
  /** Whether the last step is a list (a block rule then counts its elements). */
  readonly list: boolean;
}

/**
 * Maps a Terraform attribute path to the SDK's input path, checking each step against the
 * declared inputs; a list step is followed by `[*]`. Undefined when a step is not declared.
 */
export function mapPath(
  sdk: SdkInputs,
  token: string,
  attributes: readonly string[],
): MappedPath | undefined {
  let shape = sdk.args(token);
  let text = "";
  let list = false;
  for (const [i, attribute] of attributes.entries()) {
    if (!shape) return undefined;
    const name = candidates(attribute).find((c) => shape?.has(c));
    const prop = name ? shape.get(name) : undefined;
    if (!name || !prop) return undefined;
    text += text === "" ? name : `.${name}`;
    list = prop.list;
    if (i < attributes.length - 1) {
      if (prop.list) text += "[*]";
      shape = prop.nested ? sdk.type(prop.nested) : undefined;
    }
  }
  return { input: text, list };
}
