// The architecture diagram as data: groups (clouds, networks), boxes and arrows. Pure types.

export type Cloud = "aws" | "gcp" | "sakura" | "internet";

export interface DiagramGroup {
  readonly id: string;
  readonly label: string;
  /** Small print under the label. */
  readonly note?: string;
  readonly cloud: Cloud;
  readonly parent?: string;
}

/** Rows of the picture, top to bottom; "dns" is the layer under every host. */
export type Tier = "front" | "web" | "app" | "data" | "dns";

export type NodeShape = "box" | "cylinder" | "note" | "oval";

export interface DiagramNode {
  readonly id: string;
  /** First line is the title ("nginx x3"); the others are small print. */
  readonly lines: readonly string[];
  readonly group?: string;
  readonly shape: NodeShape;
  /** Nodes of one tier are drawn on one row. */
  readonly tier?: Tier;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Control traffic (DNS, Consul) rather than requests. */
  readonly dashed?: boolean;
  /** A link between clouds, drawn heavier. */
  readonly crossCloud?: boolean;
  /** Drawn without pulling its ends onto different rows (links within one row). */
  readonly sideways?: boolean;
}

export interface Architecture {
  readonly title: string;
  /** Small print under the title: where the picture comes from, what colours mean. */
  readonly subtitle: string;
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** What the layers add to while the picture is built. */
export interface Builder {
  groups: DiagramGroup[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}
