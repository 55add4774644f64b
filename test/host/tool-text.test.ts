// The tools as hosts get them: explanatory comment lines dropped (they cost a quarter of the EC2
// user data budget), everything that runs or that a tool reads kept.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withoutCommentLines } from "../../components/host/tool-text";
import { allArtifacts, shellcheckScript } from "./support";

describe("withoutCommentLines", () => {
  it("drops whole-line comments and keeps the #! line, shellcheck directives and block markers", () => {
    const script = [
      "#!/usr/bin/env bash",
      "# what this tool does",
      "# shellcheck disable=SC2317 # shared statements",
      "set -euo pipefail",
      "  # indented explanation",
      "# --- Statements (MySQL 8.0.26 and later) ---",
      "echo ok # a comment after code stays",
      "# --- end of statements ---",
    ].join("\n");
    assert.equal(
      withoutCommentLines(script),
      [
        "#!/usr/bin/env bash",
        "# shellcheck disable=SC2317 # shared statements",
        "set -euo pipefail",
        "# --- Statements (MySQL 8.0.26 and later) ---",
        "echo ok # a comment after code stays",
        "# --- end of statements ---",
      ].join("\n"),
    );
  });

  it("keeps here-documents whole, whatever they hold", () => {
    const script = [
      "#!/bin/sh",
      "cat >/etc/x.conf <<'EOF'",
      "# a comment the written file keeps",
      "key = value",
      "EOF",
      "# dropped",
      "mysql <<-SQL",
      "\t# kept too",
      "\tSELECT 1;",
      "\tSQL",
      "# dropped again",
      "echo done",
    ].join("\n");
    assert.equal(
      withoutCommentLines(script),
      [
        "#!/bin/sh",
        "cat >/etc/x.conf <<'EOF'",
        "# a comment the written file keeps",
        "key = value",
        "EOF",
        "mysql <<-SQL",
        "\t# kept too",
        "\tSELECT 1;",
        "\tSQL",
        "echo done",
      ].join("\n"),
    );
  });

  it("leaves every rendered tool of every stack valid for shellcheck", () => {
    let tools = 0;
    for (const { stack, roles } of allArtifacts()) {
      for (const [role, artifacts] of roles) {
        for (const file of artifacts.files.filter((f) => f.mode === "0755")) {
          tools++;
          assert.equal(shellcheckScript(file.content), "", `${stack} ${role} ${file.path}`);
        }
      }
    }
    assert.ok(tools > 30, `${tools} tools`);
  });
});
