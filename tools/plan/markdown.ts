// The diff as Markdown for a pull-request comment: a heading with the counts, a table per kind
// of change, the tree in a code block, and the warnings. Dangerous changes carry a red marker.
import {
  CHANGE_KINDS,
  type ChangeKind,
  countChanges,
  type PlanDiff,
  type ResourceChange,
} from "./diff";
import { diffTreeLines, keyList, movedFrom, warningLines } from "./diff-tree";

export const DANGER_MARK = ":red_circle: **DANGER**";
export const REFUSED_MARK = ":no_entry: **REFUSED**";

const KIND_TITLES: Readonly<Record<ChangeKind, string>> = {
  add: "Added",
  remove: "Removed",
  replace: "Replaced",
  update: "Updated",
};

export interface MarkdownOptions {
  /** Where the base plan came from, named in the heading. */
  readonly baseName: string;
  /** Rows per table before "... N more" (a comment has a size limit). */
  readonly maxRows?: number;
  /** Lines of the tree before it is cut. */
  readonly maxTreeLines?: number;
}

/**
 * Plain text in a table cell or list item: Markdown's special characters escaped (GitHub would
 * read `$...$` in a URN as maths and `|` as a column), line breaks flattened.
 */
export function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|$~]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks inside. */
function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Refused and dangerous changes sort first. */
function flagged(change: ResourceChange): number {
  return (change.refused.length > 0 ? 2 : 0) + (change.danger ? 1 : 0);
}

export function renderDiffMarkdown(diff: PlanDiff, options: MarkdownOptions): string {
  const maxRows = options.maxRows ?? 30;
  const maxTreeLines = options.maxTreeLines ?? 100;
  const counts = countChanges(diff);
  const out: string[] = [];
  const headline = `${counts.add} to add, ${counts.remove} to remove, ${counts.replace} to replace, ${counts.update} to update`;
  out.push(
    `### Stack \`${diff.stack}\`: ${diff.changes.length === 0 ? "no changes" : headline}${counts.danger > 0 ? ` ${DANGER_MARK}` : ""}${counts.refused > 0 ? ` ${REFUSED_MARK}` : ""}`,
    "",
    `Compared with ${escapeText(options.baseName)}; ${diff.unchanged} resources unchanged.`,
  );
  if (counts.danger > 0)
    out.push(
      "",
      `> ${DANGER_MARK}: ${counts.danger} change(s) delete or re-create a protected or stateful resource. Check the warnings below before merging.`,
    );
  if (counts.refused > 0)
    out.push(
      "",
      `> ${REFUSED_MARK}: ${counts.refused} update(s) the cloud refuses; \`pulumi up\` would fail on them.`,
    );
  if (diff.changes.length === 0) return `${out.join("\n")}\n`;

  out.push("", "| Change | Resources |", "|---|---:|");
  for (const kind of CHANGE_KINDS) out.push(`| ${KIND_TITLES[kind]} | ${counts[kind]} |`);

  for (const kind of CHANGE_KINDS) {
    const changes = diff.changes
      .filter((c) => c.kind === kind)
      .sort((a, b) => flagged(b) - flagged(a));
    if (changes.length === 0) continue;
    out.push("", `#### ${KIND_TITLES[kind]} (${changes.length})`, "");
    out.push("| | Type | Name | Details |", "|---|---|---|---|");
    for (const change of changes.slice(0, maxRows)) {
      const detail = [
        ...change.refused,
        change.danger ?? "",
        change.replaceReason === "urn" && change.previous
          ? movedFrom(change.previous, change.resource)
          : "",
        change.replaceReason === "inputs" ? `replaced: ${keyList(change.replacingInputs)}` : "",
        change.changedInputs.length > 0 ? `changed: ${keyList(change.changedInputs)}` : "",
        ...change.changedOptions,
      ]
        .filter(Boolean)
        .join("; ");
      const marks = [
        change.refused.length > 0 ? REFUSED_MARK : "",
        change.danger ? DANGER_MARK : "",
      ];
      out.push(
        `| ${marks.filter(Boolean).join(" ")} | ${code(change.resource.type)} | ${code(change.resource.name)} | ${escapeText(detail)} |`,
      );
    }
    if (changes.length > maxRows) out.push(`| | | ... ${changes.length - maxRows} more | |`);
  }

  const lines = diffTreeLines(diff).map((l) => l.text);
  const shown = lines.slice(0, maxTreeLines);
  out.push("", "<details><summary>Tree of changes</summary>", "", "```text", ...shown);
  if (lines.length > maxTreeLines) out.push(`... ${lines.length - maxTreeLines} more lines`);
  out.push("```", "", "</details>");

  const warnings = warningLines(diff);
  if (warnings.length > 0) {
    out.push("", "#### Warnings", "");
    for (const warning of warnings.slice(0, maxRows))
      out.push(
        `- ${warning.refused ? REFUSED_MARK : warning.danger ? DANGER_MARK : ":warning:"} ${code(`${warning.change.resource.type} ${warning.change.resource.name}`)}: ${escapeText(warning.message)}`,
      );
    if (warnings.length > maxRows) out.push(`- ... ${warnings.length - maxRows} more`);
  }
  return `${out.join("\n")}\n`;
}
