// Preloaded into a benchmark child (`--require`, after the TypeScript loader and before anything
// else): tells the time spent loading modules (reading, transforming, compiling and running each
// module's top level, resolving and loading what it requires in turn) from the time spent running
// the program.
// Only the outermost load of a nest is timed, so nothing is counted twice. Neither the main
// module nor the program's entry (see `timeProgramApart`) counts as loading: they run the plan and
// build the resources; what they require is loading.
import Module from "node:module";
import { performance } from "node:perf_hooks";

type Load = (this: NodeModule & { id: string }, filename: string) => void;

export interface LoadClock {
  /** CPU time of the process before this preload ran: Node's start and the loader's, ms. */
  readonly bootCpuMs: number;
  /** CPU time spent inside outermost module loads since then, ms. */
  readonly loadCpuMs: number;
  /** Wall time spent inside outermost module loads, ms. */
  readonly loadWallMs: number;
  /** How many outermost module loads there were. */
  readonly loads: number;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const bootCpuMs = cpuMs(process.cpuUsage());
let program: string | undefined;
let depth = 0;
let loadCpuMs = 0;
let loadWallMs = 0;
let loads = 0;

// Module.prototype.load reads, transforms, compiles and runs one module that is not loaded yet
// (its nested requires within): a `require` of a module already loaded, or of Node's own, never
// reaches it, so the clock costs nothing on the many `require` calls the SDKs make at run time
// (each resource class is fetched by a `require` on every construction).
const prototype = (Module as unknown as { prototype: { load: Load } }).prototype;
const load = prototype.load;
prototype.load = function (this: NodeModule & { id: string }, filename: string) {
  if (depth > 0 || this.id === "." || filename === program) return load.call(this, filename);
  depth++;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  try {
    return load.call(this, filename);
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
