// The diff as text and Markdown, the base-plan reader and the command-line options.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseArgs } from "../../tools/plan/args";
import { diffPlans } from "../../tools/plan/diff";
import { readPlanFile } from "../../tools/plan/diff-read";
import { diffTreeLines, renderDiffText } from "../../tools/plan/diff-tree";
import { DANGER_MARK, escapeText, renderDiffMarkdown } from "../../tools/plan/markdown";
import { plan, resource, STACK_URN, urn } from "./plans";

const site = resource("multicloud:aws:Site", "us-aws", { custom: false });
const under = (type: string, name: string, fields = {}) =>
  resource(type, name, {
    urn: urn(`multicloud:aws:Site$${type}`, name),
    parent: site.urn,
    ...fields,
  });
const rds = under("aws:rds/instance:Instance", "us-db", {
  protect: true,
  inputs: { engine: "mysql" },
});
const bucket = under("aws:s3/bucket:Bucket", "us-logs", { inputs: { bucket: "logs" } });
const group = under("aws:autoscaling/group:Group", "us-app", { inputs: { desiredCapacity: 6 } });
const other = resource("aws:iam/role:Role", "other", { inputs: { name: "r" } });

const base = plan(site, rds, bucket, group, other);
const head = plan(site, bucket, { ...group, inputs: { desiredCapacity: 8 } }, other, {
  ...under("aws:sqs/queue:Queue", "us-jobs"),
});
const diff = diffPlans(base, head);

describe("the diff tree", () => {
  it("shows changes with their parents only, marked like pulumi preview", () => {
    const lines = diffTreeLines(diff).map((l) => l.text.replace(/\s+/g, " ").trim());
    assert.deepEqual(lines, [
      "pulumi:pulumi:Stack multicloud-t",
      "└─ multicloud:aws:Site us-aws",
      "~ ├─ aws:autoscaling/group:Group us-app [changed: desiredCapacity]",
      "- ├─ aws:rds/instance:Instance us-db [protected] DANGER: deletes a protected RDS instance",
      "+ └─ aws:sqs/queue:Queue us-jobs",
    ]);
  });

  it("is red on a terminal where it is dangerous, and plain without colour", () => {
    const colored = renderDiffText(diff, { color: true, baseName: "base.json" });
    const dangerLine = colored.split("\n").find((l) => l.includes("us-db"));
    assert.ok(dangerLine?.startsWith("\u001b[1;31m"), dangerLine);
    assert.ok(
      colored
        .split("\n")
        .find((l) => l.includes("us-jobs"))
        ?.startsWith("\u001b[32m"),
    );
    const plain = renderDiffText(diff, { color: false, baseName: "base.json" });
    assert.ok(!plain.includes("\u001b"), "no ANSI escapes");
    assert.match(
      plain,
      /^Changes of stack t since base\.json: 1 to add, 1 to remove, 0 to replace, 1 to update, 4 unchanged\./,
    );
    assert.match(
      plain,
      /^DANGER +aws:rds\/instance:Instance us-db: deletes a protected RDS instance$/m,
    );
  });

  it("says so when nothing changes", () => {
    const none = renderDiffText(diffPlans(base, base), { color: false, baseName: "b" });
    assert.match(none, /No changes\.$/);
  });
});

describe("the diff as Markdown", () => {
  const markdown = renderDiffMarkdown(diff, { baseName: "base.json" });

  it("has a heading with the counts and the danger marker", () => {
    assert.match(
      markdown,
      /^### Stack `t`: 1 to add, 1 to remove, 0 to replace, 1 to update :red_circle: \*\*DANGER\*\*$/m,
    );
  });

  it("has a table of counts and one table per kind that occurs", () => {
    assert.match(markdown, /^\| Removed \| 1 \|$/m);
    assert.match(markdown, /^#### Added \(1\)$/m);
    assert.match(markdown, /^#### Updated \(1\)$/m);
    assert.doesNotMatch(markdown, /^#### Replaced/m);
    assert.ok(
      markdown.includes(
        `| ${DANGER_MARK} | \`aws:rds/instance:Instance\` | \`us-db\` | deletes a protected RDS instance |`,
      ),
    );
    assert.match(markdown, /\| `us-app` \| changed: desiredCapacity \|/);
  });

  it("puts the tree in a code block and lists the warnings", () => {
    assert.match(
      markdown,
      /```text\n {3}pulumi:pulumi:Stack[^\n]*\n[\s\S]*- +├─ aws:rds\/instance:Instance[\s\S]*```/,
    );
    assert.match(
      markdown,
      /^- :red_circle: \*\*DANGER\*\* `aws:rds\/instance:Instance us-db`: deletes/m,
    );
  });

  it("cuts long tables and trees", () => {
    const many = Array.from({ length: 30 }, (_, i) => resource("aws:sqs/queue:Queue", `q${i}`));
    const short = renderDiffMarkdown(diffPlans(plan(), plan(...many)), {
      baseName: "b",
      maxRows: 5,
      maxTreeLines: 10,
    });
    assert.match(short, /\| \| \| \.\.\. 25 more \| \|/);
    assert.match(short, /^\.\.\. 21 more lines$/m);
  });

  it("no changes is one short section", () => {
    const none = renderDiffMarkdown(diffPlans(base, base), { baseName: "b" });
    assert.equal(none, "### Stack `t`: no changes\n\nCompared with b; 6 resources unchanged.\n");
  });

  it("escapes what GitHub would read as maths or table syntax", () => {
    assert.equal(escapeText("a$b|c*d"), "a\\$b\\|c\\*d");
    assert.equal(escapeText("two\nlines"), "two lines");
  });
});

describe("readPlanFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "multicloud-diff-read-"));
  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it("reads a plan and fills options an older plan lacks", () => {
    const file = write(
      "old.json",
      JSON.stringify({
        stack: "t",
        project: "multicloud",
        resources: [
          { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "s", custom: false, inputs: {} },
        ],
      }),
    );
    const read = readPlanFile(file, "t");
    assert.deepEqual(read.resources[0]?.aliases, []);
    assert.equal(read.resources[0]?.protect, false);
  });

  it("refuses other stacks, non-JSON and non-plans with one line", () => {
    const other = write("us.json", JSON.stringify({ stack: "us", resources: [] }));
    assert.throws(() => readPlanFile(other, "t"), /it is a plan of stack "us", not of "t"/);
    assert.throws(() => readPlanFile(write("bad.json", "{"), "t"), /not JSON/);
    assert.throws(() => readPlanFile(write("obj.json", "{}"), "t"), /not a plan/);
    assert.throws(
      () =>
        readPlanFile(
          write("r.json", JSON.stringify({ stack: "t", resources: [{ urn: "u" }] })),
          "t",
        ),
      /resource 0 lacks type, name, custom, inputs/,
    );
    assert.throws(() => readPlanFile(join(dir, "missing.json"), "t"), /cannot read it/);
  });

  it("names a path with a line break or a terminal escape escaped, so the error stays one line", () => {
    const typed = join(dir, "a\nb\u001b[31m.json");
    assert.throws(
      () => readPlanFile(typed, "t"),
      (error: Error) => {
        assert.ok(!error.message.includes("\n") && !error.message.includes("\u001b"));
        assert.ok(error.message.startsWith(`--diff ${join(dir, "a\\nb\\u001b[31m.json")}: `));
        return true;
      },
    );
    const other = write("x\ny.json", JSON.stringify({ stack: "u\ns", resources: [] }));
    assert.throws(
      () => readPlanFile(other, "t"),
      (error: Error) => {
        assert.doesNotMatch(error.message, /\n/);
        assert.match(error.message, /it is a plan of stack "u\\ns", not of "t"/);
        return true;
      },
    );
  });
});

describe("options --diff and --markdown", () => {
  it("parses them", () => {
    assert.deepEqual(parseArgs(["--stack", "us", "--diff", "b.json", "--markdown"]), {
      stack: "us",
      help: false,
      markdown: true,
      newProject: false,
      diff: "b.json",
    });
    assert.equal(parseArgs(["--stack", "us"]).markdown, false);
  });

  it("parses --new-project as a flag, which takes no value", () => {
    assert.equal(parseArgs(["--stack", "uk", "--new-project"]).newProject, true);
    assert.throws(() => parseArgs(["--stack", "uk", "--new-project=yes"]), /unknown option/);
    assert.throws(() => parseArgs(["--stack", "uk", "--new-projects"]), /unknown option/);
  });

  it("--markdown needs --diff, and takes no value", () => {
    assert.throws(() => parseArgs(["--stack", "us", "--markdown"]), /--markdown needs --diff/);
    assert.throws(() => parseArgs(["--stack", "us", "--markdown=yes"]), /unknown option/);
    assert.throws(() => parseArgs(["--stack", "us", "--diff"]), /option --diff needs a value/);
  });
});
