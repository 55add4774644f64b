// Command-line options of `npm run plan`.
import { printable } from "../../components/spec/errors";
import { PlanInputError } from "./stack-file";

export interface PlanArgs {
  readonly stack: string;
  readonly json?: string;
  readonly out?: string;
  /** An earlier `--json` output to compare the plan with. */
  readonly diff?: string;
  /** Print the diff as Markdown (for a pull-request comment) instead of the terminal form. */
  readonly markdown: boolean;
  /** Plan a project's first up: the GCP projects have none of the program's APIs on yet. */
  readonly newProject: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run plan -- --stack <jp|us|uk> [--json FILE] [--out DIR] [--diff BASE.json [--markdown]] [--new-project]

Runs the program offline under Pulumi's mock monitor with the stack's config and prints what
\`pulumi up\` would create: a tree of resources, then counts per type.
  --stack NAME      the stack whose Pulumi.NAME.yaml is read
  --json FILE       also write the plan as JSON (resources with inputs, options, dependencies)
  --out DIR         also write the files meant for people (plan.txt, plan.json, architecture.svg,
                    hosts/...)
  --diff BASE.json  print what changed since an earlier --json output instead of the whole tree:
                    added, removed, replaced (new URN, or an input the provider cannot update)
                    and updated resources with the changed inputs; deleting or re-creating
                    stateful or protected resources is flagged, and updates the cloud refuses
  --markdown        with --diff: print the diff as Markdown for a pull-request comment
  --new-project     plan the first up in new GCP projects, where none of the Google APIs the
                    program enables is on yet: what is created through an API then waits for it
                    (by default the projects are the running ones, with every API on)`;

const VALUE_OPTIONS = new Set(["stack", "json", "out", "diff"]);
const FLAG_OPTIONS = new Set(["markdown", "new-project"]);

export function parseArgs(argv: readonly string[]): PlanArgs {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const match = /^--([a-z]+(?:-[a-z]+)*)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (name && FLAG_OPTIONS.has(name) && match[2] === undefined) {
      flags.add(name);
      continue;
    }
    if (!name || !VALUE_OPTIONS.has(name))
      throw new PlanInputError(`unknown option "${printable(arg)}" (see --help)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) {
      throw new PlanInputError(`option --${name} needs a value`);
    }
    if (values[name] !== undefined) throw new PlanInputError(`option --${name} is given twice`);
    values[name] = value;
  }
  const markdown = flags.has("markdown");
  const newProject = flags.has("new-project");
  if (help) return { stack: "", help, markdown, newProject };
  const stack = values.stack;
  if (!stack) throw new PlanInputError("missing --stack <name> (see --help)");
  if (markdown && !values.diff)
    throw new PlanInputError("--markdown needs --diff BASE.json (see --help)");
  return {
    stack,
    help,
    markdown,
    newProject,
    ...(values.json ? { json: values.json } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.diff ? { diff: values.diff } : {}),
  };
}
