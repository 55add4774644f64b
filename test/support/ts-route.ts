// How the tests start a TypeScript entry point in a fresh `node`: by the route Pulumi.yaml's
// nodeargs and the npm scripts take (tools/ts-loader.cjs), so that what is tested is what runs.
import { join } from "node:path";
import { projectDir } from "./stacks";

export const TS_ROUTE: readonly string[] = [
  "--require",
  join(projectDir, "tools", "ts-loader.cjs"),
];
