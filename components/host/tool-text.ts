// What a rendered shell tool carries onto the host: its commands without the explanatory comment
// lines, which stay in the renderers' source. The tools ride in EC2 user data, whose budget the
// MySQL role nearly fills, and comments cost a quarter of it. Kept: the #! line, shellcheck
// directives, `# ---` block markers (the tests find the statements by them), comments after code
// on a line, and everything inside here-documents (their text is data, not shell). Pure.

/** The here-document terminator a line opens (`<<'SQL'`, `<<-EOF`, `<<X`), if any. */
function hereDocumentEnd(line: string): { word: string; tabs: boolean } | undefined {
  const found = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line.replace(/<<</g, ""));
  return found?.[3] ? { word: found[3], tabs: found[1] === "-" } : undefined;
}

export function withoutCommentLines(script: string): string {
  const out: string[] = [];
  let open: { word: string; tabs: boolean } | undefined;
  script.split("\n").forEach((line, index) => {
    if (open) {
      out.push(line);
      if ((open.tabs ? line.replace(/^\t+/, "") : line) === open.word) open = undefined;
      return;
    }
    const comment = /^\s*#/.test(line);
    const kept = (index === 0 && line.startsWith("#!")) || /^\s*#\s*(shellcheck\s|---)/.test(line);
    if (comment && !kept) return;
    out.push(line);
    open = comment ? undefined : hereDocumentEnd(line);
  });
  return out.join("\n");
}
