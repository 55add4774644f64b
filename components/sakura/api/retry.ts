/** Bounds of the retry loop for transient API failures. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseDelayMs: number;
  /** Upper bound of any single delay, including one asked for by Retry-After. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Exponential backoff: base * 2^retryIndex, capped. `retryIndex` starts at 0. */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
}

/** A Retry-After header in seconds, as milliseconds; HTTP dates and junk are ignored. */
export function retryAfterMs(header: string | null, policy: RetryPolicy): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Math.min(policy.maxDelayMs, Number(header.trim()) * 1_000);
}

// 429 (rate limit), 423 (resource locked by another operation) and 503 mean the request was
// not carried out, so even a POST can be repeated. Other 5xx answers may come after the work
// was done: repeating a POST could create a second resource, so only idempotent methods
// (GET/PUT/DELETE) retry them.
export function isRetryableStatus(method: string, status: number): boolean {
  if (status === 429 || status === 423 || status === 503) return true;
  return status >= 500 && status <= 599 && method !== "POST";
}

/** A request that got no answer may be repeated only when repeating it is harmless. */
export function isRetryableNetworkFailure(method: string): boolean {
  return method !== "POST";
}
