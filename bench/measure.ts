// Runs benchmark children and reduces their figures: each child is a fresh process, timed from
// the parent's spawn to its exit.
import { spawn } from "node:child_process";
import { type ChildResult, nowMs, RESULT_MARKER } from "./children/protocol";

export interface Sample {
  /** Spawn to exit, as the parent saw it, ms. */
  readonly wallMs: number;
  /** Epoch ms of the spawn, for the child's own timestamps. */
  readonly spawnAt: number;
  readonly result: ChildResult;
}

export interface ChildCommand {
  readonly label: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env?: Record<string, string>;
}

export function runChild(command: ChildCommand): Promise<Sample> {
  return new Promise((resolvePromise, reject) => {
    const [program, ...args] = command.argv;
    if (!program) throw new Error(`${command.label}: empty command`);
    const spawnAt = nowMs();
    const child = spawn(program, args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = nowMs() - spawnAt;
      const line = stdout.split("\n").find((text) => text.startsWith(RESULT_MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`${command.label} failed (exit ${code}):\n${stderr.slice(-3000)}`));
        return;
      }
      resolvePromise({
        wallMs,
        spawnAt,
        result: JSON.parse(line.slice(RESULT_MARKER.length)) as ChildResult,
      });
    });
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs the commands of each round one after another, N rounds, reversing the order in every other
 * round (A B, B A, A B ...) so that neither side always runs first on a machine whose load drifts.
 */
export async function interleave(
  rounds: number,
  commands: readonly ChildCommand[],
  onSample?: (label: string, sample: Sample) => void,
  /** When given, a failing child is reported here and left out instead of ending the run. */
  onFailure?: (label: string, error: Error) => void,
): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(commands.map((command) => [command.label, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? commands : [...commands].reverse();
    for (const command of order) {
      try {
        const sample = await runChild(command);
        samples.get(command.label)?.push(sample);
        onSample?.(command.label, sample);
      } catch (error) {
        if (!onFailure) throw error;
        onFailure(command.label, error as Error);
      }
    }
  }
  return samples;
}
