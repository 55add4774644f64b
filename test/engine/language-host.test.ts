// The engine test's stand-in of Pulumi's Node.js language host starts the program with the
// command line and environment the real host builds (sdk/nodejs/cmd/pulumi-language-nodejs/main.go:
// execRuntime, constructArguments, constructConfig, parseOptions). Expected values are written
// from that source.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type PluginFields,
  pluginCommand,
  programCommand,
  type RunFields,
  runOutcome,
  splitNodeArgs,
} from "../../tools/engine/language-host-command";

const request: RunFields = {
  monitorAddress: "127.0.0.1:4001",
  organization: "organization",
  project: "multicloud",
  stack: "us",
  rootDirectory: "/srv/project",
  programDirectory: "/srv/project",
  entryPoint: ".",
  dryRun: true,
  parallel: 8,
  args: [],
  config: new Map([
    ["multicloud:region", '{"name":"us"}'],
    ["aws:region", "us-west-2"],
  ]),
  configSecretKeys: ["multicloud:pagerDutyCloudWatchKey"],
  options: { typescript: false, nodeargs: "--require ./tools/ts-loader.cjs" },
};

const RUN = "/srv/project/node_modules/@pulumi/pulumi/cmd/run/index.js";

describe("the language host stand-in", () => {
  it("puts nodeargs first, then the run script, its flags and the entry point", () => {
    assert.deepEqual(programCommand(request, RUN, "127.0.0.1:4000").args, [
      "--require",
      "./tools/ts-loader.cjs",
      RUN,
      "--monitor",
      "127.0.0.1:4001",
      "--engine",
      "127.0.0.1:4000",
      "--organization",
      "organization",
      "--project",
      "multicloud",
      "--root-directory",
      "/srv/project",
      "--stack",
      "us",
      "--pwd",
      "/srv/project",
      "--dry-run",
      "--parallel",
      "8",
      ".",
    ]);
  });

  it("leaves out --dry-run for an update, and empty flags", () => {
    const args = programCommand(
      { ...request, dryRun: false, organization: "" },
      RUN,
      "127.0.0.1:4000",
    ).args;
    assert.ok(!args.includes("--dry-run"));
    assert.ok(!args.includes("--organization"));
  });

  it("hands config keys over as <namespace>:config:<name>, and the secret keys as given", () => {
    const { env } = programCommand(request, RUN, "127.0.0.1:4000");
    assert.deepEqual(JSON.parse(env.PULUMI_CONFIG ?? ""), {
      "multicloud:config:region": '{"name":"us"}',
      "aws:config:region": "us-west-2",
    });
    assert.equal(env.PULUMI_CONFIG_SECRET_KEYS, '["multicloud:pagerDutyCloudWatchKey"]');
  });

  it("asks for ts-node only when the typescript option is on, which it is by default", () => {
    assert.equal(programCommand(request, RUN, "").env.PULUMI_NODEJS_TYPESCRIPT, undefined);
    const byDefault = programCommand({ ...request, options: {} }, RUN, "");
    assert.equal(byDefault.env.PULUMI_NODEJS_TYPESCRIPT, "true");
    assert.deepEqual(byDefault.args.slice(0, 1), [RUN]);
  });

  it("refuses runtime options of the wrong type, as the host does", () => {
    assert.throws(
      () => programCommand({ ...request, options: { typescript: "no" } }, RUN, ""),
      /typescript option must be a boolean/,
    );
    assert.throws(
      () => programCommand({ ...request, options: { nodeargs: 4096 } }, RUN, ""),
      /nodeargs option must be a string/,
    );
  });

  it("splits nodeargs on white space and refuses quoting it does not reproduce", () => {
    assert.deepEqual(splitNodeArgs("  --require ./a.cjs\t--max-old-space-size=4096 "), [
      "--require",
      "./a.cjs",
      "--max-old-space-size=4096",
    ]);
    assert.throws(() => splitNodeArgs("--title 'a b'"), /quotes and backslashes/);
  });

  it("bails without a second message when the program exits 32, as the run script does after its own", () => {
    assert.deepEqual(runOutcome(0), { error: "", bail: false });
    assert.deepEqual(runOutcome(32), { error: "", bail: true });
    assert.deepEqual(runOutcome(1), {
      error: "Program exited with non-zero exit code: 1",
      bail: false,
    });
  });

  const pack: PluginFields = {
    kind: "analyzer",
    programDirectory: "/srv/project/policy",
    args: ["127.0.0.1:4000"],
    env: ["PATH=/usr/bin:/bin", "PULUMI_HOME=/tmp/home", "EMPTY="],
    options: {},
  };
  const RUNNER = "/srv/project/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js";

  it("runs a policy pack: runner, nodeargs, the engine's args, then the pack's directory, in it", () => {
    const command = pluginCommand({ ...pack, options: { nodeargs: "--x=1" } }, RUNNER);
    assert.deepEqual(command.args, [RUNNER, "--x=1", "127.0.0.1:4000", "/srv/project/policy"]);
    assert.equal(command.cwd, "/srv/project/policy");
  });

  it("gives a policy pack the engine's environment alone, with TypeScript on by default", () => {
    assert.deepEqual(pluginCommand(pack, RUNNER).env, {
      PATH: "/usr/bin:/bin",
      PULUMI_HOME: "/tmp/home",
      EMPTY: "",
      PULUMI_NODEJS_TYPESCRIPT: "true",
    });
  });

  it("runs no other kind of plugin", () => {
    assert.throws(() => pluginCommand({ ...pack, kind: "resource" }, RUNNER), /policy packs only/);
  });
});
