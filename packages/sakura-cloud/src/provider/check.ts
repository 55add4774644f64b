import type * as pulumi from "@pulumi/pulumi";

// During preview an input that depends on another resource's output arrives as this marker.
const unknownMarker = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === unknownMarker;
}

/** Collects validation failures in the shape Pulumi's check() reports them. */
export class Failures {
  readonly list: pulumi.dynamic.CheckFailure[] = [];

  add(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  /** A required string (an unknown value passes: it is checked again when known). */
  string(property: string, value: unknown, pattern?: RegExp, hint?: string): void {
    if (isUnknown(value)) return;
    if (typeof value !== "string" || value === "") this.add(property, "must be a non-empty string");
    else if (pattern !== undefined && !pattern.test(value))
      this.add(property, hint ?? `must match ${pattern}`);
  }

  optionalString(property: string, value: unknown): void {
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "string") this.add(property, "must be a string");
  }

  positiveInteger(property: string, value: unknown): void {
    if (isUnknown(value)) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
      this.add(property, "must be a positive integer");
    }
  }

  stringList(property: string, value: unknown): void {
    if (value === undefined || isUnknown(value)) return;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.add(property, "must be a list of strings");
    }
  }
}

export const zonePattern = /^[a-z]{2}\d[a-z]$/;
export const zoneHint = "must be a zone name such as tk1a, tk1b, is1a or is1b";
