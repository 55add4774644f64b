// Runs the program's entry as Pulumi's Node.js runner does (@pulumi/pulumi cmd/run/run.js): a
// CommonJS module whose export is a function is called, and what the module exports or the
// function returns, a promise included, is awaited; that value is the stack's outputs. The
// offline plan and the benchmark's plan run it this way.

/** The stack's outputs, as a program gives them (none when it returns nothing). */
export type StackOutputs = Record<string, unknown> | undefined;

/** Requires `entry` and runs it; resolves to the stack's outputs, rejects with its error. */
export async function runProgramEntry(entry: string): Promise<StackOutputs> {
  const exported: unknown = require(entry);
  return (await (exported instanceof Function ? exported() : exported)) as StackOutputs;
}
