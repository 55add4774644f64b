// What a benchmark child prints for the parent: one line with a marker and a JSON object, and
// timestamps on the wall clock (epoch milliseconds) so the parent can set them against the moment
// it spawned the child.
import { performance } from "node:perf_hooks";

export const RESULT_MARKER = "BENCH_RESULT ";

/** Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** CPU time this process has used so far (user and system, every thread), ms. */
export function cpuNowMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface ChildResult {
  readonly kind: string;
  /** Epoch ms when this process's timeline began (before any module was loaded). */
  readonly processStartAt: number;
  /** Epoch ms when the child's own code began to run (after the loader and its imports). */
  readonly mainAt: number;
  /** Epoch ms when the measured work was done. */
  readonly doneAt: number;
  /** CPU time used by the process when the measured work was done, ms. */
  readonly cpuMs: number;
  /** Peak resident set size of this process, KiB. */
  readonly maxRssKb: number;
  readonly [extra: string]: unknown;
}

/** What a child reports; `doneAt`, `cpuMs` and `maxRssKb` default to the moment of reporting. */
export interface ChildReport {
  readonly kind: string;
  readonly mainAt: number;
  readonly doneAt?: number;
  readonly cpuMs?: number;
  readonly maxRssKb?: number;
  readonly [extra: string]: unknown;
}

export function emitResult(report: ChildReport): void {
  const full: ChildResult = {
    ...report,
    processStartAt: performance.timeOrigin,
    doneAt: report.doneAt ?? nowMs(),
    cpuMs: report.cpuMs ?? cpuNowMs(),
    maxRssKb: report.maxRssKb ?? process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(full)}\n`);
}

/** `--name value` pairs; every child takes only such options. */
export function parseOptions(argv: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = /^--([a-z-]+)$/.exec(argv[i] ?? "")?.[1];
    const value = argv[i + 1];
    if (!name || value === undefined) throw new Error(`bad child arguments: ${argv.join(" ")}`);
    options[name] = value;
  }
  return options;
}

export function required(options: Record<string, string>, name: string): string {
  const value = options[name];
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}
