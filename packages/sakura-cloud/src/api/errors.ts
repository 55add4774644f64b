import type { ApiErrorBody } from "./types";

export interface SakuraApiErrorInit {
  method: string;
  /** Path below the zone's API root, e.g. `server/113000000001/power`. */
  path: string;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  body?: ApiErrorBody;
  attempts: number;
  cause?: unknown;
}

/** A failed API call, carrying the API's own `error_code` / `error_msg` / `serial`. */
export class SakuraApiError extends Error {
  override readonly name: "SakuraApiError";
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  readonly serial: string | undefined;
  readonly attempts: number;

  constructor(init: SakuraApiErrorInit) {
    const message = describe(init);
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    // Every field is assigned here, message included, so that the error is whole even where
    // `super()` sets nothing (an Error subclass rebuilt from its constructor function).
    this.name = "SakuraApiError";
    this.message = message;
    if (init.cause !== undefined) this.cause = init.cause;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.errorCode = init.body?.error_code;
    this.errorMsg = init.body?.error_msg;
    this.serial = init.body?.serial;
    this.attempts = init.attempts;
  }
}

function describe(init: SakuraApiErrorInit): string {
  const where = `${init.method} ${init.path}`;
  const tries = init.attempts > 1 ? ` (gave up after ${init.attempts} attempts)` : "";
  if (init.status === 0) {
    const reason = messageOf(init.cause);
    return `Sakura Cloud API ${where}: no response: ${reason}${tries}`;
  }
  const code = init.body?.error_code ?? "unknown_error";
  const msg = init.body?.error_msg ?? init.body?.status ?? "no error message";
  const serial = init.body?.serial ? ` [serial ${init.body.serial}]` : "";
  return `Sakura Cloud API ${where} -> HTTP ${init.status} ${code}: ${msg}${serial}${tries}`;
}

// Duck-typed on purpose: a provider process may hold more than one copy of this code (a
// resource's state keeps the provider it was created with, and a state written before this
// package existed carries a serialized copy of the whole client), and an error made by one copy
// is not `instanceof` another.
export function isSakuraApiError(e: unknown): e is SakuraApiError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "SakuraApiError" &&
    typeof (e as { status?: unknown }).status === "number"
  );
}

export function isNotFound(e: unknown): boolean {
  return isSakuraApiError(e) && e.status === 404;
}

/** An API answer with this HTTP status and `error_code`. */
export function hasErrorCode(e: unknown, status: number, code: string): boolean {
  return isSakuraApiError(e) && e.status === status && e.errorCode === code;
}

/**
 * 409 `still_creating`: the server's disks are still being copied; booting must wait
 * (iaas-api-go error.go IsStillCreatingError).
 */
export function isStillCreating(e: unknown): boolean {
  return hasErrorCode(e, 409, "still_creating");
}

export function isConflict(e: unknown): boolean {
  return isSakuraApiError(e) && e.status === 409;
}

/**
 * The message of anything thrown. Duck-typed like isSakuraApiError: a SakuraApiError rebuilt from
 * an older serialized provider is not `instanceof Error`.
 */
export function messageOf(e: unknown): string {
  const message = typeof e === "object" && e !== null ? (e as { message?: unknown }).message : e;
  return typeof message === "string" ? message : String(e);
}
