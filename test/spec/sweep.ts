// Bad-input cases generated from the schema itself: for every key of the region spec, the key
// missing, a value of the wrong type, a value out of range, and an unknown key beside it. A new key
// gets its cases without anyone writing them; the sweep reads the schema the way a user's file is
// read (zod's own definitions), and walks the real stack files (and their rebuilds) for values.
import type { z } from "zod";

// biome-ignore lint/suspicious/noExplicitAny: the walk reaches into arbitrary parsed YAML
export type Raw = Record<string, any>;
export type Path = readonly (string | number)[];

/** The parts of zod's definitions that the sweep reads. */
interface Def {
  readonly type: string;
  readonly innerType?: Schema;
  readonly defaultValue?: unknown;
  readonly shape?: Record<string, Schema>;
  readonly element?: Schema;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly options?: readonly Schema[];
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, string>;
  readonly in?: Schema;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}
interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: string;
}
interface Schema {
  readonly _zod: { readonly def: Def };
}

export function asSchema(schema: z.ZodType): Schema {
  return schema as unknown as Schema;
}

function def(schema: Schema): Def {
  return schema._zod.def;
}

/** The schema under optional, default and pipes, and whether the key may be left out. */
export function unwrap(schema: Schema): { inner: Schema; optional: boolean; fallback?: unknown } {
  let inner = schema;
  let optional = false;
  let fallback: unknown;
  for (;;) {
    const d = def(inner);
    if ((d.type === "optional" || d.type === "default") && d.innerType) {
      optional = true;
      if (d.type === "default" && fallback === undefined) {
        fallback = typeof d.defaultValue === "function" ? d.defaultValue() : d.defaultValue;
      }
      inner = d.innerType;
    } else if (d.type === "pipe" && d.in) inner = d.in;
    else return { inner, optional, ...(fallback !== undefined ? { fallback } : {}) };
  }
}

function checks(schema: Schema): CheckDef[] {
  return (def(schema).checks ?? []).map((check) => check._zod.def);
}

/** A value of a type the schema does not take. */
export function wrongType(schema: Schema): unknown {
  switch (def(schema).type) {
    case "string":
    case "enum":
      return 12345;
    case "number":
      return "ten";
    case "boolean":
    case "literal":
      return typeof def(schema).values?.[0] === "string" ? 12345 : "yes";
    case "union":
      return "three";
    case "array":
      return "text";
    case "object":
    case "record":
      return ["a", "list"];
    default:
      throw new Error(`the sweep does not know schemas of type ${def(schema).type}`);
  }
}

/** Values inside the type but outside what the schema allows, each with what it tries. */
export function outOfRange(schema: Schema, current: unknown): { what: string; value: unknown }[] {
  const d = def(schema);
  const found: { what: string; value: unknown }[] = [];
  switch (d.type) {
    case "number": {
      for (const check of checks(schema)) {
        if (check.check === "greater_than" && check.value !== undefined)
          found.push({ what: "below the minimum", value: check.value - 1 });
        if (check.check === "less_than" && check.value !== undefined)
          found.push({ what: "above the maximum", value: check.value + 1 });
        if (check.check === "number_format" && check.format === "safeint")
          found.push({ what: "a fraction", value: 2.5 });
      }
      found.push({ what: "infinity", value: Number.POSITIVE_INFINITY });
      break;
    }
    case "string": {
      const max = checks(schema).find((check) => check.check === "max_length")?.maximum;
      if (max !== undefined) found.push({ what: "too long", value: "x".repeat(max + 1) });
      const shaped = checks(schema).some(
        (c) => c.check === "string_format" || c.check === "custom",
      );
      if (shaped) found.push({ what: "malformed", value: "!" });
      break;
    }
    case "enum":
      found.push({ what: "not an option", value: "not-an-option" });
      break;
    case "union":
      found.push({ what: "not an option", value: 4 });
      break;
    case "literal":
      found.push({ what: "not the one value", value: false });
      break;
    case "array": {
      const min = checks(schema).find((check) => check.check === "min_length")?.minimum;
      const max = checks(schema).find((check) => check.check === "max_length")?.maximum;
      if (min !== undefined && min > 0) found.push({ what: "too few", value: [] });
      const sample = Array.isArray(current) ? current[0] : undefined;
      if (max !== undefined && sample !== undefined)
        found.push({ what: "too many", value: Array.from({ length: max + 1 }, () => sample) });
      break;
    }
    default:
      break;
  }
  return found;
}

/** The keys of an object schema, and of every object inside it, reached by a value. */
export interface KeySite {
  /** The key's path below multicloud:region. */
  readonly path: Path;
  /** The key's schema (optional and defaults included). */
  readonly schema: Schema;
  /** Whether the (filled) base holds the key. */
  readonly present: boolean;
  readonly value: unknown;
  /** An entry of a mapping of names (tags, restores by database): it may always be left out. */
  readonly entry: boolean;
}

/** The object sites of a base: every mapping the schema describes, with the path to reach it. */
export interface ObjectSite {
  readonly path: Path;
  readonly keys: readonly string[];
}

/**
 * Every key site of a raw region, walking the schema: objects by their keys (defaults of absent
 * mappings are filled in, so their keys are reached too), lists and records through their first
 * element. `fill` records the defaults it used, so a case starts from a base that holds them.
 */
export function keySites(
  root: Schema,
  raw: Raw,
): { keys: KeySite[]; objects: ObjectSite[]; filled: Raw } {
  const filled = structuredClone(raw);
  const keys: KeySite[] = [];
  const objects: ObjectSite[] = [];
  const walk = (schema: Schema, holder: Raw, key: string | number, path: Path) => {
    const { inner, fallback } = unwrap(schema);
    if (holder[key] === undefined && fallback !== null && typeof fallback === "object")
      holder[key] = structuredClone(fallback);
    const value = holder[key];
    const d = def(inner);
    if (
      d.type === "object" &&
      d.shape &&
      value &&
      typeof value === "object" &&
      !Array.isArray(value)
    ) {
      objects.push({ path, keys: Object.keys(d.shape) });
      for (const [child, childSchema] of Object.entries(d.shape)) {
        const childPath = [...path, child];
        walk(childSchema, value, child, childPath);
        keys.push({
          path: childPath,
          schema: childSchema,
          present: Object.hasOwn(value, child),
          value: value[child],
          entry: false,
        });
      }
    } else if (d.type === "array" && d.element && Array.isArray(value) && value.length > 0) {
      walk(d.element, value, 0, [...path, 0]);
    } else if (d.type === "record" && d.valueType && value && typeof value === "object") {
      for (const entry of Object.keys(value).slice(0, 1)) {
        keys.push({
          path: [...path, entry],
          schema: d.valueType,
          present: true,
          value: value[entry],
          entry: true,
        });
        walk(d.valueType, value, entry, [...path, entry]);
      }
    }
  };
  walk(root, { root: filled }, "root", []);
  return { keys, objects, filled };
}

/** Every key path the schema allows, with `*` for list positions and mapping keys. */
export function schemaKeyPaths(root: Schema): string[] {
  const paths: string[] = [];
  const walk = (schema: Schema, path: string[]) => {
    const { inner } = unwrap(schema);
    const d = def(inner);
    if (d.type === "object" && d.shape) {
      for (const [key, child] of Object.entries(d.shape)) {
        paths.push([...path, key].join("."));
        walk(child, [...path, key]);
      }
    } else if (d.type === "array" && d.element) walk(d.element, [...path, "*"]);
    else if (d.type === "record" && d.valueType) {
      paths.push([...path, "*"].join("."));
      walk(d.valueType, [...path, "*"]);
    }
  };
  walk(root, []);
  return paths;
}

/** A path with list positions and mapping keys as `*`, to compare with schemaKeyPaths. */
export function genericPath(root: Schema, path: Path): string {
  const parts: string[] = [];
  let schema: Schema | undefined = root;
  for (const part of path) {
    const d: Def | undefined = schema ? def(unwrap(schema).inner) : undefined;
    if (d?.type === "object" && d.shape && typeof part === "string") {
      parts.push(part);
      schema = d.shape[part];
    } else if (d?.type === "array") {
      parts.push("*");
      schema = d.element;
    } else {
      parts.push("*");
      schema = d?.valueType;
    }
  }
  return parts.join(".");
}

/** Sets a value at a path of a raw region (every step exists in a filled base). */
export function setAt(raw: Raw, path: Path, value: unknown): void {
  const parent = path.slice(0, -1).reduce<Raw>((node, part) => node[part], raw);
  const last = path.at(-1);
  if (last === undefined) throw new Error("empty path");
  parent[last] = value;
}

export function deleteAt(raw: Raw, path: Path): void {
  const parent = path.slice(0, -1).reduce<Raw>((node, part) => node[part], raw);
  const last = path.at(-1);
  if (last !== undefined) delete parent[last];
}

/** The key as a user reads it in a message: multicloud:region.a.b[0].c (plain names only). */
export function keyText(path: Path): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : `${text}.${part}`),
    "multicloud:region",
  );
}
