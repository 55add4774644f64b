// The rebuild's stack file as YAML, with a header and a comment above every key that differs from
// the replaced stack and says why. Short lists and small mappings are written inline, as the
// stack files of this repository are. Pure.
import { Document, isMap, isScalar, type Node, Scalar, visit } from "yaml";
import { REGION_CONFIG_KEY } from "../../components/spec/load";
import type { DrStackFile } from "./make-dr-spec";

const WIDTH = 88;
/** Times stay strings for every YAML reader (YAML 1.1 readers would take them as timestamps). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;
/** Values that read the same in any YAML flow collection. */
const SIMPLE = /^[A-Za-z0-9 ._/@-]*$/;

function inline(node: unknown): boolean {
  if (!isScalar(node)) return false;
  return typeof node.value !== "string" || (SIMPLE.test(node.value) && !TIMESTAMP.test(node.value));
}

export function renderDrStackFile(file: DrStackFile): string {
  const document = new Document({ config: file.config });
  const comments = new Map<string, string[]>();
  for (const note of file.notes) {
    const key = note.path.join("\u0000");
    comments.set(key, [...(comments.get(key) ?? []), ...wrap(note.text)]);
  }
  for (const [key, text] of comments) {
    attach(document, key.split("\u0000"), text);
  }
  visit(document, {
    Scalar(_, node: Node) {
      if (node instanceof Scalar && typeof node.value === "string" && TIMESTAMP.test(node.value))
        node.type = Scalar.QUOTE_DOUBLE;
    },
    Seq(_, node) {
      if (node.items.every(inline)) node.flow = true;
    },
    Map(_, node) {
      const small = node.items.length <= 4;
      const plain = node.items.every(
        (item) => inline(item.value) && !(isScalar(item.key) && item.key.commentBefore),
      );
      if (small && plain) node.flow = true;
    },
  });
  document.commentBefore = file.header
    .flatMap(wrap)
    .map((line) => ` ${line}`)
    .join("\n");
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Puts comment lines above the key at `path` below the region. */
function attach(document: Document, path: readonly string[], text: readonly string[]): void {
  const parentPath = ["config", REGION_CONFIG_KEY, ...path.slice(0, -1)];
  const parent = document.getIn(parentPath, true);
  const last = path.at(-1);
  if (!isMap(parent) || last === undefined) {
    throw new Error(`no mapping at ${parentPath.join(".")} for a comment`);
  }
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
  if (!pair || !isScalar(pair.key)) throw new Error(`no key ${path.join(".")} for a comment`);
  pair.key.commentBefore = text.map((line) => ` ${line}`).join("\n");
}

/** Breaks text into lines of at most WIDTH characters at spaces, keeping each line's indent. */
export function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    const indent = /^ */.exec(paragraph)?.[0] ?? "";
    let line = "";
    for (const word of paragraph.slice(indent.length).split(" ")) {
      if (line !== "" && indent.length + line.length + 1 + word.length > WIDTH) {
        lines.push(`${indent}${line}`);
        line = word;
      } else {
        line = line === "" ? word : `${line} ${word}`;
      }
    }
    lines.push(`${indent}${line}`);
  }
  return lines;
}
