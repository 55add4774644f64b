// The steps `npm run test:engine` takes with the real Pulumi engine on one stack, and what it
// keeps of them. The engine runs in a copy of the project on a local file backend.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import {
  changeCount,
  compareInputKeys,
  compareUrns,
  compareViolations,
} from "../../../tools/engine/compare";
import { engineOperation, pulumi, pulumiOk } from "../../../tools/engine/processes";
import type { EngineRunResult } from "../../../tools/engine/run-result";
import { ciphertextCount, secretPlaintexts, stateResources } from "../../../tools/engine/state";
import type { StackSummary } from "../../../tools/engine/summary";
import { type EngineWorkspace, stateFile } from "../../../tools/engine/workspace";
import type { Plan } from "../../../tools/plan/plan";
import { checkPolicies } from "../../../tools/plan/policy";
import { TS_ROUTE } from "../../support/ts-route";

export interface StackSetup {
  /** Stack config set with `pulumi config set --secret`. */
  readonly secrets: Record<string, string>;
  /** Plain stack config. */
  readonly config: Record<string, string>;
}

/** A change to the stack's `multicloud:region` value. */
export interface StackEdit {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

export interface LanguageHostStart {
  readonly args: string[];
  /** Set for a program. */
  readonly options?: Record<string, unknown>;
  /** Set for a plugin: its kind (`analyzer` for a policy pack). */
  readonly plugin?: string;
}

export class EngineRun {
  constructor(
    readonly workspace: EngineWorkspace,
    readonly repoDir: string,
  ) {}

  /** The policy pack, given to `--policy-pack` as the README gives it. */
  get policyDir(): string {
    return join(this.repoDir, "policy");
  }

  async initStack(stack: string, setup: StackSetup): Promise<void> {
    await pulumiOk(this.workspace, ["stack", "init", stack, "--secrets-provider", "passphrase"]);
    for (const [key, value] of Object.entries(setup.secrets))
      await pulumiOk(this.workspace, ["config", "set", "--secret", "-s", stack, "--", key, value]);
    for (const [key, value] of Object.entries(setup.config))
      await pulumiOk(this.workspace, ["config", "set", "-s", stack, "--", key, value]);
  }

  /**
   * What the language host's stand-in started: programs (with Pulumi.yaml's runtime options) and
   * plugins (with their kind), one entry each.
   */
  languageHostStarts(): LanguageHostStart[] {
    const log = this.workspace.env.MULTICLOUD_LANGUAGE_HOST_LOG;
    if (!log || !existsSync(log)) return [];
    return readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LanguageHostStart);
  }

  /** The stack file as the engine left it. */
  stackFileText(stack: string): string {
    return readFileSync(join(this.workspace.projectDir, `Pulumi.${stack}.yaml`), "utf8");
  }

  async preview(
    stack: string,
    options: { expectNoChanges?: boolean; policyPack?: string } = {},
  ): Promise<EngineRunResult> {
    return engineOperation(this.workspace, this.repoDir, "preview", stack, options);
  }

  async up(stack: string): Promise<EngineRunResult> {
    const result = await engineOperation(this.workspace, this.repoDir, "up", stack);
    assert.equal(result.error, undefined, `pulumi up -s ${stack} failed:\n${result.error}`);
    return result;
  }

  async exported(stack: string, showSecrets = false): Promise<unknown> {
    const args = ["stack", "export", "-s", stack, ...(showSecrets ? ["--show-secrets"] : [])];
    return JSON.parse(await pulumiOk(this.workspace, args)) as unknown;
  }

  /** Replaces the stack's state with `exported`, as `pulumi stack import` does a user's. */
  async importState(stack: string, exported: unknown): Promise<void> {
    const file = join(this.workspace.root, `import-${stack}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(exported));
    await pulumiOk(this.workspace, ["stack", "import", "-s", stack, "--file", file]);
  }

  async urns(stack: string): Promise<string[]> {
    return stateResources(await this.exported(stack)).map((resource) => resource.urn);
  }

  /** `npm run plan -- --stack S --json FILE` in the project copy (exit 3 is a policy verdict). */
  async offlinePlan(stack: string): Promise<Plan> {
    const file = join(this.workspace.root, `plan-${stack}-${Date.now()}.json`);
    const code = await this.node(join(this.repoDir, "tools", "plan", "cli.ts"), [
      "--stack",
      stack,
      "--json",
      file,
    ]);
    assert.ok(code === 0 || code === 3, `npm run plan -- --stack ${stack} ended with ${code}`);
    assert.ok(existsSync(file), `the plan of ${stack} wrote no JSON`);
    return JSON.parse(readFileSync(file, "utf8")) as Plan;
  }

  /** Every check on one stack, in the order a user would run them; the report line's figures. */
  async wholeStack(stack: string, setup: StackSetup): Promise<StackSummary> {
    await this.initStack(stack, setup);
    const stackFile = this.stackFileText(stack);
    for (const [key, value] of Object.entries(setup.secrets)) {
      // Line by line: YAML folds a multi-line value into an indented block.
      for (const line of value.split("\n").filter((part) => part.length >= 8))
        assert.ok(!stackFile.includes(line), `Pulumi.${stack}.yaml holds ${key} in clear`);
      assert.match(
        stackFile,
        new RegExp(`${key}:\\s*\\n\\s*secure: v1:`),
        `${key} is not encrypted`,
      );
    }

    const first = await this.preview(stack);
    assert.equal(first.error, undefined, `the first preview of ${stack} failed:\n${first.error}`);
    await this.up(stack);
    const second = await this.preview(stack, { expectNoChanges: true });
    const secondChanges = changeCount(second.changeSummary);
    const changed = second.steps
      .filter((step) => step.op !== "same")
      .map((s) => `${s.op} ${s.urn}`);
    assert.equal(
      second.error,
      undefined,
      `the second preview of ${stack} failed:\n${second.error}`,
    );
    assert.deepEqual(changed, [], `the second preview of ${stack} changes something`);

    const exported = await this.exported(stack);
    const resources = stateResources(exported);
    // The projects were new (engine-workspace.ts): the up enabled each Google API and waited for
    // it before creating through it; the second preview, which found them on, changed nothing.
    const waits = new Set(
      resources
        .filter((resource) => resource.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait")
        .map((resource) => resource.urn),
    );
    assert.ok(waits.size > 0, `${stack} enables no Google API`);
    assert.deepEqual(
      resources
        .filter((resource) => waits.has(resource.urn) && resource.outputs.enabledBefore !== false)
        .map((resource) => resource.urn),
      [],
      `${stack}: waits that found their API on in a new project`,
    );
    assert.ok(
      resources.some((resource) => resource.dependencies.some((urn) => waits.has(urn))),
      `${stack}: nothing waited for an API enabled in a new project`,
    );
    const plan = await this.offlinePlan(stack);
    const urns = compareUrns(
      resources.map((resource) => resource.urn),
      plan.resources.map((resource) => resource.urn),
    );
    assert.deepEqual(
      { engineOnly: urns.engineOnly, planOnly: urns.planOnly },
      { engineOnly: [], planOnly: [] },
      `${stack}: the engine's URNs and the offline plan's differ`,
    );

    // The plan sends the engine the same inputs: none missing for want of a provider's output.
    assert.deepEqual(
      compareInputKeys(resources, plan.resources),
      [],
      `${stack}: input keys differ between the engine's state (+) and the plan (-)`,
    );

    const destroy = await pulumi(this.workspace, ["destroy", "--yes", "-s", stack]);
    const refused =
      destroy.code !== 0 &&
      /cannot be deleted\s+because it is protected/.test(destroy.stdout + destroy.stderr);
    assert.ok(
      refused,
      `pulumi destroy -s ${stack} was not refused for protected resources:\n${destroy.stdout}`,
    );
    assert.equal((await this.urns(stack)).length, resources.length, "destroy deleted something");

    await this.assertNoSecretInClear(stack, exported, Object.values(setup.secrets));

    const policy = await this.preview(stack, { policyPack: this.policyDir });
    this.assertSameViolations(stack, policy, plan);

    return {
      stack,
      resources: resources.length,
      secondPreviewChanges: secondChanges,
      urnsMatched: urns.matched,
      urnsTotal: urns.total,
      destroyRefused: refused,
      policiesRun: policy.policiesRun.length,
    };
  }

  /**
   * `npm run dr -- --stack <lost> --to <region>`, then a preview of the rebuild, which must succeed
   * and name the URNs the rebuild's offline plan names; the preview.
   */
  async rebuildPreview(lost: string, to: string): Promise<EngineRunResult> {
    const dr = await this.node(join(this.repoDir, "tools", "dr", "cli.ts"), [
      "--stack",
      lost,
      "--to",
      to,
    ]);
    assert.equal(dr, 0, `npm run dr -- --stack ${lost} --to ${to} failed`);
    const rebuild = `${lost}-dr`;
    await this.initStack(rebuild, { secrets: {}, config: {} });
    const preview = await this.preview(rebuild);
    assert.equal(preview.error, undefined, `the preview of ${rebuild} failed:\n${preview.error}`);
    // The rebuild's plan names what the engine would make, a stack reference included.
    const urns = compareUrns(
      preview.steps.map((step) => step.urn),
      (await this.offlinePlan(rebuild)).resources.map((resource) => resource.urn),
    );
    assert.deepEqual(
      { engineOnly: urns.engineOnly, planOnly: urns.planOnly },
      { engineOnly: [], planOnly: [] },
      `${rebuild}: the engine's URNs and the offline plan's differ`,
    );
    return preview;
  }

  /**
   * The rebuild of an AWS stack: true when its databases restore from the replicated backups named
   * in the lost stack's drBackups output, read through a stack reference from the local backend.
   */
  async drRebuild(lost: string, to: string): Promise<boolean> {
    const preview = await this.rebuildPreview(lost, to);
    const rebuild = `${lost}-dr`;
    const backups = JSON.parse(
      await pulumiOk(this.workspace, [
        "stack",
        "output",
        "drBackups",
        "--json",
        "--show-secrets",
        "-s",
        lost,
      ]),
    ) as { rds?: Record<string, { replicatedBackupsArn?: string }> };
    const expected = Object.values(backups.rds ?? {})
      .map((db) => db.replicatedBackupsArn)
      .sort();
    const restoredFrom = preview.steps
      .filter((step) => step.type === "aws:rds/instance:Instance")
      .map((step) => {
        const restore = step.inputs?.restoreToPointInTime as
          | { sourceDbInstanceAutomatedBackupsArn?: string }
          | undefined;
        return restore?.sourceDbInstanceAutomatedBackupsArn;
      })
      .sort();
    const reference = preview.steps.find(
      (step) =>
        step.type === "pulumi:pulumi:StackReference" &&
        step.urn.endsWith(`::organization/multicloud/${lost}`),
    );
    assert.ok(reference, `${rebuild} has no stack reference to organization/multicloud/${lost}`);
    assert.ok(expected.length > 0, `${lost}'s drBackups names no replicated RDS backups`);
    assert.deepEqual(restoredFrom, expected, `${rebuild}'s databases restore from other backups`);
    // The rebuild's GKE cluster is in the lost region's project, whose APIs that region's up
    // enabled: a rebuild waits for none of them.
    const waits = preview.steps.filter(
      (step) => step.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait",
    );
    assert.ok(waits.length > 0, `${rebuild} enables no Google API`);
    assert.deepEqual(
      waits.filter((step) => step.inputs?.enabledBefore !== true).map((step) => step.urn),
      [],
      `${rebuild}: waits for APIs its project has on`,
    );
    return true;
  }

  /** Changes `multicloud:region` in the copy's stack file. */
  editStack(stack: string, edits: readonly StackEdit[]): void {
    const file = join(this.workspace.projectDir, `Pulumi.${stack}.yaml`);
    const document = parseDocument(readFileSync(file, "utf8"));
    for (const edit of edits)
      document.setIn(["config", "multicloud:region", ...edit.path], edit.value);
    writeFileSync(file, document.toString());
  }

  /**
   * Edits the stack file in the copy, previews with the policy pack and compares the engine's
   * violations with the offline plan's; the names of the rules broken, as the engine reports them.
   */
  async brokenStackPolicy(stack: string, edits: readonly StackEdit[]): Promise<string[]> {
    this.editStack(stack, edits);
    const policy = await this.preview(stack, { policyPack: this.policyDir });
    this.assertSameViolations(stack, policy, await this.offlinePlan(stack));
    return [...new Set(policy.policyViolations.map((violation) => violation.rule))].sort();
  }

  /**
   * `pulumi up` of a new stack whose file is `from`'s (as the repository has it) with `edits`;
   * what the engine reported, which must end with an error.
   */
  async failedUp(
    stack: string,
    from: string,
    edits: readonly StackEdit[],
    setup: StackSetup,
  ): Promise<EngineRunResult & { error: string }> {
    const document = parseDocument(readFileSync(join(this.repoDir, `Pulumi.${from}.yaml`), "utf8"));
    for (const edit of edits)
      document.setIn(["config", "multicloud:region", ...edit.path], edit.value);
    writeFileSync(join(this.workspace.projectDir, `Pulumi.${stack}.yaml`), document.toString());
    await this.initStack(stack, setup);
    const result = await engineOperation(this.workspace, this.repoDir, "up", stack);
    const { error } = result;
    assert.ok(error !== undefined, `pulumi up -s ${stack} succeeded`);
    return { ...result, error };
  }

  /** A TypeScript tool of the project, run in the project copy; its exit code. */
  async node(script: string, args: readonly string[]): Promise<number> {
    const { spawn } = await import("node:child_process");
    return new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [...TS_ROUTE, script, ...args], {
        cwd: this.workspace.projectDir,
        env: this.workspace.env,
        stdio: "ignore",
      });
      child.on("error", reject);
      child.on("close", (status) => resolve(status ?? 1));
    });
  }

  async assertNoSecretInClear(
    stack: string,
    exported: unknown,
    configSecrets: string[],
  ): Promise<void> {
    const plaintexts = secretPlaintexts(await this.exported(stack, true));
    assert.ok(ciphertextCount(exported) > 0, `${stack}: the state holds no encrypted secret`);
    assert.ok(plaintexts.length > 0, `${stack}: no secret value to look for`);
    const stored = readFileSync(stateFile(this.workspace, stack), "utf8");
    const inClear = [...plaintexts, ...configSecrets].filter((value) => stored.includes(value));
    assert.deepEqual(
      inClear.map((value) => `${value.slice(0, 12)}...`),
      [],
      `${stack}: secrets in clear in the state file`,
    );
  }

  assertSameViolations(stack: string, policy: EngineRunResult, plan: Plan): void {
    const stackUrn = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const offline = checkPolicies(plan);
    const comparison = compareViolations(policy.policyViolations, offline, stackUrn);
    assert.deepEqual(
      { engineOnly: comparison.engineOnly, planOnly: comparison.planOnly },
      { engineOnly: [], planOnly: [] },
      `${stack}: the engine's policy violations and the offline plan's differ`,
    );
    assert.ok(policy.policiesRun.length > 0, `${stack}: the engine ran no policy`);
  }
}
