// Renders DOT to SVG with Graphviz compiled to WebAssembly: no system binary needed.
import { architectureDot } from "./diagram-dot";
import { buildArchitecture } from "./diagram-model";
import type { Plan } from "./plan";

export async function renderSvg(dot: string): Promise<string> {
  // The package is an ES module; a dynamic import loads it from this CommonJS program.
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, "svg");
}

/** The plan's architecture diagram as an SVG document. */
export async function architectureSvg(plan: Plan): Promise<string> {
  return renderSvg(architectureDot(buildArchitecture(plan)));
}
