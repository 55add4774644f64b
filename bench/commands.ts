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
 * - `ts-loader`: the project's own, as Pulumi.yaml and `npm run plan` run the program
 *   (`--require ./tools/ts-loader.cjs`, which keeps Node's compile cache);
 * - `tsx`: tsx (`--import tsx`), the route before it, with its transform cache kept between runs
 *   and no compile cache;
 * - `tsx-uncached`: tsx as it ran before its cache was kept (`process.exit()` cut every cache
 *   write to an empty file): every module transformed on every run.
 */
export type Route = "ts-loader" | "tsx" | "tsx-uncached";

function routeArgv(route: Route): { argv: string[]; env?: Record<string, string> } {
  if (route === "ts-loader") return { argv: ["node", ...PRELOADS] };
  // The clock's loader keeps Node's compile cache, which the program never had under tsx.
  const noCompileCache = { NODE_DISABLE_COMPILE_CACHE: "1" };
  return {
    argv: ["node", ...PRELOADS, "--import", "tsx"],
    env: route === "tsx-uncached" ? { ...noCompileCache, TSX_DISABLE_CACHE: "1" } : noCompileCache,
  };
}

/**
 * The route a project runs its program by, from the `nodeargs` of its Pulumi.yaml (`file`, for
 * the error): how a baseline checkout ran then.
 */
export function routeOfNodeargs(nodeargs: unknown, file: string): Route {
  const args = typeof nodeargs === "string" ? nodeargs.split(/\s+/) : [];
  if (args.some((arg) => arg.endsWith("/ts-loader.cjs"))) return "ts-loader";
  if (args.includes("tsx")) return "tsx";
  throw new Error(
    `${file}: runtime.options.nodeargs names neither tools/ts-loader.cjs nor tsx (${String(nodeargs)})`,
  );
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
  const route = routeArgv(run.route ?? "ts-loader");
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
  route: Route = "ts-loader",
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
