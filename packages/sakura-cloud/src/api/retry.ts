/** Bounds of the retry loop for transient API failures. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseDelayMs: number;
  /** Upper bound of any single delay, including one asked for by Retry-After. */
  maxDelayMs: number;
}

/** Sakura's own HTTP layer retries 10 times, waiting 1 s to 64 s (sacloud/go-http client.go). */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 64_000,
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

/**
 * Whether a request can be sent again without harm when its outcome is unknown (no answer, or
 * a 5xx that may come after the work was done). A POST could create a second resource; some
 * PUTs start a job that refuses a second start (the disk edit answers 409 while it runs).
 */
export type Repeatable = "always" | "only-if-refused";

// 423 (locked by another operation) and 503 mean the request was not carried out, so even a
// POST can be repeated. Sakura signals rate limiting as 503 `too_many_request` and busy or
// maintenance as 503 `busy`, `operation_timeout`, `service_temporarily_unavailable` (saklient
// src/saklient/cloud/errors/TooManyRequestException.ts and siblings, all 503); it never sends
// 429. Other 5xx answers may come after the work was done (504 `apiproxy_timeout_non_get`),
// so only requests that are harmless to repeat retry them.
export function isRetryableStatus(repeatable: Repeatable, status: number): boolean {
  if (status === 423 || status === 503) return true;
  return status >= 500 && status <= 599 && repeatable === "always";
}

/** A request that got no answer may be repeated only when repeating it is harmless. */
export function isRetryableNetworkFailure(repeatable: Repeatable): boolean {
  return repeatable === "always";
}

/** GET, PUT and DELETE are repeatable unless the caller says otherwise; POST never is. */
export function repeatableOf(method: string, override?: Repeatable): Repeatable {
  if (override !== undefined) return override;
  return method === "POST" ? "only-if-refused" : "always";
}
