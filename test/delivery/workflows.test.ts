// The GitHub workflows: actionlint (built from its Go module), shellcheck on every `run:` block
// and on tools/ci/*.sh, and the properties the delivery depends on.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { peerBinary } from "../support/peers";
import { projectDir } from "../support/stacks";
import {
  actionRunBlocks,
  compositeActions,
  type Job,
  readCompositeAction,
  readWorkflow,
  runBlocks,
  type Step,
  shellcheck,
  shellcheckAvailable,
  type Workflow,
  withoutExpressions,
  workflowFiles,
} from "./workflow-files";

/** A GitHub expression as it appears in a workflow: expr("a.b") is "${{ a.b }}". */
const expr = (inner: string) => `$\{{ ${inner} }}`;

const files = workflowFiles();
const load = (file: string): Workflow => readWorkflow(file).workflow;
const steps = (job: Job | undefined): Step[] => job?.steps ?? [];
const uses = (job: Job | undefined, action: string): Step | undefined =>
  steps(job).find((s) => s.uses?.startsWith(`${action}@`) || s.uses === action);
const runs = (job: Job | undefined): string =>
  steps(job)
    .map((s) => s.run ?? "")
    .join("\n");
const access = readCompositeAction("estate-access").action;

/** actionlint over the repository's workflows (it also reads the local composite actions). */
function actionlint(dir: string, ...paths: string[]): { status: number; output: string } {
  const result = spawnSync(peerBinary("actionlint", "actionlint"), ["-no-color", ...paths], {
    cwd: dir,
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("actionlint", () => {
  it("finds the six workflows", () => {
    assert.deepEqual(files, [
      "artifacts.yml",
      "deploy-stack.yml",
      "deploy.yml",
      "drift.yml",
      "preview-comment.yml",
      "preview.yml",
    ]);
  });

  it("has nothing to say about any workflow", () => {
    const { status, output } = actionlint(projectDir);
    assert.equal(output, "");
    assert.equal(status, 0);
  });

  it("does catch mistakes (so a clean result means something)", () => {
    const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
    const broken = join(dir, "broken.yml");
    writeFileSync(
      broken,
      [
        "on: push",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    needs: missing-job",
        "    steps:",
        `      - run: echo ${expr("github.event.pull_request.title")}`,
        `      - run: echo ${expr("matrix.missing")}`,
      ].join("\n"),
    );
    const { status, output } = actionlint(dir, broken);
    assert.equal(status, 1);
    assert.match(output, /\[job-needs\]/);
    assert.match(output, /\[expression\]/);
  });
});

describe("shellcheck", () => {
  it("is installed (CI installs Debian's shellcheck; the check must not be skipped)", () => {
    assert.ok(
      shellcheckAvailable(),
      "shellcheck is not on PATH: install it (apt-get install shellcheck) to run these tests",
    );
  });

  const blocks = [
    ...files.flatMap((file) => runBlocks(file, load(file))),
    ...compositeActions().flatMap((name) =>
      actionRunBlocks(name, readCompositeAction(name).action),
    ),
  ];

  it("finds the run blocks", () => {
    assert.ok(blocks.length >= 10, `${blocks.length} run blocks`);
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
  const everyUse = [
    ...files.flatMap((file) =>
      Object.values(load(file).jobs).flatMap((job) =>
        steps(job).flatMap((s) => (s.uses ? [{ where: file, uses: s.uses }] : [])),
      ),
    ),
    ...access.runs.steps.flatMap((s) => (s.uses ? [{ where: "estate-access", uses: s.uses }] : [])),
  ];

  it("is pinned to a full commit SHA, the repository's own actions aside", () => {
    assert.ok(everyUse.length >= 20, `${everyUse.length} uses`);
    for (const { where, uses } of everyUse) {
      if (uses.startsWith("./")) continue;
      assert.match(uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${where}: ${uses}`);
    }
  });

  it("pins pulumi/actions by SHA too", () => {
    const pulumi = everyUse.filter((u) => u.uses.startsWith("pulumi/actions@"));
    assert.ok(pulumi.length > 0);
    for (const { uses } of pulumi) assert.match(uses, /@[0-9a-f]{40}$/);
  });
});

describe("the runtime", () => {
  const pkg = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
    engines: { node: string };
    dependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(projectDir, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version: string }>;
  };

  it("is Node.js 22 or newer, everywhere it is named", () => {
    assert.equal(pkg.engines.node, ">=22");
    assert.equal(readFileSync(join(projectDir, ".nvmrc"), "utf8").trim(), "22");
    for (const file of files)
      for (const job of Object.values(load(file).jobs)) {
        const node = uses(job, "actions/setup-node");
        if (node) assert.match(String(node.with?.["node-version-file"]), /(^|\/)\.nvmrc$/, file);
      }
  });

  it("installs the Pulumi CLI of .pulumi-version, the SDK's locked version", () => {
    const sdk = lock.packages["node_modules/@pulumi/pulumi"]?.version;
    assert.equal(readFileSync(join(projectDir, ".pulumi-version"), "utf8").trim(), sdk);
    const cli = access.runs.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.equal(cli?.with?.["pulumi-version-file"], ".pulumi-version");
    assert.equal(cli?.with?.command, undefined, "installs only; the scripts run the CLI");
  });
});

/** Every `vars.X` and `secrets.X` a job can read, its composite action's inputs included. */
function credentialsOf(job: Job): Set<string> {
  const text = JSON.stringify(job);
  return new Set([...text.matchAll(/\b(vars|secrets)\.([A-Z0-9_]+)/g)].map((m) => m[2] ?? ""));
}

/** What a pull request may see: read-only identities and names, nothing that can write. */
const READ_ONLY = new Set([
  "PULUMI_ORG",
  "PULUMI_PREVIEW_TEAM",
  "AWS_PREVIEW_ROLE_ARN",
  "GCP_WORKLOAD_IDENTITY_PROVIDER",
  "GCP_PREVIEW_SERVICE_ACCOUNT",
  "SAKURACLOUD_READONLY_ACCESS_TOKEN",
  "SAKURACLOUD_READONLY_ACCESS_TOKEN_SECRET",
]);

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

  it("tests by running .ci/run, exactly what CI runs", () => {
    assert.match(runs(job("test")), /^sudo env "PATH=\$PATH" "HOME=\$HOME" bash \.ci\/run$/m);
    assert.ok(uses(job("test"), "actions/setup-go"), "the pinned peers build with Go");
  });

  it("gives no pull-request job a credential that can write, nor a deploy environment", () => {
    for (const [id, j] of Object.entries(preview.jobs)) {
      const extra = [...credentialsOf(j)].filter((name) => !READ_ONLY.has(name));
      assert.deepEqual(extra, [], `job ${id} reads ${extra.join(", ")}`);
      assert.equal(j.environment, undefined, `job ${id} runs in an environment`);
      assert.notEqual(j.permissions?.["pull-requests"], "write", id);
      assert.notEqual(j.permissions?.contents, "write", id);
    }
    // No long-lived Pulumi token anywhere: Pulumi Cloud tokens come from OIDC.
    for (const file of files)
      assert.doesNotMatch(readWorkflow(file).text, /PULUMI_ACCESS_TOKEN/, file);
  });

  it("previews every stack for real inside the operations network, with the read-only identities", () => {
    const real = job("pulumi-preview");
    assert.deepEqual(real?.strategy?.matrix?.stack, ["jp", "us", "uk"]);
    assert.deepEqual(real?.["runs-on"], ["self-hosted", "linux", "x64", "multicloud-ops"]);
    assert.equal(real?.needs, "test");
    assert.equal(
      real?.if,
      "github.event.pull_request.head.repo.full_name == github.repository",
      "skipped for forks",
    );
    const estate = uses(real, "./.github/actions/estate-access");
    assert.equal(estate?.with?.["aws-role-arn"], expr("vars.AWS_PREVIEW_ROLE_ARN"));
    assert.equal(estate?.with?.["gcp-service-account"], expr("vars.GCP_PREVIEW_SERVICE_ACCOUNT"));
    assert.equal(estate?.with?.["pulumi-team"], expr("vars.PULUMI_PREVIEW_TEAM"));
    assert.match(runs(real), /tools\/ci\/pulumi-run\.sh preview "\$STACK" real-preview/);
    const preview = steps(real).find((s) => /pulumi-run\.sh preview/.test(s.run ?? ""));
    for (const key of ["SAKURACLOUD_ACCESS_TOKEN", "SAKURACLOUD_ACCESS_TOKEN_SECRET"])
      assert.match(String(preview?.env?.[key]), /secrets\.SAKURACLOUD_READONLY_/);
  });

  it("puts the offline and the real previews in one comment, even when a policy fails", () => {
    const comment = job("comment");
    assert.deepEqual(comment?.needs, ["offline-preview", "pulumi-preview"]);
    assert.equal(comment?.if, expr("!cancelled()"));
    assert.match(runs(comment), /tools\/ci\/preview-comment\.sh parts /);
    const artifacts = Object.values(preview.jobs).flatMap((j) =>
      steps(j)
        .filter((s) => s.uses?.startsWith("actions/upload-artifact@"))
        .map((s) => String(s.with?.name)),
    );
    assert.deepEqual(
      artifacts.filter((a) => /comment/.test(a)),
      ["preview-comment"],
    );
    // No step comments by itself: pulumi/actions never runs with comment-on-pr here.
    assert.doesNotMatch(readWorkflow("preview.yml").text, /comment-on-pr/);
    const upload = uses(job("offline-preview"), "actions/upload-artifact");
    assert.equal(upload?.if, expr("!cancelled()"), "a refused plan still hands its part on");
  });

  it("plans base and head offline without secrets", () => {
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
    assert.match(runs(offline), /head\/tools\/ci\/offline-plans\.sh base head preview/);
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

  it("updates the one comment found by the marker, after checking the pull request's head", () => {
    const script = String(uses(job, "actions/github-script")?.with?.script);
    assert.match(script, /<!-- multicloud-preview -->/);
    assert.match(script, /pull\.head\.sha !== run\.head_sha/);
    assert.match(script, /updateComment/);
    assert.match(script, /createComment/);
    const marker = readFileSync(join(projectDir, "tools/ci/preview-comment.sh"), "utf8");
    assert.match(marker, /MARKER="<!-- multicloud-preview -->"/);
  });
});

describe("deploy.yml and deploy-stack.yml", () => {
  const deploy = load("deploy.yml");
  const stack = load("deploy-stack.yml");

  it("runs on pushes to main, never two at once, never cancelled, after .ci/run", () => {
    assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
    assert.equal(deploy.concurrency?.["cancel-in-progress"], false);
    assert.ok(deploy.concurrency?.group);
    assert.match(runs(deploy.jobs.test), /bash \.ci\/run$/m);
  });

  it("deploys uk, then us, then jp, each through deploy-stack.yml", () => {
    const order = ["uk", "us", "jp"];
    order.forEach((name, index) => {
      const job = deploy.jobs[name];
      assert.equal(job?.uses, "./.github/workflows/deploy-stack.yml", name);
      assert.deepEqual(job?.with, {
        stack: name,
        "chocon-sha256": expr("needs.artifacts.outputs.chocon-sha256"),
        "chocon-image-digest": expr("needs.artifacts.outputs.chocon-image-digest"),
      });
      assert.deepEqual(job?.needs, [index === 0 ? "test" : order[index - 1], "artifacts"]);
    });
  });

  it("shows the preview before the approval, and applies that plan only", () => {
    const plan = stack.jobs.plan;
    const apply = stack.jobs.apply;
    assert.equal(plan?.environment, undefined, "the preview needs no approval and no writer");
    assert.match(runs(plan), /pulumi-run\.sh plan "\$STACK" deploy-plan/);
    assert.ok(uses(plan, "actions/upload-artifact"));
    assert.equal(apply?.needs, "plan");
    assert.deepEqual(apply?.environment, { name: expr("inputs.stack") });
    assert.ok(uses(apply, "actions/download-artifact"));
    assert.match(runs(apply), /pulumi-run\.sh apply "\$STACK" deploy-plan/);
    assert.doesNotMatch(readWorkflow("deploy-stack.yml").text, /command: up/);
  });

  it("gives the writing identities to the approved job only", () => {
    const writers = ["AWS_DEPLOY_ROLE_ARN", "GCP_DEPLOY_SERVICE_ACCOUNT", "PULUMI_DEPLOY_TEAM"];
    const plan = credentialsOf(stack.jobs.plan as Job);
    const apply = credentialsOf(stack.jobs.apply as Job);
    for (const writer of writers) {
      assert.ok(!plan.has(writer), `plan reads ${writer}`);
      assert.ok(apply.has(writer), `apply lacks ${writer}`);
    }
    assert.ok(!plan.has("SAKURACLOUD_ACCESS_TOKEN") && !plan.has("SSH_PRIVATE_KEY"));
    assert.ok(apply.has("SSH_PRIVATE_KEY"), "the jp deploy key exists only behind the reviewers");
  });

  it("runs real Pulumi only on the operations network's runners", () => {
    for (const file of ["deploy-stack.yml", "drift.yml", "preview.yml"])
      for (const [id, job] of Object.entries(load(file).jobs)) {
        if (!/pulumi-run\.sh/.test(runs(job))) continue;
        assert.deepEqual(job["runs-on"], ["self-hosted", "linux", "x64", "multicloud-ops"], id);
      }
  });
});

describe("drift.yml", () => {
  const drift = load("drift.yml");
  const check = drift.jobs.check;

  it("runs on a schedule over every stack, read-only", () => {
    assert.ok(Array.isArray((drift.on as { schedule?: unknown[] }).schedule));
    assert.deepEqual(check?.strategy?.matrix?.stack, ["jp", "us", "uk"]);
    assert.match(runs(check), /pulumi-run\.sh drift "\$STACK" drift/);
    const extra = [...credentialsOf(check as Job)].filter((name) => !READ_ONLY.has(name));
    assert.deepEqual(extra, []);
    assert.equal(check?.permissions?.issues, "write");
  });

  it("opens or updates one issue per drifted stack, and closes it when clean", () => {
    const script = String(uses(check, "actions/github-script")?.with?.script);
    assert.match(script, /Drift in stack \$\{stack\}/);
    assert.match(script, /issues\.create\(/);
    assert.match(script, /issues\.update\(/);
    assert.match(script, /state: "closed"/);
  });
});

describe("estate-access", () => {
  it("installs the GKE auth plugin the kubeconfig calls", () => {
    const gcloud = access.runs.steps.find((s) =>
      s.uses?.startsWith("google-github-actions/setup-gcloud@"),
    );
    assert.equal(gcloud?.with?.install_components, "gke-gcloud-auth-plugin");
  });

  it("takes every credential from OIDC", () => {
    const pulumi = access.runs.steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    assert.equal(pulumi?.with?.["requested-token-type"], "urn:pulumi:token-type:access_token:team");
    assert.ok(
      access.runs.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
    );
    assert.ok(access.runs.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@")));
  });
});
