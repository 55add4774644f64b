// The architecture as Graphviz DOT: one cluster per cloud (nested for VPCs, GKE, dedicated
// servers), HTML labels with a bold title and small print, tiers on shared rows. Pure.
import type { Architecture, Cloud, DiagramGroup, DiagramNode } from "./diagram-types";

const CLOUD_STYLE: Readonly<Record<Cloud, { fill: string; border: string }>> = {
  aws: { fill: "#FFF4E0", border: "#E08A00" },
  gcp: { fill: "#E8F0FE", border: "#3B78E7" },
  sakura: { fill: "#FCE8F1", border: "#C2185B" },
  internet: { fill: "#F3F3F3", border: "#777777" },
};

const FONT = "Arial";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function nodeLabel(node: DiagramNode): string {
  const [title = "", ...rest] = node.lines;
  const small = rest.map(
    (line) => `<br/><font point-size="10" color="#444444">${escapeHtml(line)}</font>`,
  );
  return `<<b>${escapeHtml(title)}</b>${small.join("")}>`;
}

function nodeStatement(node: DiagramNode, groups: readonly DiagramGroup[]): string {
  const cloud = groups.find((g) => g.id === node.group)?.cloud ?? "internet";
  const style = CLOUD_STYLE[cloud];
  const attributes = [
    `label=${nodeLabel(node)}`,
    `shape=${node.shape}`,
    `style=${quote(node.shape === "note" || node.shape === "cylinder" ? "filled" : "rounded,filled")}`,
    `fillcolor=${quote("#FFFFFF")}`,
    `color=${quote(style.border)}`,
  ];
  return `${node.id} [${attributes.join(", ")}];`;
}

export function architectureDot(architecture: Architecture): string {
  const { groups, nodes, edges } = architecture;
  const lines: string[] = [
    "digraph architecture {",
    `  graph [rankdir=TB, newrank=true, compound=true, fontname=${quote(FONT)}, fontsize=16, labelloc=t, label=<<b>${escapeHtml(architecture.title)}</b><br/><font point-size="11" color="#555555">${escapeHtml(architecture.subtitle)}</font>>, nodesep=0.35, ranksep=0.5, pad=0.3];`,
    `  node [fontname=${quote(FONT)}, fontsize=12, margin="0.22,0.1", penwidth=1.4];`,
    `  edge [fontname=${quote(FONT)}, fontsize=10, color="#555555", fontcolor="#333333", arrowsize=0.7];`,
  ];
  const emitGroup = (group: DiagramGroup, indent: string) => {
    const style = CLOUD_STYLE[group.cloud];
    lines.push(`${indent}subgraph cluster_${group.id} {`);
    lines.push(
      `${indent}  label=<<b>${escapeHtml(group.label)}</b><br align="left"/>${group.note ? `<font point-size="10">${escapeHtml(group.note)}</font><br align="left"/>` : ""}>; labeljust=l; style="rounded,filled"; fillcolor=${quote(style.fill)}; color=${quote(style.border)}; penwidth=1.6; fontsize=13;`,
    );
    for (const child of groups.filter((g) => g.parent === group.id))
      emitGroup(child, `${indent}  `);
    for (const node of nodes.filter((n) => n.group === group.id))
      lines.push(`${indent}  ${nodeStatement(node, groups)}`);
    lines.push(`${indent}}`);
  };
  for (const group of groups.filter((g) => !g.parent)) emitGroup(group, "  ");
  for (const node of nodes.filter((n) => !n.group || !groups.some((g) => g.id === n.group)))
    lines.push(`  ${nodeStatement(node, groups)}`);
  if (nodes.some((n) => n.id === "users")) lines.push("  { rank=min; users; }");
  for (const tier of ["front", "web", "app", "data", "dns"] as const) {
    const members = nodes.filter((n) => n.tier === tier).map((n) => n.id);
    if (members.length > 1) lines.push(`  { rank=same; ${members.join("; ")}; }`);
  }
  // Keep the host layer under the data row.
  const data = nodes.find((n) => n.tier === "data");
  const dns = nodes.find((n) => n.tier === "dns");
  if (data && dns) lines.push(`  ${data.id} -> ${dns.id} [style=invis];`);
  const ids = new Set(nodes.map((n) => n.id));
  for (const edge of edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) continue;
    const attributes = [
      ...(edge.label ? [`label=${quote(` ${edge.label} `)}`] : []),
      ...(edge.dashed ? ["style=dashed", 'color="#888888"'] : []),
      ...(edge.crossCloud ? ["penwidth=2.4", 'color="#2E7D32"', 'fontcolor="#2E7D32"'] : []),
      ...(edge.sideways ? ["constraint=false"] : []),
    ];
    lines.push(
      `  ${edge.from} -> ${edge.to}${attributes.length > 0 ? ` [${attributes.join(", ")}]` : ""};`,
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
