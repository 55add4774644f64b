import { messageOf } from "../api/errors";

/** Error text names the resource kind and name, the step that failed and any cleanup. */
export function failure(
  kind: string,
  name: string,
  step: string,
  cause: unknown,
  cleanup?: string,
): Error {
  const reason = messageOf(cause);
  const tail = cleanup === undefined ? "" : `; ${cleanup}`;
  return new Error(`${kind} "${name}": ${step} failed: ${reason}${tail}`, { cause });
}

/** Runs cleanup steps in order and reports what was undone or what may remain. */
export async function undo(
  steps: Array<{ what: string; run: () => Promise<void> }>,
): Promise<string> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const step of steps) {
    try {
      await step.run();
      done.push(step.what);
    } catch (e) {
      failed.push(`${step.what} FAILED (${messageOf(e)})`);
    }
  }
  if (failed.length === 0) return `cleaned up: ${done.join(", ") || "nothing to undo"}`;
  return `cleanup incomplete, resources may remain: ${[...done, ...failed].join(", ")}`;
}
