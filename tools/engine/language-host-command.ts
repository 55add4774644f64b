// The command line and environment with which Pulumi's Node.js language host starts a program,
// for the engine test's stand-in of that host (language-host.ts). Each rule follows the host's
// Go source (sdk/nodejs/cmd/pulumi-language-nodejs/main.go at 3.27x): `execRuntime` (options,
// environment, nodeargs first), `constructArguments` (the run script's flags, then the entry
// point, then the request's args), `constructConfig` (keys as `<namespace>:config:<name>`) and
// `RunPlugin` (a policy pack: its runner, nodeargs, the engine's args, then the pack's directory).
// The host's own proxy of the resource monitor and its pipes for synchronous invokes (`--sync`)
// are left out: the program is given the engine's monitor, and `--sync` is optional in the run
// script (cmd/run/index.js reads it only when given).

/** The fields of the engine's RunRequest the host reads. */
export interface RunFields {
  readonly monitorAddress: string;
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly rootDirectory: string;
  readonly programDirectory: string;
  readonly entryPoint: string;
  readonly dryRun: boolean;
  readonly parallel: number;
  readonly args: readonly string[];
  readonly config: ReadonlyMap<string, string>;
  readonly configSecretKeys: readonly string[];
  /** Pulumi.yaml's `runtime.options`. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ProgramCommand {
  /** Arguments to `node`. */
  readonly args: string[];
  /** Variables added to the host's environment. */
  readonly env: Record<string, string>;
}

/**
 * The runtime options the host reads (parseOptions): `typescript` defaults to true, and
 * `nodeargs` must be a string. A wrong type is the host's error, returned as the run's error.
 */
function runtimeOptions(options: Readonly<Record<string, unknown>>): {
  typescript: boolean;
  nodeargs: string;
} {
  const typescript = options.typescript ?? true;
  if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
  const nodeargs = options.nodeargs ?? "";
  if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
  return { typescript, nodeargs };
}

/**
 * nodeargs split into words as the host does (shlex.Split). This stand-in splits on white space
 * only and refuses quotes and backslashes, whose shell rules it does not reproduce.
 */
export function splitNodeArgs(nodeargs: string): string[] {
  if (/["'\\]/.test(nodeargs))
    throw new Error(`nodeargs ${JSON.stringify(nodeargs)}: quotes and backslashes not supported`);
  return nodeargs.split(/\s+/).filter((word) => word.length > 0);
}

/** A config key `<namespace>:<name>` in the form the host hands the program. */
function runtimeConfigKey(key: string): string {
  const colon = key.indexOf(":");
  if (colon <= 0) throw new Error(`config key ${key} has no namespace`);
  return `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`;
}

export function programCommand(
  request: RunFields,
  runPath: string,
  engineAddress: string,
): ProgramCommand {
  const { typescript, nodeargs } = runtimeOptions(request.options);
  const config: Record<string, string> = {};
  for (const [key, value] of request.config) config[runtimeConfigKey(key)] = value;
  const env: Record<string, string> = {
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.configSecretKeys),
    ...(typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
  };
  const flags: string[] = [];
  const flag = (name: string, value: string) => {
    if (value !== "") flags.push(`--${name}`, value);
  };
  flag("monitor", request.monitorAddress);
  flag("engine", engineAddress);
  flag("organization", request.organization);
  flag("project", request.project);
  flag("root-directory", request.rootDirectory);
  flag("stack", request.stack);
  flag("pwd", request.programDirectory);
  if (request.dryRun) flags.push("--dry-run");
  flag("parallel", String(request.parallel));
  return {
    args: [...splitNodeArgs(nodeargs), runPath, ...flags, request.entryPoint, ...request.args],
    env,
  };
}

/** The fields of the engine's RunPluginRequest the host reads. */
export interface PluginFields {
  /** `analyzer` for a policy pack. */
  readonly kind: string;
  readonly programDirectory: string;
  readonly args: readonly string[];
  /** The whole environment the engine gives the plugin, as `NAME=value`. */
  readonly env: readonly string[];
  /** PulumiPolicy.yaml's `runtime.options`. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * How the host starts a policy pack: `node <run-policy-pack> <nodeargs> <args> <pack directory>`
 * (nodeargs after the runner, as the host appends them there), in the pack's directory, with the
 * engine's environment alone. Other kinds of plugin are not served by this stand-in.
 */
export function pluginCommand(
  request: PluginFields,
  runnerPath: string,
): { args: string[]; env: Record<string, string>; cwd: string } {
  if (request.kind !== "analyzer")
    throw new Error(
      `the language host stand-in runs policy packs only, not ${request.kind} plugins`,
    );
  const { typescript, nodeargs } = runtimeOptions(request.options);
  const env: Record<string, string> = {};
  for (const entry of request.env) {
    const equals = entry.indexOf("=");
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  if (typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  return {
    args: [runnerPath, ...splitNodeArgs(nodeargs), ...request.args, request.programDirectory],
    env,
    cwd: request.programDirectory,
  };
}

/**
 * What the host tells the engine when the program has ended with `code`: nothing for 0; a bail
 * (the program already printed its error) for 32, the run script's code for that; otherwise the
 * exit code.
 */
export function runOutcome(code: number): { error: string; bail: boolean } {
  if (code === 0) return { error: "", bail: false };
  if (code === 32) return { error: "", bail: true };
  return { error: `Program exited with non-zero exit code: ${code}`, bail: false };
}
