// Secret values never leave the plan in clear: each is replaced by a marker.
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { SECRET } from "./plan";

export const UNKNOWN = "[unknown]";

export function maskSecrets<T>(value: T): T {
  return mask(value) as T;
}

function mask(value: unknown): unknown {
  if (value === unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(mask);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) return SECRET;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(record)) out[key] = mask(inner);
    return out;
  }
  return value;
}
