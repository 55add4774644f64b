// Preloaded into a benchmark child (`--require`, after the TypeScript loader and before anything
// else): tells the time spent loading modules (resolving, reading, transforming, compiling and
// running each module's top level) from the time spent running the program.
// Only the outermost `require` of a nest is timed, so nothing is counted twice. Neither the main
// module nor the program's entry (see `timeProgramApart`) counts as loading: they run the plan and
// build the resources; what they require is loading.
import Module from "node:module";
import { performance } from "node:perf_hooks";

type Load = (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;

export interface LoadClock {
  /** CPU time of the process before this preload ran: Node's start and the loader's, ms. */
  readonly bootCpuMs: number;
  /** CPU time spent inside outermost module loads since then, ms. */
  readonly loadCpuMs: number;
  /** Wall time spent inside outermost module loads, ms. */
  readonly loadWallMs: number;
  /** How many outermost loads there were. */
  readonly loads: number;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const bootCpuMs = cpuMs(process.cpuUsage());
let program: string | undefined;
let depth = 0;
let loadCpuMs = 0;
let loadWallMs = 0;
let loads = 0;

// Module._load is what every CommonJS `require` goes through.
const loader = Module as unknown as { _load: Load };
const load = loader._load;
loader._load = function (this: unknown, request, parent, isMain) {
  if (depth > 0 || isMain || request === program) return load.call(this, request, parent, isMain);
  depth++;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  try {
    return load.call(this, request, parent, isMain);
  } finally {
    depth--;
    loadCpuMs += cpuMs(process.cpuUsage(cpuBefore));
    loadWallMs += performance.now() - wallBefore;
    loads++;
  }
};

/** The path the program's entry is required by: its own top level is the program, not loading. */
export function timeProgramApart(entry: string): void {
  program = entry;
}

export function loadClock(): LoadClock {
  return { bootCpuMs, loadCpuMs, loadWallMs, loads };
}
