// How the benchmark starts its children: each loader route as a command line.
import { join } from "node:path";
import type { ChildCommand } from "./measure";

export const PROJECT_DIR = join(__dirname, "..");

/**
 * Preloads of every child: a loader for the clock's own TypeScript, then the loading clock, so
 * loading is timed from the start. The clock's loader is tools/ts-loader.cjs, which leaves
 * node_modules alone; a route's own loader, registered after it, takes every later `.ts`.
 */
export const PRELOADS = [
  "--require",
  join(PROJECT_DIR, "tools/ts-loader.cjs"),
  "--require",
  join(PROJECT_DIR, "bench/children/load-clock.ts"),
];

/**
 * The routes a plan can be loaded by:
 * - `tsx`: the project's own, as Pulumi.yaml and `npm run plan` run the program (`--import tsx`),
 *   with its transform cache kept between runs;
 * - `tsx-uncached`: tsx as it ran before its cache was kept (`process.exit()` cut every cache
 *   write to an empty file): every module transformed on every run;
 * - `ts-loader`: tools/ts-loader.cjs alone, a candidate measured beside it.
 */
export type Route = "tsx" | "tsx-uncached" | "ts-loader";

function routeArgv(route: Route): { argv: string[]; env?: Record<string, string> } {
  if (route === "ts-loader") return { argv: ["node", ...PRELOADS] };
  return {
    argv: ["node", ...PRELOADS, "--import", "tsx"],
    ...(route === "tsx-uncached" ? { env: { TSX_DISABLE_CACHE: "1" } } : {}),
  };
}

export interface PlanRun {
  readonly label: string;
  readonly stack: string;
  /** The project to plan: this one unless a baseline checkout is given. */
  readonly project?: string;
  readonly route?: Route;
  readonly extra?: readonly string[];
}

export function planChild(run: PlanRun): ChildCommand {
  const route = routeArgv(run.route ?? "tsx");
  return {
    label: run.label,
    argv: [
      ...route.argv,
      join(PROJECT_DIR, "bench/children/plan-child.ts"),
      "--stack",
      run.stack,
      ...(run.project ? ["--project", run.project] : []),
      ...(run.extra ?? []),
    ],
    cwd: run.project ?? PROJECT_DIR,
    ...(route.env ? { env: route.env } : {}),
  };
}

/** The floor of a plan, loaded by the same route as the plan it is compared with. */
export function floorChild(
  label: string,
  stack: string,
  files: { plan: string; details: string },
  route: Route = "tsx",
): ChildCommand {
  const start = routeArgv(route);
  return {
    label,
    argv: [
      ...start.argv,
      join(PROJECT_DIR, "bench/floor.ts"),
      "--stack",
      stack,
      "--plan",
      files.plan,
      "--details",
      files.details,
    ],
    cwd: PROJECT_DIR,
    ...(start.env ? { env: start.env } : {}),
  };
}
