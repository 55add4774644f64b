// The estate: each stack's region run for real in network namespaces (needs root), from the files
// `npm run plan -- --stack <s> --out DIR` renders. `npm run test:estate [-- --stack us]` runs one
// stack or each in turn, then renders jp with three defects and sees each one fail.
//
// Prints one line per stack (./stack-suite.ts).
import { type StackName, stacks } from "../support/stacks";
import { describeDefects } from "./defects";
import { sweep, sweepLeftovers } from "./netns";
import { stopAllRegions } from "./region";
import { describeStack } from "./stack-suite";

const stackArgument = process.argv.indexOf("--stack");

function chosenStacks(): StackName[] {
  const at = stackArgument;
  if (at < 0) return process.argv.includes("--defects") ? [] : [...stacks];
  const stack = process.argv[at + 1] as StackName;
  if (!stacks.includes(stack)) {
    console.error(`test:estate: --stack must be one of ${stacks.join(", ")}`);
    process.exit(2);
  }
  return [stack];
}

// Whatever happens, nothing of the estate outlives this process.
process.on("exit", () => {
  stopAllRegions();
  sweep();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

if (process.getuid?.() !== 0) {
  console.error(
    "test:estate needs root: it creates network namespaces (run it as root, as CI does)",
  );
  process.exit(1);
}

sweepLeftovers();
for (const stack of chosenStacks()) describeStack(stack);
// The defects run after every stack, or alone with --defects.
if (stackArgument < 0) describeDefects();
