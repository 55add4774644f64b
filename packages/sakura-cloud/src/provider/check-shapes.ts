// Shape checks for nested inputs: objects, lists, numbers in a range. A value still unknown at
// preview passes through untouched; it is checked again once known.
import { type Failures, isUnknown } from "./check";
import { isIpv4 } from "./network-fields";

export type Raw = Record<string, unknown>;

/** The object at `at`, or undefined (with a failure when it is something else). */
export function objectAt(f: Failures, at: string, value: unknown): Raw | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    f.add(at, "must be an object");
    return undefined;
  }
  return value as Raw;
}

/** The list at `at` (empty when left out), or undefined when it is unknown or not a list. */
export function listAt(f: Failures, at: string, value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (isUnknown(value)) return undefined;
  if (!Array.isArray(value)) {
    f.add(at, "must be a list");
    return undefined;
  }
  return value;
}

/** An integer in `min..max`. */
export function integerIn(f: Failures, at: string, value: unknown, min: number, max: number): void {
  if (isUnknown(value)) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    f.add(at, `must be an integer from ${min} to ${max}`);
  }
}

export function booleanAt(f: Failures, at: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (isUnknown(value)) return value as boolean;
  if (typeof value !== "boolean") f.add(at, "must be true or false");
  return value as boolean;
}

/** A list of IPv4 addresses; `count` when the list must have exactly that many. */
export function ipv4List(f: Failures, at: string, value: unknown, count?: number): string[] {
  const list = listAt(f, at, value);
  if (list === undefined) return value as string[];
  for (const [i, item] of list.entries()) {
    if (!isUnknown(item) && !isIpv4(item)) f.add(`${at}[${i}]`, "must be an IPv4 address");
  }
  if (count !== undefined && list.length !== count) {
    f.add(at, `must hold ${count === 1 ? "one address" : `${count} addresses`}`);
  }
  if (new Set(list).size !== list.length) f.add(at, "must not repeat an address");
  return list as string[];
}

export function ipv4At(f: Failures, at: string, value: unknown): void {
  if (!isUnknown(value) && !isIpv4(value)) f.add(at, "must be an IPv4 address");
}

/** Whether every value is known (no unknown marker anywhere inside). */
export function allKnown(value: unknown): boolean {
  if (isUnknown(value)) return false;
  if (Array.isArray(value)) return value.every(allKnown);
  if (value !== null && typeof value === "object") return Object.values(value).every(allKnown);
  return true;
}
