// Small hand-made plans for the diff and diagram tests, and an XML well-formedness check.
import type { Plan, PlannedResource } from "../../tools/plan/plan";

export const STACK_URN = "urn:pulumi:t::multicloud::pulumi:pulumi:Stack::multicloud-t";

/** A URN under the stack; `chain` is the parent types then the type, joined by `$`. */
export function urn(chain: string, name: string): string {
  return `urn:pulumi:t::multicloud::${chain}::${name}`;
}

/** A resource with the plan's defaults: custom, unprotected, no options, under the stack. */
export function resource(
  type: string,
  name: string,
  fields: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    parent: STACK_URN,
    custom: true,
    protect: false,
    dependencies: [],
    inputs: {},
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    ...fields,
  };
}

export const stackResource: PlannedResource = {
  ...resource("pulumi:pulumi:Stack", "multicloud-t", { custom: false }),
  urn: STACK_URN,
  parent: undefined,
};

/** A plan of stack "t" holding the stack resource and `resources`. */
export function plan(...resources: PlannedResource[]): Plan {
  return {
    stack: "t",
    project: "multicloud",
    resources: [stackResource, ...resources],
    outputs: {},
  };
}

/**
 * Throws unless `text` is well-formed XML: one root, every tag closed in order, attributes
 * quoted, `&` only in entity references, no `<` in text.
 */
export function assertWellFormedXml(text: string): void {
  const body = text
    .replace(/^<\?xml[^?]*\?>/, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/, "");
  const open: string[] = [];
  let roots = 0;
  const tag =
    /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const checkText = (chunk: string) => {
    if (chunk.includes("<")) throw new Error(`stray "<" near: ${chunk.slice(0, 60)}`);
    const bad = /&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.exec(chunk);
    if (bad) throw new Error(`bare "&" near: ${chunk.slice(bad.index, bad.index + 30)}`);
  };
  let at = 0;
  while (at < body.length) {
    const next = body.indexOf("<", at);
    checkText(body.slice(at, next < 0 ? body.length : next));
    if (next < 0) break;
    tag.lastIndex = next;
    const match = tag.exec(body);
    if (!match) throw new Error(`malformed tag near: ${body.slice(next, next + 80)}`);
    const [whole, closing, name, attributes = "", selfClosing] = match;
    checkText(attributes);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected ?? "nothing"}>`);
    } else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name ?? "");
    } else if (open.length === 0) roots++;
    at = next + whole.length;
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join("><")}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}

/** The text of every `<text>` element of an SVG, entities decoded (Graphviz writes `-` as `&#45;`). */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? "")
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
        String.fromCodePoint(Number.parseInt(code, 16)),
      )
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&")
      .trim(),
  );
}
