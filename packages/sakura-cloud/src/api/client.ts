import { SakuraApiError } from "./errors";
import {
  backoffDelay,
  defaultRetryPolicy,
  isRetryableNetworkFailure,
  isRetryableStatus,
  type Repeatable,
  type RetryPolicy,
  repeatableOf,
  retryAfterMs,
} from "./retry";
import type { ApiErrorBody } from "./types";

export const defaultApiRootUrl = "https://secure.sakura.ad.jp/cloud/zone";

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SakuraClientOptions {
  /** Zone such as `tk1a`, `tk1b`, `is1a`, `is1b`. */
  zone: string;
  accessToken: string;
  accessTokenSecret: string;
  /** Root below which `<zone>/api/cloud/1.1/` lives; tests point it at a loopback server. */
  apiRootUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Injectable so tests do not wait for real backoff and polling delays. */
  sleep?: Sleep;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Minimal client for the Sakura Cloud IaaS API v1.1 over the platform `fetch`.
 * Basic auth with token/secret, JSON envelopes, bounded exponential backoff on 423/5xx.
 */
export class SakuraClient {
  readonly zone: string;
  readonly baseUrl: string;
  readonly sleep: Sleep;
  private readonly authorization: string;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(options: SakuraClientOptions) {
    if (!/^[a-z0-9-]+$/.test(options.zone)) {
      throw new Error(`Sakura Cloud zone "${options.zone}" is not a zone name such as tk1a`);
    }
    this.zone = options.zone;
    const root = (options.apiRootUrl ?? defaultApiRootUrl).replace(/\/+$/, "");
    this.baseUrl = `${root}/${options.zone}/api/cloud/1.1/`;
    const pair = `${options.accessToken}:${options.accessTokenSecret}`;
    this.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  get<T>(path: string, query?: object): Promise<T> {
    return this.request<T>("GET", path, query);
  }

  post<T>(path: string, body?: object): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  /** `repeatable: "only-if-refused"` for a PUT that must not run twice (it starts a job). */
  put<T>(path: string, body?: object, repeatable?: Repeatable): Promise<T> {
    return this.request<T>("PUT", path, body, repeatable);
  }

  delete<T>(path: string, body?: object): Promise<T> {
    return this.request<T>("DELETE", path, body);
  }

  /**
   * One API call with retries. GET parameters travel as URL-encoded JSON in the query string
   * (the API's convention); other methods send them as a JSON body.
   */
  async request<T>(
    method: HttpMethod,
    path: string,
    payload?: object,
    repeatableOverride?: Repeatable,
  ): Promise<T> {
    const repeatable = repeatableOf(method, repeatableOverride);
    const cleanPath = path.replace(/^\/+/, "");
    let url = this.baseUrl + cleanPath;
    let body: string | undefined;
    if (payload !== undefined) {
      if (method === "GET") url += `?${encodeURIComponent(JSON.stringify(payload))}`;
      else body = JSON.stringify(payload);
    }
    const headers: Record<string, string> = {
      Authorization: this.authorization,
      Accept: "application/json",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";

    for (let attempt = 1; ; attempt++) {
      const retriesLeft = attempt <= this.policy.maxRetries;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        if (retriesLeft && isRetryableNetworkFailure(repeatable)) {
          await this.sleep(backoffDelay(this.policy, attempt - 1));
          continue;
        }
        throw new SakuraApiError({ method, path: cleanPath, status: 0, attempts: attempt, cause });
      }
      const text = await response.text();
      if (response.ok) return parseSuccess<T>(text, method, cleanPath, response.status, attempt);

      if (retriesLeft && isRetryableStatus(repeatable, response.status)) {
        const asked = retryAfterMs(response.headers.get("retry-after"), this.policy);
        await this.sleep(asked ?? backoffDelay(this.policy, attempt - 1));
        continue;
      }
      throw new SakuraApiError({
        method,
        path: cleanPath,
        status: response.status,
        body: parseErrorBody(text, response.status),
        attempts: attempt,
      });
    }
  }
}

function parseSuccess<T>(
  text: string,
  method: string,
  path: string,
  status: number,
  attempts: number,
): T {
  if (text.trim() === "") return {} as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SakuraApiError({
      method,
      path,
      status,
      attempts,
      body: {
        error_code: "invalid_json",
        error_msg: `response is not JSON: ${text.slice(0, 200)}`,
      },
    });
  }
  return parsed as T;
}

function parseErrorBody(text: string, status: number): ApiErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) return parsed as ApiErrorBody;
  } catch {
    // fall through: proxies and load balancers answer with HTML
  }
  return { status: String(status), error_msg: text.slice(0, 200) || "empty response body" };
}
