import type { Sleep } from "./client";
import { isConflict, isNotFound } from "./errors";

/** How often and how many times to look at a resource while waiting for a state. */
export interface PollPolicy {
  intervalMs: number;
  /** Counted in reads, not wall time, so an injected sleep keeps the bound meaningful. */
  maxAttempts: number;
}

export interface PollSpec<T> {
  what: string;
  read: () => Promise<T>;
  /** The state reached. */
  done: (value: T) => boolean;
  /** A terminal bad state: return the reason to stop waiting with an error. */
  failed?: (value: T) => string | undefined;
  /** Describes the current state for the timeout message. */
  describe: (value: T) => string;
}

/** Reads until `done`, failing on a terminal state or after `maxAttempts` reads. */
export async function pollUntil<T>(
  sleep: Sleep,
  policy: PollPolicy,
  spec: PollSpec<T>,
): Promise<T> {
  let last: T | undefined;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    last = await spec.read();
    if (spec.done(last)) return last;
    const reason = spec.failed?.(last);
    if (reason !== undefined) throw new Error(`${spec.what}: ${reason}`);
    if (attempt < policy.maxAttempts) await sleep(policy.intervalMs);
  }
  const state = last === undefined ? "unknown" : spec.describe(last);
  throw new Error(
    `${spec.what}: still ${state} after ${policy.maxAttempts} checks ${policy.intervalMs} ms apart`,
  );
}

/**
 * Runs `action` until it stops answering 409 (the resource is busy, e.g. a disk still being
 * copied), at most `policy.maxAttempts` times; a 404 counts as done.
 */
export async function retryWhileConflict(
  sleep: Sleep,
  policy: PollPolicy,
  action: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await action();
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || attempt >= policy.maxAttempts) throw e;
      await sleep(policy.intervalMs);
    }
  }
}
