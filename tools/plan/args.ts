// Command-line options of `npm run plan`.
import { PlanInputError } from "./stack-file";

export interface PlanArgs {
  readonly stack: string;
  readonly json?: string;
  readonly out?: string;
  readonly help: boolean;
}

export const USAGE = `usage: npm run plan -- --stack <jp|us|uk> [--json FILE] [--out DIR]

Runs the program offline under Pulumi's mock monitor with the stack's config and prints what
\`pulumi up\` would create: a tree of resources, then counts per type.
  --stack NAME   the stack whose Pulumi.NAME.yaml is read
  --json FILE    also write the plan as JSON (resources with inputs, options, dependencies)
  --out DIR      also write the files meant for people (plan.txt, plan.json, hosts/...)`;

const VALUE_OPTIONS = new Set(["stack", "json", "out"]);

export function parseArgs(argv: readonly string[]): PlanArgs {
  const values: Record<string, string> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!name || !VALUE_OPTIONS.has(name))
      throw new PlanInputError(`unknown option "${arg}" (see --help)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) {
      throw new PlanInputError(`option --${name} needs a value`);
    }
    values[name] = value;
  }
  if (help) return { stack: "", help };
  const stack = values.stack;
  if (!stack) throw new PlanInputError("missing --stack <name> (see --help)");
  return {
    stack,
    help,
    ...(values.json ? { json: values.json } : {}),
    ...(values.out ? { out: values.out } : {}),
  };
}
