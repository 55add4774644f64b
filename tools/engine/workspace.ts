// The place where the real engine runs the program: a copy of the project (stack init and
// `config set --secret` write into the stack files), a local file backend, a Pulumi home of its
// own, and the environment that keeps the engine offline: no update check, no plugin download,
// the stand-in plugins first on PATH.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const PROJECT = "multicloud";

/**
 * What the program needs to run: its entry point, components, project and stack files, and the
 * loader Pulumi.yaml's nodeargs require.
 */
const COPIED = [
  "index.ts",
  "components",
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "tools/ts-loader.cjs",
];

export interface EngineWorkspace {
  readonly root: string;
  /** The copy of the project the engine runs in. */
  readonly projectDir: string;
  /** The file backend (`file://<stateDir>`). */
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface WorkspaceOptions {
  /** The repository to copy the project from. */
  readonly repoDir: string;
  /** The Pulumi CLI to run. */
  readonly pulumi: string;
  /** Stacks whose files are copied. */
  readonly stacks: readonly string[];
  readonly passphrase: string;
  /** Where the copy is made; the temporary directory unless given. */
  readonly parent?: string;
}

export function createWorkspace(options: WorkspaceOptions): EngineWorkspace {
  const root = mkdtempSync(join(options.parent ?? tmpdir(), "mc-eng-"));
  const projectDir = join(root, "project");
  const stateDir = join(root, "state");
  const home = join(root, "pulumi-home");
  for (const dir of [projectDir, stateDir, home]) mkdirSync(dir, { recursive: true });
  for (const entry of [...COPIED, ...options.stacks.map((stack) => `Pulumi.${stack}.yaml`)])
    cpSync(join(options.repoDir, entry), join(projectDir, entry), { recursive: true });
  symlinkSync(join(options.repoDir, "node_modules"), join(projectDir, "node_modules"));
  const plugins = join(options.repoDir, "tools", "engine", "plugins");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [plugins, dirname(options.pulumi), dirname(process.execPath), process.env.PATH].join(":"),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
  };
  // A user's own token or passphrase file must not reach this backend.
  delete env.PULUMI_ACCESS_TOKEN;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return { root, projectDir, stateDir, env };
}

/** The state file of a stack in the file backend. */
export function stateFile(workspace: EngineWorkspace, stack: string): string {
  return join(workspace.stateDir, ".pulumi", "stacks", PROJECT, `${stack}.json`);
}
