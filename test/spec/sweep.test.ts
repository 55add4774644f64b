// The generated sweep: every key of the region spec, in every stack file that reaches it (and the
// rebuilds `npm run dr` writes), missing, of the wrong type, out of range, and with an unknown key
// beside it. Each bad input ends in exactly one line that names the file and the key and says what
// is expected, in the program's words (never the schema library's).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import { regionSchema } from "../../components/spec/schema";
import { makeDrStackFile } from "../../tools/dr/make-dr-spec";
import { rawRegion } from "../support/stacks";
import {
  asSchema,
  deleteAt,
  genericPath,
  keySites,
  keyText,
  outOfRange,
  type Path,
  type Raw,
  schemaKeyPaths,
  setAt,
  unwrap,
  wrongType,
} from "./sweep";

const root = asSchema(regionSchema);

/** The schema library's own wording: a message in it means a schema piece lacks its own. */
const LIBRARY_WORDING =
  /Invalid input|Invalid option|Invalid element|Too small|Too big|Unrecognized key|received (?:string|number|array|object|boolean|undefined)/;

function rebuild(stack: "us" | "uk" | "jp", to: string): Raw {
  const file = makeDrStackFile({
    stack,
    config: { [REGION_CONFIG_KEY]: rawRegion(stack) },
    to,
    now: new Date("2025-06-10T04:00:00Z"),
  });
  return file.config[REGION_CONFIG_KEY] as Raw;
}

const bases: { file: string; raw: Raw }[] = [
  { file: "Pulumi.jp.yaml", raw: rawRegion("jp") },
  { file: "Pulumi.us.yaml", raw: rawRegion("us") },
  { file: "Pulumi.uk.yaml", raw: rawRegion("uk") },
  { file: "Pulumi.us-dr.yaml", raw: rebuild("us", "us-east-1") },
  { file: "Pulumi.uk-dr.yaml", raw: rebuild("uk", "europe-west1") },
  { file: "Pulumi.jp-dr.yaml", raw: rebuild("jp", "is1a") },
];

type Expect =
  | { kind: "one-line"; prefix: string }
  | { kind: "unknown-key"; line: string }
  | { kind: "accepted-or-clear" };

interface SweepCase {
  readonly title: string;
  readonly generic: string;
  readonly file: string;
  readonly raw: Raw;
  readonly expect: Expect;
}

function problemLines(raw: unknown, file: string): string[] {
  try {
    parseRegionSpec(raw, file);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, `not a config error: ${String(error)}`);
    return error.message.split("\n");
  }
}

function casesOf(base: { file: string; raw: Raw }): SweepCase[] {
  const { keys, objects, filled } = keySites(root, base.raw);
  const cases: SweepCase[] = [];
  const add = (title: string, path: Path, expect: Expect, change: (raw: Raw) => void) => {
    const raw = structuredClone(filled);
    change(raw);
    cases.push({
      title: `${base.file} ${keyText(path)}: ${title}`,
      generic: `${genericPath(root, path)} ${title}`,
      file: base.file,
      raw,
      expect,
    });
  };
  const valueLine = (path: Path) => ({
    kind: "one-line" as const,
    prefix: `${base.file}: ${keyText(path)} = `,
  });
  for (const site of keys) {
    const { inner, optional } = unwrap(site.schema);
    if (site.present && !site.entry) {
      add(
        "missing",
        site.path,
        optional
          ? { kind: "accepted-or-clear" }
          : { kind: "one-line", prefix: `${base.file}: ${keyText(site.path)} is missing: ` },
        (raw) => deleteAt(raw, site.path),
      );
    }
    add("wrong type", site.path, valueLine(site.path), (raw) =>
      setAt(raw, site.path, wrongType(inner)),
    );
    for (const bad of outOfRange(inner, site.value)) {
      add(`out of range (${bad.what})`, site.path, valueLine(site.path), (raw) =>
        setAt(raw, site.path, bad.value),
      );
    }
  }
  for (const object of objects) {
    const path = [...object.path, "zzUnknown"];
    add(
      "unknown sibling",
      path,
      {
        kind: "unknown-key",
        line: `${base.file}: ${keyText(path)} is not a known key: expected only the keys ${object.keys.join(", ")}`,
      },
      (raw) => setAt(raw, path, 1),
    );
  }
  return cases;
}

/** One case per key and kind of mistake: the first base that reaches the key has it. */
function allCases(): SweepCase[] {
  const seen = new Set<string>();
  return bases.flatMap(casesOf).filter((c) => {
    const first = !seen.has(c.generic);
    seen.add(c.generic);
    return first;
  });
}

describe("generated bad-input sweep", () => {
  const cases = allCases();

  it("starts from bases that are valid", () => {
    for (const base of bases) {
      assert.deepEqual(problemLines(keySites(root, base.raw).filled, base.file), []);
    }
  });

  it("reaches every key the schema has", () => {
    const reached = new Set(cases.map((c) => c.generic.split(" ")[0]));
    const unreached = schemaKeyPaths(root).filter((path) => !reached.has(path));
    assert.deepEqual(unreached, [], "give these keys' parents a value in a base");
    assert.ok(cases.length > 300, `only ${cases.length} cases`);
  });

  for (const c of cases) {
    it(c.title, () => {
      const lines = problemLines(c.raw, c.file);
      for (const line of lines) {
        assert.doesNotMatch(line, LIBRARY_WORDING);
        assert.match(
          line,
          /^Pulumi\.[a-z-]+\.yaml: multicloud:region\S* (?:=|is missing:|is not a known key:) /,
        );
      }
      switch (c.expect.kind) {
        case "one-line": {
          assert.equal(lines.length, 1, lines.join("\n"));
          const [line = ""] = lines;
          assert.ok(
            line.startsWith(c.expect.prefix),
            `${line}\ndoes not start with\n${c.expect.prefix}`,
          );
          assert.match(line.slice(c.expect.prefix.length), /(?:^|: )expected /);
          assert.doesNotMatch(
            line,
            / = null:/,
            "a value shown as null that the file does not hold",
          );
          break;
        }
        case "unknown-key":
          assert.deepEqual(lines, [c.expect.line]);
          break;
        case "accepted-or-clear":
          for (const line of lines) assert.match(line, /: expected /);
          break;
      }
    });
  }
});
