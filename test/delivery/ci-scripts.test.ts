// The workflows' scripts, run for real with stand-ins for `pulumi` and `npm` on PATH: what they
// ask the CLI, what they refuse, and what reaches the pull request's comment.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectDir } from "../support/stacks";

const script = (name: string) => join(projectDir, "tools", "ci", name);

/** A directory with an executable stand-in of one command, which logs its arguments and stdin. */
function standIn(command: string, body: string): { bin: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), `ci-${command}-`));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const log = join(dir, "calls.log");
  writeFileSync(
    join(bin, command),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>"${log}"\nif [[ " $* " == *" config set "* ]]; then printf 'stdin:%s\\n' "$(cat)" >>"${log}"; fi\n${body}\n`,
  );
  chmodSync(join(bin, command), 0o755);
  return { bin, log };
}

function run(
  args: string[],
  bin: string,
  cwd: string,
  env: Record<string, string> = {},
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PULUMI_ORG: "acme", ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("pulumi-run.sh", () => {
  it("plan: saves the update plan and puts the preview in the job summary", () => {
    const { bin, log } = standIn("pulumi", 'echo "+ 3 to create"');
    const work = mkdtempSync(join(tmpdir(), "plan-"));
    const summary = join(work, "summary.md");
    const result = run([script("pulumi-run.sh"), "plan", "us", "out"], bin, work, {
      GITHUB_STEP_SUMMARY: summary,
    });
    assert.equal(result.status, 0, result.stderr);
    const call = readFileSync(log, "utf8");
    assert.match(call, /^preview --stack acme\/us /m);
    assert.match(call, / --refresh /);
    assert.match(call, / --policy-pack policy /);
    assert.match(call, / --save-plan out\/us\.plan\.json$/m);
    assert.match(readFileSync(summary, "utf8"), /\+ 3 to create/);
  });

  it("apply: refuses to run without an approved plan", () => {
    const { bin, log } = standIn("pulumi", "exit 0");
    const work = mkdtempSync(join(tmpdir(), "apply-"));
    const result = run([script("pulumi-run.sh"), "apply", "us", "out"], bin, work);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no approved plan at out\/us\.plan\.json/);
    assert.equal(existsSync(log), false, "pulumi was never called");
  });

  it("apply: runs up held to the plan, with the jp deploy key as an encrypted config value", () => {
    const { bin, log } = standIn("pulumi", 'echo "applied"');
    const work = mkdtempSync(join(tmpdir(), "apply-"));
    mkdirSync(join(work, "out"));
    writeFileSync(join(work, "out", "jp.plan.json"), "{}");
    const result = run([script("pulumi-run.sh"), "apply", "jp", "out"], bin, work, {
      MULTICLOUD_SSH_PRIVATE_KEY: "KEY-MATERIAL",
    });
    assert.equal(result.status, 0, result.stderr);
    const calls = readFileSync(log, "utf8").split("\n");
    assert.equal(calls[0], "config set --secret --stack acme/jp multicloud:sshPrivateKey");
    assert.equal(
      calls[1],
      "stdin:KEY-MATERIAL",
      "the key goes through stdin, never the command line",
    );
    assert.match(calls[2] ?? "", /^up --stack acme\/jp .*--yes .*--plan out\/jp\.plan\.json$/);
    assert.match(result.stdout, /applied/, "the deploy's output is shown as it runs");
  });

  it("apply: passes on the engine's refusal when the estate changed since the approval", () => {
    const { bin } = standIn("pulumi", 'echo "error: resource violates plan"; exit 255');
    const work = mkdtempSync(join(tmpdir(), "apply-"));
    mkdirSync(join(work, "out"));
    writeFileSync(join(work, "out", "uk.plan.json"), "{}");
    const result = run([script("pulumi-run.sh"), "apply", "uk", "out"], bin, work);
    assert.equal(result.status, 255);
  });

  for (const [name, body, verdict, status] of [
    ["no changes", "exit 0", "clean", 0],
    [
      "changes",
      'echo "error: no changes were expected but changes were proposed"; exit 255',
      "drift",
      255,
    ],
    ["an error of its own", 'echo "error: could not reach the backend"; exit 255', "failed", 255],
  ] as const) {
    it(`drift: a preview with ${name} is ${verdict}`, () => {
      const { bin, log } = standIn("pulumi", body);
      const work = mkdtempSync(join(tmpdir(), "drift-"));
      const result = run([script("pulumi-run.sh"), "drift", "uk", "out"], bin, work);
      assert.equal(result.status, status);
      assert.equal(readFileSync(join(work, "out", "uk.drift"), "utf8").trim(), verdict);
      assert.match(readFileSync(log, "utf8"), / --refresh .*--expect-no-changes/);
    });
  }
});

describe("offline-plans.sh", () => {
  it("shows the diff and the violations of a plan that breaks a mandatory policy (exit 3)", () => {
    // npm stand-in: the base plan writes its JSON; the head plan prints its diff and exits 3.
    const { bin } = standIn(
      "npm",
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's indirect expansion, not a template
        'for ((i = 1; i <= $#; i++)); do if [[ "${!i}" == --json ]]; then j=$((i + 1)); echo "{}" >"${!j}"; exit 3; fi; done',
        'echo "### Stack diff: 1 changed"',
        'echo "Policies: 1 violation(s), 1 mandatory, 0 advisory:" >&2',
        'echo "  mandatory no-world-ssh urn:x: SSH open to the world" >&2',
        "exit 3",
      ].join("\n"),
    );
    const work = mkdtempSync(join(tmpdir(), "offline-"));
    for (const dir of ["base", "head"]) mkdirSync(join(work, dir));
    const result = run([script("offline-plans.sh"), "base", "head", "out", "us"], bin, work);
    assert.equal(result.status, 1, "a refused plan fails the job");
    const markdown = readFileSync(join(work, "out", "us.md"), "utf8");
    assert.match(markdown, /### Stack diff: 1 changed/);
    assert.match(markdown, /Mandatory policy violations/);
    assert.match(markdown, /mandatory no-world-ssh urn:x: SSH open to the world/);
    assert.doesNotMatch(markdown, /the plan failed/);
    assert.doesNotMatch(markdown, /base commit has no plan/, "the base plan was kept");
  });
});

describe("preview-comment.sh", () => {
  it("makes one comment of every stack's offline and real previews", () => {
    const parts = mkdtempSync(join(tmpdir(), "parts-"));
    mkdirSync(join(parts, "offline-preview"));
    for (const stack of ["jp", "us", "uk"])
      writeFileSync(join(parts, "offline-preview", `${stack}.md`), `offline ${stack}\n`);
    mkdirSync(join(parts, "real-preview-us"));
    writeFileSync(join(parts, "real-preview-us", "us.md"), "real us\n");
    const result = run(
      [script("preview-comment.sh"), parts, "b".repeat(40), "a".repeat(40), "failure"],
      "/nonexistent",
      parts,
    );
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "<!-- multicloud-preview -->");
    for (const stack of ["jp", "us", "uk"])
      assert.match(result.stdout, new RegExp(`offline ${stack}`));
    assert.match(result.stdout, /real us/);
    assert.match(result.stdout, /no result \(the job's result: failure\)/);
  });
});
