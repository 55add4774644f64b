// Mutations of a stack file's `multicloud:region` value: wrong types at every leaf, numbers out of
// range, missing and unknown keys at every level, malformed and overlapping CIDRs, odd strings,
// and the values YAML makes of its special words.
import { parse } from "yaml";

export type Path = readonly (string | number)[];

export interface Mutation {
  readonly category: string;
  readonly path: Path;
  /** Sets the value at the path, or deletes the key or element when `remove` is true. */
  readonly remove?: boolean;
  readonly value?: unknown;
}

const WRONG_TYPES: readonly unknown[] = [
  0,
  1,
  -1,
  1.5,
  "text",
  "",
  true,
  false,
  null,
  [],
  {},
  ["a"],
  { a: 1 },
];

const NUMBERS: readonly unknown[] = [
  -1,
  0,
  1,
  2,
  3,
  4,
  5,
  7,
  8,
  16,
  28,
  32,
  100,
  1000,
  65_535,
  65_536,
  1e9,
  Number.MAX_SAFE_INTEGER + 2,
  2.5,
  0.1,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const ODD_STRINGS: readonly string[] = [
  "",
  " ",
  "a".repeat(10_000),
  "ü",
  "日本語",
  "🚀",
  "\u200b",
  "\u202eevil",
  "line\nbreak",
  "tab\there",
  "{{x}}",
  "$(id)",
  "'; DROP TABLE x; --",
  "  padded  ",
  "UPPER",
  "with space",
  "../..",
  "%00",
  "\u0000",
  "yes",
  "no",
  "on",
  "off",
  "null",
  "~",
  "true",
  "false",
  "NaN",
  ".inf",
  "-0",
  "0x10",
  "1e3",
];

/** What YAML itself makes of special words written without quotes. */
const YAML_WORDS = [
  "~",
  "null",
  "Null",
  "yes",
  "no",
  "on",
  "off",
  "true",
  "True",
  "false",
  ".nan",
  ".inf",
  "-.inf",
  "-0",
  "+0",
  "0x10",
  "0o17",
  "1e3",
  "1_000",
  "2024-01-01",
  "'quoted'",
];
const YAML_VALUES: readonly unknown[] = YAML_WORDS.map((word) => parse(word) as unknown);

const CIDR_SHAPE = /^\d+\.\d+\.\d+\.\d+\/\d+$/;
const BAD_CIDRS: readonly string[] = [
  "10.0.0.0",
  "10.0.0.0/",
  "/16",
  "10.0.0.0/33",
  "10.0.0.0/-1",
  "10.0.0.0/1.5",
  "256.0.0.0/8",
  "10.0.0/16",
  "10.0.0.0.0/16",
  "10.0.0.1/16",
  "0.0.0.0/0",
  "8.8.8.0/24",
  "::/0",
  "fe80::/10",
  "10.0.0.0/16 ",
  " 10.0.0.0/16",
  "010.000.000.000/16",
  "10.0.0.0/016",
  "10.0.0.0/8",
  "10.0.0.0/30",
  "1.2.3.4/32",
  "10.0.0.0\n/16",
  "10.0.0.0/16/16",
  "a.b.c.d/16",
];

const UNKNOWN_KEYS = ["unexpected", "Unexpected", "x-y", "__proto__", "constructor", "toString"];

interface Node {
  readonly path: Path;
  readonly value: unknown;
}

function walk(value: unknown, path: Path = []): Node[] {
  const here: Node = { path, value };
  if (Array.isArray(value))
    return [here, ...value.flatMap((item, index) => walk(item, [...path, index]))];
  if (value !== null && typeof value === "object")
    return [here, ...Object.entries(value).flatMap(([key, inner]) => walk(inner, [...path, key]))];
  return [here];
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === "object";
}

/** Every mutation of a region value; `peerCidrs` are other stacks' ranges, for overlaps. */
export function mutationsOf(raw: unknown, peerCidrs: readonly string[]): Mutation[] {
  const nodes = walk(raw);
  const leaves = nodes.filter((node) => !isContainer(node.value));
  const containers = nodes.filter((node) => isContainer(node.value));
  const cidrs = leaves.filter(
    (node) => typeof node.value === "string" && CIDR_SHAPE.test(node.value),
  );
  const out: Mutation[] = [];
  const set = (category: string, path: Path, value: unknown) => out.push({ category, path, value });

  for (const value of [null, undefined, "us", 42, [], {}, [raw]]) set("whole value", [], value);
  for (const node of nodes) {
    if (node.path.length === 0) continue;
    for (const value of WRONG_TYPES) set("wrong type", node.path, value);
    out.push({ category: "missing", path: node.path, remove: true });
  }
  for (const node of leaves) {
    if (typeof node.value === "number")
      for (const value of NUMBERS) set("number out of range", node.path, value);
    if (typeof node.value === "string") {
      for (const value of ODD_STRINGS) set("odd string", node.path, value);
      set("odd string", node.path, `${node.value}${"x".repeat(300)}`);
      set("odd string", node.path, node.value.toUpperCase());
    }
    for (const value of YAML_VALUES) set("yaml special", node.path, value);
  }
  for (const node of containers) {
    for (const key of UNKNOWN_KEYS) set("unknown key", [...node.path, key], "value");
    if (Array.isArray(node.value)) {
      set("list shape", node.path, []);
      set("list shape", node.path, [...node.value, ...node.value]);
      set("list shape", node.path, node.value[0]);
    }
  }
  for (const node of cidrs) {
    for (const value of BAD_CIDRS) set("malformed cidr", node.path, value);
    for (const other of cidrs) {
      if (other === node) continue;
      set("overlapping cidr", node.path, other.value);
      const [address = ""] = String(other.value).split("/");
      set("overlapping cidr", node.path, `${address.split(".")[0]}.0.0.0/8`);
    }
    for (const peer of peerCidrs) set("overlapping cidr", node.path, peer);
  }
  return out;
}

/** A copy of the raw value with the mutation applied (unchanged when its parent is gone). */
export function applyMutation(raw: unknown, mutation: Mutation): unknown {
  if (mutation.path.length === 0) return mutation.remove ? undefined : mutation.value;
  const copy = structuredClone(raw);
  let parent: unknown = copy;
  for (const part of mutation.path.slice(0, -1)) {
    if (parent === null || typeof parent !== "object") return copy;
    parent = (parent as Record<string | number, unknown>)[part];
  }
  if (parent === null || typeof parent !== "object") return copy;
  const last = mutation.path[mutation.path.length - 1] as string | number;
  if (mutation.remove) {
    if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
    else delete (parent as Record<string | number, unknown>)[last];
  } else {
    // An own property even for names such as __proto__, as a YAML mapping key would be.
    Object.defineProperty(parent, last, {
      value: mutation.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
